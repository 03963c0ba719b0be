import type { ContactCard, MessageRef, MessageStatus, MessageType, NormalizedMessage } from '../engines/engine.js';
import { timeOrderedId } from '../core/ids.js';
import type { MessageRecord } from '../store/store.js';
import type { StoredMedia } from '../media/media-store.js';

/*
 * A message's way through the gateway, in one place: the engine's NormalizedMessage (or an API
 * send) becomes the stored row, and the row becomes the webhook body of `message_received`,
 * `message_sent` and `message_status`. The REST view of the row is http/views.ts.
 */

/** Media as it ends up on a message row: stored, or known but not downloaded (with the reason). */
export interface MessageMedia {
  stored?: StoredMedia;
  mimeType: string;
  fileName: string | null;
  error?: string;
}

export function mediaUrlOf(instanceId: string, stored: StoredMedia | undefined): string | null {
  return stored ? `/api/instances/${instanceId}/media/${stored.file}` : null;
}

/** What a message "says" in one line: the text, the caption, or a summary of a location or card. */
function contentOf(m: NormalizedMessage): string | null {
  if (m.text !== undefined) return m.text;
  if (m.caption !== undefined) return m.caption;
  if (m.location) return m.location.name ?? m.location.address ?? `${m.location.latitude},${m.location.longitude}`;
  if (m.contacts) return m.contacts.map((c) => c.name).join(', ');
  if (m.poll) return m.poll.question;
  return null;
}

/** The row for a message an engine reported (received, or sent from the phone itself). */
export function incomingRow(instanceId: string, m: NormalizedMessage, media: MessageMedia | undefined, now: number): MessageRecord {
  const metadata: Record<string, unknown> = { timestamp: m.timestamp };
  if (m.pushName) metadata.pushName = m.pushName;
  if (m.lid) metadata.lid = m.lid;
  if (m.senderJid && m.senderJid !== m.chatJid) metadata.author = m.senderJid;
  if (m.quotedMessageId) metadata.quotedMessageId = m.quotedMessageId;
  if (m.location) metadata.location = m.location;
  if (m.contacts) metadata.contacts = m.contacts;
  if (m.poll) metadata.poll = m.poll;
  if (m.pollSecret) metadata.pollSecret = m.pollSecret;
  if (m.mentions) metadata.mentions = m.mentions;
  if (m.forwarded) metadata.forwarded = true;
  if (media?.error) metadata.mediaError = media.error;
  return {
    id: timeOrderedId(now),
    instanceId,
    messageId: m.messageId,
    remoteJid: m.chatJid,
    fromMe: m.fromMe,
    senderJid: m.senderJid ?? null,
    messageType: m.type,
    content: contentOf(m),
    hasMedia: m.media !== undefined,
    mediaUrl: mediaUrlOf(instanceId, media?.stored),
    mediaPath: media?.stored?.path ?? null,
    mediaSize: media?.stored?.size ?? m.media?.size ?? null,
    caption: m.caption ?? null,
    mimeType: media?.mimeType ?? null,
    fileName: media?.fileName ?? null,
    status: m.fromMe ? 'sent' : 'received',
    metadata,
    timestamp: m.timestamp * 1000,
    createdAt: now,
    updatedAt: now,
    statusUpdatedAt: null,
  };
}

export interface OutgoingMessage {
  messageId: string;
  chatJid: string;
  type: MessageType;
  text?: string;
  caption?: string;
  media?: MessageMedia;
  /**
   * Kept in metadata under the names received messages use (quotedMessageId, mentions,
   * location, contacts, poll), so history and webhooks show a send as they show a receipt.
   */
  details?: Record<string, unknown>;
  /** Unix seconds, from the engine. */
  timestamp: number;
}

/** The row for a message sent through the API; `pending` until WhatsApp acknowledges it. */
export function outgoingRow(instanceId: string, m: OutgoingMessage, senderJid: string | null, now: number): MessageRecord {
  return {
    id: timeOrderedId(now),
    instanceId,
    messageId: m.messageId,
    remoteJid: m.chatJid,
    fromMe: true,
    senderJid,
    messageType: m.type,
    content: m.text ?? m.caption ?? null,
    hasMedia: m.media !== undefined,
    mediaUrl: mediaUrlOf(instanceId, m.media?.stored),
    mediaPath: m.media?.stored?.path ?? null,
    mediaSize: m.media?.stored?.size ?? null,
    caption: m.caption ?? null,
    mimeType: m.media?.mimeType ?? null,
    fileName: m.media?.fileName ?? null,
    status: 'pending',
    metadata: { ...m.details, ...(m.media?.error ? { mediaError: m.media.error } : {}), timestamp: m.timestamp },
    timestamp: m.timestamp * 1000,
    createdAt: now,
    updatedAt: now,
    statusUpdatedAt: null,
  };
}

