/**
 * Bulk transfer between stores (the database switch). Provider-neutral: a row is a plain record
 * with camelCase fields, booleans, numbers (epoch ms for times), null and plain objects; every
 * adapter maps its own representation to and from it, so any store can copy into any other.
 */

export type Row = Record<string, unknown>;

/** Which rows the final, write-paused catch-up must copy again for a collection. */
export type DeltaRule =
  /** Every row again: small collections, or ones whose changes leave no trace on the row. */
  | { kind: 'full' }
  /** Rows whose `field` is at or after the mark taken before the first pass (`orWhen` too). */
  | { kind: 'since'; field: string; orWhen?: Row };

export interface CollectionSpec {
  /** Fields that identify a row; rows are paged and upserted by them. */
  key: readonly string[];
  delta: DeltaRule;
}

/**
 * Every collection a store holds, in copy order (parents before children). A new collection
 * must be added here, or the switch would silently leave it behind.
 */
export const COLLECTIONS = {
  users: { key: ['id'], delta: { kind: 'full' } },
  instances: { key: ['id'], delta: { kind: 'full' } },
  webhookSettings: { key: ['instanceId'], delta: { kind: 'full' } },
  authState: { key: ['instanceId', 'type', 'id'], delta: { kind: 'full' } },
  messages: { key: ['id'], delta: { kind: 'since', field: 'updatedAt' } },
  contacts: { key: ['id'], delta: { kind: 'since', field: 'updatedAt' } },
  chats: { key: ['instanceId', 'chatJid'], delta: { kind: 'since', field: 'updatedAt' } },
  // A group we left is deleted, which leaves no trace on a row: every row again.
  groups: { key: ['instanceId', 'groupJid'], delta: { kind: 'full' } },
  activity: { key: ['id'], delta: { kind: 'since', field: 'createdAt' } },
  events: { key: ['seq'], delta: { kind: 'since', field: 'seq' } },
  // A lease (claim) changes a pending delivery without touching updatedAt: pending ones always go again.
  deliveries: { key: ['id'], delta: { kind: 'since', field: 'updatedAt', orWhen: { status: 'pending' } } },
  // The webhook outbox's cursors (one per instance) and their advances: small, and a lease
  // changes a cursor without a trace worth tracking, so every row again.
  webhookCursors: { key: ['instanceId'], delta: { kind: 'full' } },
  webhookRanges: { key: ['instanceId', 'toTs'], delta: { kind: 'full' } },
  usage: { key: ['instanceId', 'day'], delta: { kind: 'full' } },
  limits: { key: ['scope', 'scopeId'], delta: { kind: 'full' } },
  limitNotices: { key: ['scopeKey', 'limitName', 'windowStart'], delta: { kind: 'full' } },
} as const satisfies Record<string, CollectionSpec>;

export type CollectionName = keyof typeof COLLECTIONS;
export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[];

export interface ExportQuery {
  /** Opaque cursor from the previous batch; null for the first. */
  after: string | null;
  /** Only rows matching the collection's delta rule for this mark. */
  since?: number;
  limit: number;
}

export interface BulkTransfer {
  count(collection: CollectionName): Promise<number>;
  /** The highest value of the collection's delta field, or null when empty or not a `since` rule. */
  deltaMark(collection: CollectionName): Promise<number | null>;
  /** Rows in key order; `next` is null after the last batch. */
  exportBatch(collection: CollectionName, query: ExportQuery): Promise<{ rows: Row[]; next: string | null }>;
  /** Inserts the rows, replacing any stored under the same key; keeps event `seq` as given. */
  importBatch(collection: CollectionName, rows: Row[]): Promise<void>;
  /** Removes every row of the collection. */
  clear(collection: CollectionName): Promise<void>;
}
