import type { Static } from '@sinclair/typebox';
import { iso } from '../core/clock.js';
import type { ChatRecord } from '../store/chats.js';
import type { DeliveryRecord } from '../store/deliveries.js';
import type { ContactRecord, EventRecord, InstanceRecord, MessageRecord, WebhookSettingsRecord } from '../store/store.js';
import type { ChatView } from './schemas/chats.js';
import type { InstanceCreated, WebhookSettingsView } from './schemas/instances.js';
import type { ContactView, EventsResponse, MessageView } from './schemas/messaging.js';
import type { DeliveryView } from './schemas/webhooks.js';
import { contactsOf } from '../services/message-mapping.js';
import { type ChangeMetadata, tally } from '../services/message-updates.js';
import { isWebhookEventType } from '../services/event-log.js';

/*
 * How stored records read through the REST API: instants as ISO text, and only what a client may
 * see (no media paths on disk, no encrypted secrets). Each view returns its response schema's
 * type, so a field the schema gains or loses fails to compile here rather than vanish from the
 * response unnoticed (the serializer drops what the schema does not name).
 */

type MessageDetails = Pick<Static<typeof MessageView>, 'author' | 'quotedMessageId' | 'mentions' | 'location' | 'contacts' | 'poll' | 'reactions' | 'editedAt' | 'edits' | 'deletedAt'>;

/** Kept on the row for the engine or the change rules, never shown. */
const HIDDEN_METADATA = ['pollSecret', 'pollVotes'];
/** What a message said: not shown once it is deleted for everyone. */
const CONTENT_METADATA = ['location', 'contact', 'contacts', 'poll', 'edits', 'mentions', 'reactions'];

/** The fields of a message's kind and of what happened to it since (reactions, edits, deletion). */
function messageDetails(m: MessageRecord): MessageDetails {
  const meta = m.metadata as ChangeMetadata & Record<string, unknown>;
  const out: MessageDetails = {};
  const author = typeof meta.author === 'string' ? meta.author : m.senderJid;
  if (m.remoteJid.endsWith('@g.us') && author) out.author = author;
  if (typeof meta.quotedMessageId === 'string') out.quotedMessageId = meta.quotedMessageId;
  // WhatsApp shows a deleted message without its reactions too.
  if (meta.deletedAt !== undefined) return { ...out, deletedAt: iso(meta.deletedAt) };
  if (meta.reactions?.length) out.reactions = meta.reactions.map((r) => ({ from: r.from, emoji: r.emoji, at: iso(r.at) }));
  if (Array.isArray(meta.mentions)) out.mentions = meta.mentions as string[];
  if (meta.location) out.location = meta.location as MessageDetails['location'];
  const contacts = contactsOf(meta);
  if (contacts) out.contacts = contacts.map((c) => ({ ...c, vcard: c.vcard ?? '' }));
  if (meta.poll) out.poll = { ...meta.poll, votes: tally(meta.poll, meta.pollVotes) };
  if (meta.editedAt !== undefined) out.editedAt = iso(meta.editedAt);
  if (meta.edits) out.edits = meta.edits;
  return out;
}

function shownMetadata(m: MessageRecord, deleted: boolean): Record<string, unknown> {
  const hidden = deleted ? [...HIDDEN_METADATA, ...CONTENT_METADATA] : HIDDEN_METADATA;
  return Object.fromEntries(Object.entries(m.metadata).filter(([key]) => !hidden.includes(key)));
}

/** A message as history shows it; once deleted for everyone, without what it said. */
export function messageView(m: MessageRecord): Static<typeof MessageView> {
  const deleted = m.metadata.deletedAt !== undefined;
  return {
    id: m.id,
    instanceId: m.instanceId,
    remoteJid: m.remoteJid,
    ...(typeof m.metadata.lid === 'string' ? { lid: m.metadata.lid } : {}),
    fromMe: m.fromMe,
    senderJid: m.senderJid,
    messageType: m.messageType,
    content: deleted ? null : m.content,
    messageId: m.messageId,
    hasMedia: m.hasMedia,
    mediaUrl: deleted ? null : m.mediaUrl,
    mediaSize: m.mediaSize,
    caption: deleted ? null : m.caption,
    mimeType: m.mimeType,
    fileName: deleted ? null : m.fileName,
    status: m.status,
    metadata: shownMetadata(m, deleted),
    timestamp: iso(m.timestamp),
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
    statusUpdatedAt: iso(m.statusUpdatedAt),
    ...messageDetails(m),
  };
}

type EventView = Static<typeof EventsResponse>['events'][number];

export function eventView(e: EventRecord): EventView {
  return { id: e.id, type: e.type, timestamp: iso(e.ts), data: e.data };
}

export function contactView(c: ContactRecord): Static<typeof ContactView> {
  return {
    id: c.id,
    instanceId: c.instanceId,
    name: c.name,
    number: c.number,
    remoteJid: c.remoteJid,
    // Contacts stored in MongoDB before LIDs were kept have no field at all.
    lid: c.lid ?? null,
    pushName: c.pushName,
    isGroup: c.isGroup,
    profilePicture: c.profilePicture,
    about: c.about,
    lastActivity: iso(c.lastActivity),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

/** Long enough for a list row on any screen; the whole text is in the chat's history. */
const PREVIEW_CHARS = 200;

function preview(text: string | null): string | null {
  if (text === null) return null;
  const chars = Array.from(text);
  return chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join('')}…` : text;
}

export function chatView(c: ChatRecord): Static<typeof ChatView> {
  const m = c.lastMessage;
  return {
    chatId: c.chatJid,
    phone: c.number,
    name: c.contactName || c.pushName || c.number,
    isGroup: c.chatJid.endsWith('@g.us'),
    unreadCount: c.unreadCount,
    lastActivityAt: iso(c.lastActivityAt),
    lastMessage: m && {
      id: m.messageId,
      type: m.messageType,
      preview: m.deleted ? null : preview(m.text),
      fromMe: m.fromMe,
      status: m.status,
      timestamp: iso(m.timestamp),
      deleted: m.deleted,
    },
  };
}

export function deliveryView(d: DeliveryRecord): Static<typeof DeliveryView> {
  return {
    id: d.id,
    eventId: d.eventId,
    event: d.eventType,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    // A delivered or given-up row keeps its last schedule; it is no longer a plan.
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    lastAttemptAt: iso(d.lastAttemptAt),
    deliveredAt: iso(d.deliveredAt),
    createdAt: iso(d.createdAt),
  };
}

/** An instance; `status` is its session's live one, which the stored row only follows. */
export function instanceView(i: InstanceRecord, status: string): Static<typeof InstanceCreated> {
  return {
    id: i.id,
    name: i.name,
    description: i.description,
    userId: i.userId,
    engine: i.engine,
    status,
    webhookUrl: i.webhookUrl,
    webhookEnabled: i.webhookEnabled,
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
  };
}

/** The webhook settings with the secret decrypted: only the instance's owner or an admin get here. */
export function webhookSettingsView(s: WebhookSettingsRecord, secret: string | null): Static<typeof WebhookSettingsView> {
  return {
    instanceId: s.instanceId,
    notifyReceived: s.notifyReceived,
    notifySent: s.notifySent,
    notifyDelivery: s.notifyDelivery,
    notifyRead: s.notifyRead,
    maxRetries: s.maxRetries,
    retryInterval: s.retryInterval,
    secret,
    headers: s.headers,
    // Names a later version no longer emits drop out rather than fail the response.
    events: s.events && s.events.filter(isWebhookEventType),
  };
}
