import { describe, expect, it } from 'vitest';
import { ContactView, MessageView } from '../../src/http/schemas/messaging.js';
import { DeliveryView } from '../../src/http/schemas/webhooks.js';
import { chatView, contactView, deliveryView, eventView, instanceView, messageView, webhookSettingsView } from '../../src/http/views.js';
import type { ChatRecord } from '../../src/store/chats.js';
import type { DeliveryRecord } from '../../src/store/deliveries.js';
import { instanceRecord, messageRecord, NOW } from '../support/records.js';

const NOW_ISO = new Date(NOW).toISOString();
const LATER = NOW + 61_000;
const LATER_ISO = new Date(LATER).toISOString();

function delivery(overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    id: 'd1',
    instanceId: 'i1',
    eventId: 'e1',
    eventSeq: 7,
    eventTs: NOW,
    eventType: 'message_received',
    status: 'pending',
    attempts: 1,
    nextAttemptAt: LATER,
    lastAttemptAt: NOW,
    lastStatusCode: 500,
    lastError: 'HTTP 500',
    deliveredAt: null,
    lockedUntil: LATER,
    stored: true,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

describe('messageView', () => {
  it('gives every required field of the schema, instants as ISO text, and not where the media lies on disk', () => {
    const row = messageRecord('i1', {
      messageType: 'image',
      hasMedia: true,
      mediaUrl: '/api/instances/i1/media/f.jpg',
      mediaPath: '/data/media/i1/f.jpg',
      mediaSize: 1234,
      caption: 'look',
      content: 'look',
      mimeType: 'image/jpeg',
      fileName: 'f.jpg',
      status: 'read',
      statusUpdatedAt: LATER,
    });
    const view = messageView(row);
    // The optional fields are those of a message's kind and of what happened to it; this one has none.
    expect(Object.keys(view).sort()).toEqual([...(MessageView.required ?? [])].sort());
    expect(view).not.toHaveProperty('mediaPath');
    expect(view).toMatchObject({
      id: row.id,
      messageId: row.messageId,
      hasMedia: true,
      mediaUrl: '/api/instances/i1/media/f.jpg',
      mediaSize: 1234,
      status: 'read',
      timestamp: NOW_ISO,
      createdAt: NOW_ISO,
      updatedAt: NOW_ISO,
      statusUpdatedAt: LATER_ISO,
      metadata: { pushName: 'X' },
    });
  });

  it('keeps statusUpdatedAt null for a message whose status never changed', () => {
    expect(messageView(messageRecord('i1')).statusUpdatedAt).toBeNull();
  });

  it("shows a poll's votes per option and never its secret or raw votes", () => {
    const poll = { question: 'Q?', options: ['A', 'B'], multipleAnswers: false };
    const view = messageView(messageRecord('i1', { messageType: 'poll', metadata: { poll, pollSecret: 'c2VjcmV0', pollVotes: { 'v@s.whatsapp.net': ['B'] } } }));
    expect(view.poll).toEqual({ ...poll, votes: { A: [], B: ['v@s.whatsapp.net'] } });
    expect(JSON.stringify(view)).not.toMatch(/c2VjcmV0|pollVotes/);
  });

  it('shows a deleted message without what it said, and when it was deleted', () => {
    const row = messageRecord('i1', {
      content: 'secret plan',
      caption: 'secret plan',
      hasMedia: true,
      mediaUrl: '/api/instances/i1/media/f.jpg',
      fileName: 'plan.jpg',
      metadata: { location: { latitude: 1, longitude: 2 }, edits: ['old plan'], reactions: [{ from: 'a@s.whatsapp.net', emoji: '👍', at: NOW }], deletedAt: LATER, deletedBy: 'b@s.whatsapp.net' },
    });
    const view = messageView(row);
    expect(view).toMatchObject({ content: null, caption: null, mediaUrl: null, fileName: null, deletedAt: LATER_ISO });
    expect(view.location).toBeUndefined();
    expect(view.reactions).toBeUndefined();
    expect(JSON.stringify(view)).not.toMatch(/plan/);
  });
});

describe('contactView', () => {
  const contact = {
    id: 'c1',
    instanceId: 'i1',
    remoteJid: '79001234567@s.whatsapp.net',
    number: '79001234567',
    lid: '123456789012345@lid',
    name: 'Ann',
    pushName: 'Annie',
    isGroup: false,
    profilePicture: null,
    about: null,
    lastActivity: LATER,
    createdAt: NOW,
    updatedAt: NOW,
  };

  it('gives every field of the schema with instants as ISO text', () => {
    const view = contactView(contact);
    expect(Object.keys(view).sort()).toEqual(Object.keys(ContactView.properties).sort());
    expect(view).toMatchObject({ number: '79001234567', pushName: 'Annie', lastActivity: LATER_ISO, createdAt: NOW_ISO });
  });

  it('keeps lastActivity null for a contact never heard from', () => {
    expect(contactView({ ...contact, lastActivity: null }).lastActivity).toBeNull();
  });
});

describe('deliveryView', () => {
  it('names the event under `event` and leaves out the worker lock', () => {
    const view = deliveryView(delivery());
    expect(Object.keys(view).sort()).toEqual(Object.keys(DeliveryView.properties).sort());
    expect(view).toEqual({
      id: 'd1',
      eventId: 'e1',
      event: 'message_received',
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
      nextAttemptAt: LATER_ISO,
      lastAttemptAt: NOW_ISO,
      deliveredAt: null,
      createdAt: NOW_ISO,
    });
  });

  it('shows a next attempt only while the delivery is pending', () => {
    for (const status of ['delivered', 'failed', 'skipped'] as const) expect(deliveryView(delivery({ status })).nextAttemptAt).toBeNull();
  });
});

describe('eventView', () => {
  it('shows the event time as ISO text under `timestamp`, without its place in the log', () => {
    expect(eventView({ seq: 3, id: 'e1', instanceId: 'i1', type: 'message_sent', data: { messageId: 'm1' }, ts: NOW })).toEqual({
      id: 'e1',
      type: 'message_sent',
      timestamp: NOW_ISO,
      data: { messageId: 'm1' },
    });
  });
});

describe('instanceView', () => {
  it('shows the live status given, not the stored one, and none of the bookkeeping fields', () => {
    const row = instanceRecord('u1', { status: 'connecting', webhookUrl: 'https://example.com/hook', webhookEnabled: true });
    expect(instanceView(row, 'connected')).toEqual({
      id: row.id,
      name: 'inst',
      description: null,
      userId: 'u1',
      engine: 'simulator',
      status: 'connected',
      webhookUrl: 'https://example.com/hook',
      webhookEnabled: true,
      createdAt: NOW_ISO,
      updatedAt: NOW_ISO,
    });
  });
});

describe('webhookSettingsView', () => {
  it('shows the secret given, and neither the encrypted one nor when the row last changed', () => {
    const settings = {
      instanceId: 'i1',
      notifyReceived: true,
      notifySent: false,
      notifyDelivery: true,
      notifyRead: false,
      maxRetries: 3,
      retryInterval: 5000,
      secretEnc: 'ciphertext',
      headers: { 'X-Team': 'a' },
      events: ['message_reaction'],
      updatedAt: NOW,
    };
    const { secretEnc: _encrypted, updatedAt: _updatedAt, ...shown } = settings;
    expect(webhookSettingsView(settings, 'plain')).toEqual({ ...shown, secret: 'plain' });
  });
});

function chat(overrides: Partial<ChatRecord> = {}): ChatRecord {
  return {
    instanceId: 'i1',
    chatJid: '79001234567@s.whatsapp.net',
    contactName: null,
    pushName: null,
    number: '79001234567',
    lastMessage: { messageId: 'M1', messageType: 'text', text: 'hi', fromMe: false, status: 'received', timestamp: NOW, deleted: false },
    lastActivityAt: NOW,
    unreadCount: 2,
    ...overrides,
  };
}

describe('chatView', () => {
  it('gives the chat with its last message, instants as ISO text', () => {
    expect(chatView(chat())).toEqual({
      chatId: '79001234567@s.whatsapp.net',
      phone: '79001234567',
      name: '79001234567',
      isGroup: false,
      unreadCount: 2,
      lastActivityAt: NOW_ISO,
      lastMessage: { id: 'M1', type: 'text', preview: 'hi', fromMe: false, status: 'received', timestamp: NOW_ISO, deleted: false },
    });
  });

  it('shows a deleted last message as deleted, without its preview', () => {
    const deleted = chat({ lastMessage: { messageId: 'M1', messageType: 'text', text: 'oops', fromMe: false, status: 'received', timestamp: NOW, deleted: true } });
    expect(chatView(deleted).lastMessage).toMatchObject({ preview: null, deleted: true });
  });

  it('names the chat by the saved name, else the push name, else the phone', () => {
    expect(chatView(chat({ contactName: 'Carol', pushName: 'caz' })).name).toBe('Carol');
    expect(chatView(chat({ contactName: '', pushName: 'caz' })).name).toBe('caz');
    expect(chatView(chat({ chatJid: '120363000000000001@g.us', number: '120363000000000001' }))).toMatchObject({ name: '120363000000000001', isGroup: true });
  });

  it('cuts the preview at 200 characters, not inside one, and keeps a missing one null', () => {
    const long = '😀'.repeat(201);
    const preview = chatView(chat({ lastMessage: { ...chat().lastMessage!, text: long } })).lastMessage?.preview;
    expect(preview).toBe(`${'😀'.repeat(200)}…`);
    expect(chatView(chat({ lastMessage: { ...chat().lastMessage!, messageType: 'image', text: null } })).lastMessage?.preview).toBeNull();
    expect(chatView(chat({ lastMessage: null })).lastMessage).toBeNull();
  });
});
