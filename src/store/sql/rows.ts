import type { Selectable } from 'kysely';
import type {
  ActivityRecord,
  ContactRecord,
  EventRecord,
  InstanceRecord,
  InstanceStatus,
  MessageRecord,
  Role,
  UserRecord,
  WebhookSettingsRecord,
} from '../store.js';
import type {
  ActivityLogsTable,
  ContactsTable,
  EventsTable,
  InstancesTable,
  MessagesTable,
  UsersTable,
  WebhookSettingsTable,
} from './schema.js';

/** Row ↔ record mapping: the only place that knows booleans are 0/1 and JSON is text. */

export const bool = (v: boolean): number => (v ? 1 : 0);
export const json = (v: unknown): string => JSON.stringify(v ?? {});
const parse = <T>(s: string | null): T => (s ? (JSON.parse(s) as T) : ({} as T));
const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** Converts the keys of a camelCase patch to snake_case columns, applying `map` to values. */
export function toColumns(patch: Record<string, unknown>, map: Record<string, (v: never) => unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const column = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const convert = map[key];
    out[column] = convert ? convert(value as never) : typeof value === 'boolean' ? bool(value) : value;
  }
  return out;
}

export function userFromRow(r: Selectable<UsersTable>): UserRecord {
  return {
    id: r.id,
    email: r.email,
    passwordHash: r.password_hash,
    firstName: r.first_name,
    lastName: r.last_name,
    role: r.role as Role,
    active: r.active === 1,
    apiKeyIndex: r.api_key_index,
    apiKeyEnc: r.api_key_enc,
    tokenVersion: Number(r.token_version),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function userToRow(u: UserRecord): UsersTable {
  return {
    id: u.id,
    email: u.email,
    password_hash: u.passwordHash,
    first_name: u.firstName,
    last_name: u.lastName,
    role: u.role,
    active: bool(u.active),
    api_key_index: u.apiKeyIndex,
    api_key_enc: u.apiKeyEnc,
    token_version: u.tokenVersion,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}

export function instanceFromRow(r: Selectable<InstancesTable>): InstanceRecord {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    description: r.description,
    engine: r.engine,
    status: r.status as InstanceStatus,
    linked: r.linked === 1,
    phoneJid: r.phone_jid,
    webhookUrl: r.webhook_url,
    webhookEnabled: r.webhook_enabled === 1,
    lastActivity: num(r.last_activity),
    lastEventTs: Number(r.last_event_ts),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function instanceToRow(i: InstanceRecord): InstancesTable {
  return {
    id: i.id,
    user_id: i.userId,
    name: i.name,
    description: i.description,
    engine: i.engine,
    status: i.status,
    linked: bool(i.linked),
    phone_jid: i.phoneJid,
    webhook_url: i.webhookUrl,
    webhook_enabled: bool(i.webhookEnabled),
    last_activity: i.lastActivity,
    last_event_ts: i.lastEventTs,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  };
}

export function webhookSettingsFromRow(r: Selectable<WebhookSettingsTable>): WebhookSettingsRecord {
  return {
    instanceId: r.instance_id,
    notifyReceived: r.notify_received === 1,
    notifySent: r.notify_sent === 1,
    notifyDelivery: r.notify_delivery === 1,
    notifyRead: r.notify_read === 1,
    maxRetries: r.max_retries,
    retryInterval: Number(r.retry_interval),
    secretEnc: r.secret_enc,
    headers: parse<Record<string, string>>(r.headers),
    events: r.events === null ? null : parse<string[]>(r.events),
    updatedAt: Number(r.updated_at),
  };
}

export function webhookSettingsToRow(s: WebhookSettingsRecord): WebhookSettingsTable {
  return {
    instance_id: s.instanceId,
    notify_received: bool(s.notifyReceived),
    notify_sent: bool(s.notifySent),
    notify_delivery: bool(s.notifyDelivery),
    notify_read: bool(s.notifyRead),
    max_retries: s.maxRetries,
    retry_interval: s.retryInterval,
    secret_enc: s.secretEnc,
    headers: json(s.headers),
    events: s.events === null ? null : json(s.events),
    updated_at: s.updatedAt,
  };
}

export function messageFromRow(r: Selectable<MessagesTable>): MessageRecord {
  return {
    id: r.id,
    instanceId: r.instance_id,
    messageId: r.message_id,
    remoteJid: r.remote_jid,
    fromMe: r.from_me === 1,
    senderJid: r.sender_jid,
    messageType: r.message_type,
    content: r.content,
    hasMedia: r.has_media === 1,
    mediaUrl: r.media_url,
    mediaPath: r.media_path,
    mediaSize: num(r.media_size),
    caption: r.caption,
    mimeType: r.mime_type,
    fileName: r.file_name,
    status: r.status,
    metadata: parse<Record<string, unknown>>(r.metadata),
    timestamp: Number(r.timestamp),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    statusUpdatedAt: num(r.status_updated_at),
  };
}

export function messageToRow(m: MessageRecord): MessagesTable {
  return {
    id: m.id,
    instance_id: m.instanceId,
    message_id: m.messageId,
    remote_jid: m.remoteJid,
    from_me: bool(m.fromMe),
    sender_jid: m.senderJid,
    message_type: m.messageType,
    content: m.content,
    has_media: bool(m.hasMedia),
    media_url: m.mediaUrl,
    media_path: m.mediaPath,
    media_size: m.mediaSize,
    caption: m.caption,
    mime_type: m.mimeType,
    file_name: m.fileName,
    status: m.status,
    metadata: json(m.metadata),
    timestamp: m.timestamp,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    status_updated_at: m.statusUpdatedAt,
  };
}

export function contactFromRow(r: Selectable<ContactsTable>): ContactRecord {
  return {
    id: r.id,
    instanceId: r.instance_id,
    remoteJid: r.remote_jid,
    number: r.number,
    lid: r.lid,
    name: r.name,
    pushName: r.push_name,
    isGroup: r.is_group === 1,
    profilePicture: r.profile_picture,
    about: r.about,
    lastActivity: num(r.last_activity),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function activityFromRow(r: Selectable<ActivityLogsTable>): ActivityRecord {
  return {
    id: r.id,
    instanceId: r.instance_id,
    action: r.action,
    details: parse<Record<string, unknown>>(r.details),
    createdAt: Number(r.created_at),
  };
}

export function eventFromRow(r: Selectable<EventsTable>): EventRecord {
  return {
    seq: Number(r.seq),
    id: r.id,
    instanceId: r.instance_id,
    type: r.type,
    data: parse<Record<string, unknown>>(r.data),
    ts: Number(r.ts),
    webhook: Number(r.webhook) === 1,
  };
}
