import { describe, expect, it } from 'vitest';
import type { MediaKind, NormalizedMessage } from '../../src/engines/engine.js';
import { incomingRow, type MessageMedia, messageRefOf, outgoingRow, receivedPayload, sentPayload, statusPayload } from '../../src/services/message-mapping.js';

const INSTANCE = 'inst-1';
const NOW = 1_700_000_100_000;
/** Unix seconds, as engines report message times. */
const SENT_AT = 1_700_000_000;
const CHAT = '79001234567@s.whatsapp.net';
const GROUP = '120363000000000000@g.us';
const MEMBER = '79007654321@s.whatsapp.net';

function message(overrides: Partial<NormalizedMessage> = {}): NormalizedMessage {
  return { messageId: 'WA-1', chatJid: CHAT, fromMe: false, senderJid: CHAT, pushName: 'Ann', type: 'text', text: 'hello', timestamp: SENT_AT, ...overrides };
}

const download = () => Promise.resolve(Buffer.from('bytes'));

function mediaMessage(kind: MediaKind, overrides: Partial<NormalizedMessage> = {}): NormalizedMessage {
  return message({ type: kind, text: undefined, media: { kind, mimeType: 'application/octet-stream', fileName: `f.${kind}`, size: 4096, download }, ...overrides });
}

const stored: MessageMedia = { stored: { file: 'b2c1.bin', path: '/data/media/inst-1/b2c1.bin', size: 5 }, mimeType: 'image/jpeg', fileName: 'photo.jpg' };

