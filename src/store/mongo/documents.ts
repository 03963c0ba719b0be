import type { ClientSession, Collection, Db, Document, Filter } from 'mongodb';
import type { ActivityQuery, ContactQuery, EventQuery, MessageQuery } from '../store.js';
import { COLLECTIONS, type CollectionName, type Row } from '../transfer.js';
import type { UsageQuery } from '../usage.js';

/**
 * Document ↔ record mapping and filter building: the pure part of the MongoDB adapter.
 * A document is the record itself (camelCase, booleans, epoch-ms numbers, plain objects) plus
 * `_id`: the record's string id where it has one, else its key fields as a JSON array string.
 */

export const MONGO_COLLECTION: Record<CollectionName, string> = {
  users: 'users',
  instances: 'instances',
  webhookSettings: 'webhook_settings',
  authState: 'auth_state',
  messages: 'messages',
  contacts: 'contacts',
  chats: 'chats',
  groups: 'groups',
  activity: 'activity_logs',
  events: 'events',
  deliveries: 'webhook_deliveries',
  webhookCursors: 'webhook_cursors',
  webhookRanges: 'webhook_ranges',
  usage: 'usage_daily',
  limits: 'limits',
  limitNotices: 'limit_notices',
};

/** Holds the event sequence (`_id: 'events'`). */
export const COUNTERS = 'counters';

/** Collections whose `id` field becomes `_id` (and is not stored twice). */
const ID_AS_KEY = new Set<CollectionName>(['users', 'instances', 'messages', 'contacts', 'activity', 'events', 'deliveries']);
/** Collections keyed by one string field that is also kept as a field, for queries. */
const FIELD_AS_KEY: Partial<Record<CollectionName, string>> = { webhookSettings: 'instanceId', webhookCursors: 'instanceId' };

/** The `_id` of a record; composite keys become a JSON array, which cannot collide like a joined string. */
export function documentId(collection: CollectionName, row: Row): string {
  if (ID_AS_KEY.has(collection)) return String(row.id);
  const field = FIELD_AS_KEY[collection];
  if (field) return String(row[field]);
  return JSON.stringify(COLLECTIONS[collection].key.map((k) => row[k]));
}

/** Every stored document: our string `_id`, never an ObjectId. */
export interface StoredDocument extends Document {
  _id: string;
}

export function toDocument(collection: CollectionName, row: Row): StoredDocument {
  const doc: StoredDocument = { _id: documentId(collection, row) };
  for (const [field, value] of Object.entries(row)) {
    if (value === undefined || (field === 'id' && ID_AS_KEY.has(collection))) continue;
    doc[field] = value;
  }
  return doc;
}

export function fromDocument<T>(collection: CollectionName, doc: Document): T {
  const { _id, ...rest } = doc;
  for (const [field, value] of Object.entries(rest)) if (value === undefined) delete rest[field];
  return (ID_AS_KEY.has(collection) ? { id: _id, ...rest } : rest) as T;
}

/** A patch for `$set`: undefined fields are left alone, as in the SQL adapter. */
export function definedFields(patch: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function range(from?: number | string, to?: number | string): Record<string, unknown> | undefined {
  if (from === undefined && to === undefined) return undefined;
  return { ...(from !== undefined ? { $gte: from } : {}), ...(to !== undefined ? { $lte: to } : {}) };
}

export function messageChatFilter(query: MessageQuery): Filter<StoredDocument> {
  const filter: Filter<StoredDocument> = { instanceId: query.instanceId, remoteJid: query.remoteJid };
  const timestamp = range(query.from, query.to);
  if (timestamp) filter.timestamp = timestamp;
  return filter;
}

/** Case-insensitive substring search over name, push name and number, like the SQL `lower(..) like`. */
export function contactFilter(query: ContactQuery): Filter<StoredDocument> {
  const filter: Filter<StoredDocument> = { instanceId: query.instanceId };
  if (query.onlyGroups) filter.isGroup = true;
  if (query.search) {
    const pattern = { $regex: escapeRegex(query.search), $options: 'i' };
    filter.$or = [{ name: pattern }, { pushName: pattern }, { number: pattern }];
  }
  return filter;
}

export function activityFilter(query: ActivityQuery): Filter<StoredDocument> {
  const filter: Filter<StoredDocument> = { instanceId: query.instanceId };
  if (query.actions && query.actions.length > 0) filter.action = { $in: query.actions };
  const createdAt = range(query.from, query.to);
  if (createdAt) filter.createdAt = createdAt;
  return filter;
}

export function eventFilter(query: EventQuery): Filter<StoredDocument> {
  const filter: Filter<StoredDocument> = { instanceId: query.instanceId };
  if (query.types && query.types.length > 0) filter.type = { $in: query.types };
  if (query.since !== undefined) filter.ts = { $gt: query.since };
  return filter;
}

export function usageFilter(query: UsageQuery): Filter<StoredDocument> {
  const filter: Filter<StoredDocument> = {};
  if (query.instanceId !== undefined) filter.instanceId = query.instanceId;
  if (query.userId !== undefined) filter.userId = query.userId;
  const day = range(query.fromDay, query.toDay);
  if (day) filter.day = day;
  return filter;
}

/** Rows changed since a delta mark: the rule's field at or after it, or matching `orWhen`. */
export function deltaFilter(collection: CollectionName, since: number | undefined): Filter<StoredDocument> {
  const delta = COLLECTIONS[collection].delta;
  if (since === undefined || delta.kind !== 'since') return {};
  const changed: Filter<StoredDocument> = { [delta.field]: { $gte: since } };
  return 'orWhen' in delta ? { $or: [changed, delta.orWhen] } : changed;
}

/** What every MongoDB repository gets: the database, and the session of the running transaction. */
export interface MongoContext {
  db: Db;
  session?: ClientSession;
}

export function collection(ctx: MongoContext, name: CollectionName): Collection<StoredDocument> {
  return ctx.db.collection<StoredDocument>(MONGO_COLLECTION[name]);
}

export function sessionOf(ctx: MongoContext): { session?: ClientSession } {
  return ctx.session ? { session: ctx.session } : {};
}
