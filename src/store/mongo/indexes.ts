import type { Db, IndexDescription } from 'mongodb';
import type { CollectionName } from '../transfer.js';
import { COUNTERS, MONGO_COLLECTION } from './documents.js';

/**
 * Unique keys (the same ones the SQL schema enforces) and the query paths the repositories use.
 * Created at start; `createIndexes` is a no-op for indexes that already exist.
 */
export const INDEXES: Record<CollectionName, IndexDescription[]> = {
  users: [
    { key: { email: 1 }, unique: true, name: 'users_email' },
    { key: { apiKeyIndex: 1 }, unique: true, name: 'users_api_key_index' },
    { key: { createdAt: 1, _id: 1 }, name: 'users_created' },
  ],
  instances: [
    { key: { userId: 1, createdAt: 1 }, name: 'instances_user' },
    { key: { linked: 1 }, name: 'instances_linked' },
  ],
  webhookSettings: [],
  authState: [{ key: { instanceId: 1, type: 1, id: 1 }, unique: true, name: 'auth_state_key' }],
  messages: [
    { key: { instanceId: 1, messageId: 1 }, unique: true, name: 'messages_instance_message' },
    { key: { instanceId: 1, remoteJid: 1, timestamp: -1, _id: -1 }, name: 'messages_chat' },
    { key: { instanceId: 1, mediaPath: 1 }, name: 'messages_media_path' },
  ],
  contacts: [
    { key: { instanceId: 1, remoteJid: 1 }, unique: true, name: 'contacts_instance_jid' },
    { key: { instanceId: 1, name: 1, remoteJid: 1 }, name: 'contacts_list' },
  ],
  chats: [{ key: { instanceId: 1, lastActivityAt: -1, lastMessageId: -1 }, name: 'chats_activity' }],
  groups: [{ key: { instanceId: 1, subject: 1, groupJid: 1 }, name: 'groups_list' }],
  activity: [{ key: { instanceId: 1, createdAt: -1, _id: -1 }, name: 'activity_instance_time' }],
  events: [
    { key: { seq: 1 }, unique: true, name: 'events_seq' },
    { key: { instanceId: 1, ts: 1 }, name: 'events_instance_ts' },
    { key: { instanceId: 1, ts: 1 }, name: 'events_webhook', partialFilterExpression: { webhook: true } },
  ],
  deliveries: [
    { key: { status: 1, instanceId: 1, eventSeq: 1 }, name: 'deliveries_queue' },
    { key: { instanceId: 1, eventSeq: -1 }, name: 'deliveries_instance' },
    { key: { eventId: 1 }, name: 'deliveries_event' },
  ],
  webhookCursors: [],
  webhookRanges: [{ key: { instanceId: 1, toTs: 1 }, unique: true, name: 'webhook_ranges_key' }],
  usage: [
    { key: { instanceId: 1, day: 1 }, unique: true, name: 'usage_instance_day' },
    { key: { userId: 1, day: 1 }, name: 'usage_user_day' },
  ],
  limits: [{ key: { scope: 1, scopeId: 1 }, unique: true, name: 'limits_scope' }],
  limitNotices: [{ key: { scopeKey: 1, limitName: 1, windowStart: 1 }, unique: true, name: 'limit_notices_key' }],
};

const NAMESPACE_EXISTS = 48;

/** Creates the collections up front, so a transaction never has to create one implicitly (4.2 cannot). */
async function ensureCollection(db: Db, name: string): Promise<void> {
  const exists = await db.listCollections({ name }, { nameOnly: true }).hasNext();
  if (exists) return;
  try {
    await db.createCollection(name);
  } catch (error) {
    // Another node starting at the same moment created it first.
    if ((error as { code?: number }).code !== NAMESPACE_EXISTS) throw error;
  }
}

export async function ensureSchema(db: Db): Promise<void> {
  await ensureCollection(db, COUNTERS);
  for (const [name, indexes] of Object.entries(INDEXES) as Array<[CollectionName, IndexDescription[]]>) {
    await ensureCollection(db, MONGO_COLLECTION[name]);
    if (indexes.length > 0) await db.collection(MONGO_COLLECTION[name]).createIndexes(indexes);
  }
}