describe('a received text message', () => {
  const row = incomingRow(INSTANCE, message(), undefined, NOW);

  it('is stored as received, its time in milliseconds, with no media', () => {
    expect(row).toMatchObject({
      instanceId: INSTANCE,
      messageId: 'WA-1',
      remoteJid: CHAT,
      fromMe: false,
      senderJid: CHAT,
      messageType: 'text',
      content: 'hello',
      hasMedia: false,
      mediaUrl: null,
      mediaPath: null,
      mediaSize: null,
      caption: null,
      status: 'received',
      metadata: { timestamp: SENT_AT, pushName: 'Ann' },
      timestamp: SENT_AT * 1000,
      createdAt: NOW,
      updatedAt: NOW,
      statusUpdatedAt: null,
    });
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('goes out as the spec\'s message_received: plain text is a `conversation`, and no author in a 1:1 chat', () => {
    expect(receivedPayload(row)).toEqual({
      messageId: 'WA-1',
      from: CHAT,
      body: 'hello',
      type: 'conversation',
      timestamp: SENT_AT,
      hasMedia: false,
      pushName: 'Ann',
      remoteJid: CHAT,
      fromMe: false,
      status: 'received',
      metadata: { timestamp: SENT_AT, pushName: 'Ann' },
    });
  });

  it('has a null pushName in the payload when WhatsApp gave none', () => {
    const payload = receivedPayload(incomingRow(INSTANCE, message({ pushName: undefined }), undefined, NOW));
    expect(payload.pushName).toBeNull();
    expect(payload.metadata).toEqual({ timestamp: SENT_AT });
  });
});

describe('received media', () => {
  for (const kind of ['image', 'video', 'audio', 'document', 'sticker'] as const) {
    it(`${kind}: stored with its file, served under the instance's media URL, and described in the payload`, () => {
      const media: MessageMedia = { ...stored, mimeType: `${kind}/x-test`, fileName: `f.${kind}` };
      const row = incomingRow(INSTANCE, mediaMessage(kind, { caption: 'look' }), media, NOW);
      expect(row).toMatchObject({
        messageType: kind,
        content: 'look',
        caption: 'look',
        hasMedia: true,
        mediaUrl: `/api/instances/${INSTANCE}/media/b2c1.bin`,
        mediaPath: '/data/media/inst-1/b2c1.bin',
        mediaSize: 5,
        mimeType: `${kind}/x-test`,
        fileName: `f.${kind}`,
      });
      expect(receivedPayload(row)).toMatchObject({
        type: kind,
        body: 'look',
        hasMedia: true,
        mimeType: `${kind}/x-test`,
        fileName: `f.${kind}`,
        mediaUrl: `/api/instances/${INSTANCE}/media/b2c1.bin`,
        mediaSize: 5,
        caption: 'look',
      });
    });
  }

  it('without a caption has no content and no caption in the payload', () => {
    const row = incomingRow(INSTANCE, mediaMessage('image'), stored, NOW);
    expect(row.content).toBeNull();
    const payload = receivedPayload(row);
    expect(payload.body).toBe('');
    expect(payload).not.toHaveProperty('caption');
  });

  it('not downloaded is still stored, with the size WhatsApp announced and the reason in the row and the payload', () => {
    const media: MessageMedia = { mimeType: 'video/mp4', fileName: 'clip.mp4', error: 'media of 4096 bytes exceeds the 1024-byte limit (MEDIA_MAX_BYTES); not downloaded' };
    const row = incomingRow(INSTANCE, mediaMessage('video'), media, NOW);
    expect(row).toMatchObject({ hasMedia: true, mediaUrl: null, mediaPath: null, mediaSize: 4096, mimeType: 'video/mp4', fileName: 'clip.mp4' });
    expect(row.metadata.mediaError).toBe(media.error);
    expect(receivedPayload(row)).toMatchObject({ hasMedia: true, mediaUrl: null, mediaSize: 4096, mediaError: media.error });
  });
});

describe('received messages with details', () => {
  it('location: summarised by its name, else address, else coordinates; the whole location in the payload', () => {
    const place = { latitude: 55.75, longitude: 37.62, name: 'Red Square', address: 'Moscow' };
    const at = (location: NormalizedMessage['location']) => incomingRow(INSTANCE, message({ type: 'location', text: undefined, location }), undefined, NOW);
    expect(at(place).content).toBe('Red Square');
    expect(at({ ...place, name: undefined }).content).toBe('Moscow');
    expect(at({ latitude: 55.75, longitude: 37.62 }).content).toBe('55.75,37.62');
    const row = at(place);
    expect(row.metadata.location).toEqual(place);
    expect(receivedPayload(row)).toMatchObject({ type: 'location', body: 'Red Square', location: place });
  });

  it('contact cards: summarised by the names, the cards in the payload (the first also as `contact`)', () => {
    const bob = { name: 'Bob', phone: '79001112233', vcard: 'BEGIN:VCARD\nEND:VCARD' };
    const eve = { name: 'Eve', vcard: 'BEGIN:VCARD\nEND:VCARD' };
    const row = incomingRow(INSTANCE, message({ type: 'contact', text: undefined, contacts: [bob, eve] }), undefined, NOW);
    expect(row.content).toBe('Bob, Eve');
    expect(receivedPayload(row)).toMatchObject({ type: 'contact', body: 'Bob, Eve', contacts: [bob, eve], contact: bob });
  });

  it('contact card stored before several were kept: read as a list of one', () => {
    const bob = { name: 'Bob', phone: '79001112233', vcard: 'BEGIN:VCARD\nEND:VCARD' };
    const row = { ...incomingRow(INSTANCE, message({ type: 'contact', text: undefined }), undefined, NOW), metadata: { timestamp: 1, contact: bob } };
    expect(receivedPayload(row)).toMatchObject({ contacts: [bob], contact: bob });
  });

  it('poll: summarised by the question; the secret stays on the row, out of the payload', () => {
    const poll = { question: 'Lunch?', options: ['Pizza', 'Sushi'], multipleAnswers: false };
    const row = incomingRow(INSTANCE, message({ type: 'poll', text: undefined, poll, pollSecret: 'c2VjcmV0', mentions: ['79001112233@s.whatsapp.net'] }), undefined, NOW);
    expect(row.content).toBe('Lunch?');
    expect(row.metadata.pollSecret).toBe('c2VjcmV0');
    const payload = receivedPayload(row);
    expect(payload).toMatchObject({ type: 'poll', body: 'Lunch?', poll, mentions: ['79001112233@s.whatsapp.net'] });
    expect(JSON.stringify(payload)).not.toContain('c2VjcmV0');
  });

  it('reply: the quoted message id in the row and the payload', () => {
    const row = incomingRow(INSTANCE, message({ quotedMessageId: 'WA-0' }), undefined, NOW);
    expect(row.metadata.quotedMessageId).toBe('WA-0');
    expect(receivedPayload(row)).toMatchObject({ quotedMessageId: 'WA-0', body: 'hello' });
  });

  it('in a group: the chat is the group, the member who wrote it is the author', () => {
    const row = incomingRow(INSTANCE, message({ chatJid: GROUP, senderJid: MEMBER }), undefined, NOW);
    expect(row).toMatchObject({ remoteJid: GROUP, senderJid: MEMBER });
    expect(row.metadata.author).toBe(MEMBER);
    expect(receivedPayload(row)).toMatchObject({ from: GROUP, author: MEMBER, remoteJid: GROUP, pushName: 'Ann' });
  });

  it('from a LID: the chat is the phone number, the LID is kept and shown beside it', () => {
    const lid = '123456789012345@lid';
    const row = incomingRow(INSTANCE, message({ lid }), undefined, NOW);
    expect(row).toMatchObject({ remoteJid: CHAT, metadata: { lid } });
    expect(receivedPayload(row)).toMatchObject({ from: CHAT, remoteJid: CHAT, lid });
    const sent = outgoingRow(INSTANCE, { messageId: 'WA-9', chatJid: CHAT, type: 'text', text: 'hi', details: { lid }, timestamp: SENT_AT }, null, NOW);
    expect(sentPayload(sent)).toMatchObject({ to: CHAT, lid });
  });

  it('an unknown kind keeps its type and has nothing to say', () => {
    const row = incomingRow(INSTANCE, message({ type: 'unknown', text: undefined }), undefined, NOW);
    expect(row.content).toBeNull();
    expect(receivedPayload(row)).toMatchObject({ type: 'unknown', body: '' });
  });
});

describe('a message sent from the phone itself (fromMe)', () => {
  const row = incomingRow(INSTANCE, message({ fromMe: true, senderJid: undefined, pushName: undefined }), undefined, NOW);

  it('is stored as sent, with no sender', () => {
    expect(row).toMatchObject({ fromMe: true, senderJid: null, status: 'sent', content: 'hello' });
  });

  it('goes out as message_sent: addressed `to` the chat, and text stays `text`', () => {
    expect(sentPayload(row)).toEqual({
      messageId: 'WA-1',
      to: CHAT,
      body: 'hello',
      type: 'text',
      timestamp: SENT_AT,
      hasMedia: false,
      remoteJid: CHAT,
      fromMe: true,
      status: 'sent',
      metadata: { timestamp: SENT_AT },
    });
  });
});

describe('a message sent through the API', () => {
  it('text: pending until WhatsApp acknowledges it, sent by the linked number', () => {
    const row = outgoingRow(INSTANCE, { messageId: 'WA-2', chatJid: CHAT, type: 'text', text: 'hi there', timestamp: SENT_AT }, '79005550000@s.whatsapp.net', NOW);
    expect(row).toMatchObject({
      messageId: 'WA-2',
      remoteJid: CHAT,
      fromMe: true,
      senderJid: '79005550000@s.whatsapp.net',
      messageType: 'text',
      content: 'hi there',
      hasMedia: false,
      status: 'pending',
      metadata: { timestamp: SENT_AT },
      timestamp: SENT_AT * 1000,
      createdAt: NOW,
    });
    expect(sentPayload(row)).toMatchObject({ messageId: 'WA-2', to: CHAT, body: 'hi there', type: 'text', status: 'pending', fromMe: true });
  });

  it('media: the stored file and the caption as its content', () => {
    const row = outgoingRow(INSTANCE, { messageId: 'WA-3', chatJid: CHAT, type: 'image', caption: 'see', media: stored, timestamp: SENT_AT }, null, NOW);
    expect(row).toMatchObject({
      senderJid: null,
      content: 'see',
      caption: 'see',
      hasMedia: true,
      mediaUrl: `/api/instances/${INSTANCE}/media/b2c1.bin`,
      mediaPath: '/data/media/inst-1/b2c1.bin',
      mediaSize: 5,
      mimeType: 'image/jpeg',
      fileName: 'photo.jpg',
    });
    expect(sentPayload(row)).toMatchObject({ type: 'image', body: 'see', hasMedia: true, mimeType: 'image/jpeg', fileName: 'photo.jpg', caption: 'see', mediaSize: 5 });
  });
});

describe('statusPayload', () => {
  const row = { messageId: 'WA-2', remoteJid: CHAT, fromMe: true, metadata: {} };

  it('says which message reached which status', () => {
    expect(statusPayload(row, 'read')).toEqual({ messageId: 'WA-2', status: 'read', from: CHAT, fromMe: true });
  });

  it('carries the reason of a failure', () => {
    expect(statusPayload(row, 'failed', 'not on WhatsApp')).toEqual({ messageId: 'WA-2', status: 'failed', from: CHAT, fromMe: true, error: 'not on WhatsApp' });
  });

  it('names the chat by its phone number and its LID when it has one', () => {
    const lid = '123456789012345@lid';
    expect(statusPayload({ ...row, metadata: { lid } }, 'delivered')).toEqual({ messageId: 'WA-2', status: 'delivered', from: CHAT, fromMe: true, lid });
  });
});

describe('a stored message as the engines address it', () => {
  const OWN = '15550001000@s.whatsapp.net';

  it('names the other side in a one-to-one chat and the author in a group', () => {
    expect(messageRefOf(incomingRow(INSTANCE, message(), undefined, NOW))).toEqual({ messageId: 'WA-1', chatJid: CHAT, fromMe: false, senderJid: CHAT });
    const inGroup = incomingRow(INSTANCE, message({ chatJid: GROUP, senderJid: MEMBER }), undefined, NOW);
    expect(messageRefOf(inGroup, OWN)).toEqual({ messageId: 'WA-1', chatJid: GROUP, fromMe: false, senderJid: MEMBER });
  });

  it('names the linked account for our own messages when it is known', () => {
    const ours = incomingRow(INSTANCE, message({ fromMe: true, senderJid: undefined }), undefined, NOW);
    expect(messageRefOf(ours, OWN).senderJid).toBe(OWN);
    expect(messageRefOf(ours).senderJid).toBe(CHAT);
  });
});
