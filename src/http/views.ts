import type { Static } from '@sinclair/typebox';
import { iso } from '../core/clock.js';
import type { ChatRecord } from '../store/chats.js';
import type { DeliveryRecord } from '../store/deliveries.js';
import type { ContactRecord, EventRecord, InstanceRecord, MessageRecord, WebhookSettingsRecord } from '../store/store.js';
import type { ChatView } from './schemas/chats.js';
import type { InstanceCreated, WebhookSettingsView } from './schemas/instances.js';
import type { ContactView, EventsResponse, MessageView } from './schemas/messaging.js';
import type { DeliveryView } from './schemas/webhooks.js';

/*
 * How stored records read through the REST API: instants as ISO text, and only what a client may
 * see (no media paths on disk, no encrypted secrets). Each view returns its response schema's
 * type, so a field the schema gains or loses fails to compile here rather than vanish from the
 * response unnoticed (the serializer drops what the schema does not name).
 */

export function messageView(m: MessageRecord): Static<typeof MessageView> {
  return {
    id: m.id,
    instanceId: m.instanceId,
    remoteJid: m.remoteJid,
    fromMe: m.fromMe,
    senderJid: m.senderJid,
    messageType: m.messageType,
    content: m.content,
    messageId: m.messageId,
    hasMedia: m.hasMedia,
    mediaUrl: m.mediaUrl,
    mediaSize: m.mediaSize,
    caption: m.caption,
    mimeType: m.mimeType,
    fileName: m.fileName,
    status: m.status,
    metadata: m.metadata,
    timestamp: iso(m.timestamp),
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
    statusUpdatedAt: iso(m.statusUpdatedAt),
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
    lastMessage: m && { id: m.messageId, type: m.messageType, preview: preview(m.text), fromMe: m.fromMe, status: m.status, timestamp: iso(m.timestamp) },
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
  };
}