function mediaFields(row: MessageRecord): Record<string, unknown> {
  if (!row.hasMedia) return {};
  const fields: Record<string, unknown> = { mimeType: row.mimeType, fileName: row.fileName, mediaUrl: row.mediaUrl, mediaSize: row.mediaSize };
  if (row.caption !== null) fields.caption = row.caption;
  if (row.metadata.mediaError) fields.mediaError = row.metadata.mediaError;
  return fields;
}

/**
 * A message's cards: `contacts` since messages carry several; rows stored before kept one card
 * under `contact`.
 */
export function contactsOf(metadata: Record<string, unknown>): ContactCard[] | undefined {
  if (Array.isArray(metadata.contacts)) return metadata.contacts as ContactCard[];
  return metadata.contact ? [metadata.contact as ContactCard] : undefined;
}

function details(row: MessageRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['lid', 'author', 'quotedMessageId', 'mentions', 'location', 'poll'] as const) {
    if (row.metadata[key] !== undefined) out[key] = row.metadata[key];
  }
  const contacts = contactsOf(row.metadata);
  if (contacts) {
    out.contacts = contacts;
    // The single card webhook receivers read before messages carried several.
    out.contact = contacts[0];
  }
  return out;
}

/**
 * The fields the spec's events-feed example shows for a message (`remoteJid`, `fromMe`, `status`,
 * `metadata`), added to the webhook payload so one event serves both shapes.
 */
function feedFields(row: MessageRecord): Record<string, unknown> {
  const metadata: Record<string, unknown> = { timestamp: Math.floor(row.timestamp / 1000) };
  if (row.metadata.pushName !== undefined) metadata.pushName = row.metadata.pushName;
  return { remoteJid: row.remoteJid, fromMe: row.fromMe, status: row.status, metadata };
}

/** The spec's `message_received` payload; plain text is `conversation`, as WhatsApp names it. */
export function receivedPayload(row: MessageRecord): Record<string, unknown> {
  return {
    messageId: row.messageId,
    from: row.remoteJid,
    body: row.content ?? '',
    type: row.messageType === 'text' ? 'conversation' : row.messageType,
    timestamp: Math.floor(row.timestamp / 1000),
    hasMedia: row.hasMedia,
    pushName: (row.metadata.pushName as string | undefined) ?? null,
    ...mediaFields(row),
    ...details(row),
    ...feedFields(row),
  };
}

/** The spec's `message_sent` payload, for API sends and for messages sent from the phone. */
export function sentPayload(row: MessageRecord): Record<string, unknown> {
  return {
    messageId: row.messageId,
    to: row.remoteJid,
    body: row.content ?? '',
    type: row.messageType,
    timestamp: Math.floor(row.timestamp / 1000),
    hasMedia: row.hasMedia,
    ...mediaFields(row),
    ...details(row),
    ...feedFields(row),
  };
}

/** The `message_status` payload: which message moved to which status, and why it failed. */
export function statusPayload(row: Pick<MessageRecord, 'messageId' | 'remoteJid' | 'fromMe' | 'metadata'>, status: MessageStatus, error?: string): Record<string, unknown> {
  const data: Record<string, unknown> = { messageId: row.messageId, status, from: row.remoteJid, fromMe: row.fromMe };
  if (typeof row.metadata.lid === 'string') data.lid = row.metadata.lid;
  if (error) data.error = error;
  return data;
}

/**
 * A stored message as the engines address it: who wrote it is the group author or the other
 * side, or, for our own, the linked account (`ownJid`) when it is known.
 */
export function messageRefOf(row: MessageRecord, ownJid?: string | null): MessageRef {
  const theirs = (row.metadata.author as string | undefined) ?? row.senderJid ?? row.remoteJid;
  const senderJid = row.fromMe ? (ownJid ?? row.senderJid ?? row.remoteJid) : theirs;
  return { messageId: row.messageId, chatJid: row.remoteJid, fromMe: row.fromMe, senderJid };
}
