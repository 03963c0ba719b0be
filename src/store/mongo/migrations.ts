import type { Db } from 'mongodb';
import { MONGO_COLLECTION, type StoredDocument } from './documents.js';

/** Which data migrations have run on this database: `{_id: name, appliedAt}`. */
export const MIGRATIONS = 'migrations';

/** Renames the message status `server_ack` to `sent` in stored messages and events. */
export const STATUS_SENT_MIGRATION = 'message_status_sent';

/** Makes the chats of the messages stored before chats were kept. */
export const CHATS_MIGRATION = 'chats_from_messages';

/** The event log becomes the webhook outbox (see src/store/sql/webhook-cursors-migration.ts). */
export const WEBHOOK_CURSORS_MIGRATION = 'webhook_cursors';

interface DataMigration {
  name: string;
  /** Must be safe to run twice: two nodes starting together may both run it. */
  up(db: Db): Promise<void>;
}

/**
 * Changes to stored data (collections and indexes need none: `ensureSchema` creates what is
 * missing). Add a new entry for every change; never edit one that has shipped. Each runs once per
 * database, at start, so a start does not scan the collections again.
 */
const DATA_MIGRATIONS: DataMigration[] = [
  {
    // WhatsApp's server accepting a message was stored and emitted as `server_ack`; it is `sent`
    // now, the specification's name. Pending webhook deliveries read their event when they go out.
    name: STATUS_SENT_MIGRATION,
    async up(db) {
      await db.collection(MONGO_COLLECTION.messages).updateMany({ status: 'server_ack' }, { $set: { status: 'sent' } });
      await db.collection(MONGO_COLLECTION.events).updateMany({ 'data.status': 'server_ack' }, { $set: { 'data.status': 'sent' } });
    },
  },
  {
    // The conversation list: a chat per (instance, chat) of the stored messages, read (unread
    // 0), its last message the newest in history order. `$merge` keeps a chat already there.
    name: CHATS_MIGRATION,
    async up(db) {
      await db
        .collection(MONGO_COLLECTION.messages)
        .aggregate([
          { $sort: { instanceId: 1, remoteJid: 1, timestamp: -1, _id: -1 } },
          {
            $group: {
              _id: { instanceId: '$instanceId', chatJid: '$remoteJid' },
              lastMessageId: { $first: '$_id' },
              lastActivityAt: { $first: '$timestamp' },
              createdAt: { $min: '$createdAt' },
              updatedAt: { $max: '$updatedAt' },
            },
          },
          {
            $project: {
              // documentId's JSON array of the key; UUIDs and JIDs hold nothing JSON escapes.
              _id: { $concat: ['["', '$_id.instanceId', '","', '$_id.chatJid', '"]'] },
              instanceId: '$_id.instanceId',
              chatJid: '$_id.chatJid',
              lastMessageId: 1,
              lastActivityAt: 1,
              unreadCount: { $literal: 0 },
              createdAt: 1,
              updatedAt: 1,
            },
          },
          { $merge: { into: MONGO_COLLECTION.chats, on: '_id', whenMatched: 'keepExisting', whenNotMatched: 'insert' } },
        ])
        .toArray();
    },
  },
  {
    // As on SQL: every event that had a delivery is flagged, the cursor stops at the newest one
    // settled (or just before the oldest pending one), and pending deliveries after it that were
    // never tried are dropped, the log carries them. Safe twice: a cursor already there is kept.
    name: WEBHOOK_CURSORS_MIGRATION,
    async up(db) {
      const deliveries = db.collection<StoredDocument>(MONGO_COLLECTION.deliveries);
      const events = db.collection<StoredDocument>(MONGO_COLLECTION.events);
      const cursors = db.collection<StoredDocument>(MONGO_COLLECTION.webhookCursors);
      for await (const d of deliveries.find({}, { projection: { eventId: 1 } })) {
        const event = await events.findOneAndUpdate({ _id: String(d.eventId) }, { $set: { webhook: true } }, { projection: { ts: 1 } });
        await deliveries.updateOne({ _id: d._id }, { $set: { eventTs: event ? Number(event.ts) : 0 }, $unset: { lockedUntil: '' } });
      }
      const perInstance = await deliveries
        .aggregate<{ _id: string; settled: number | null; oldest: number; updatedAt: number }>([
          {
            $group: {
              _id: '$instanceId',
              settled: { $max: { $cond: [{ $ne: ['$status', 'pending'] }, '$eventTs', null] } },
              oldest: { $min: '$eventTs' },
              updatedAt: { $max: '$updatedAt' },
            },
          },
        ])
        .toArray();
      for (const { _id: instanceId, settled, oldest, updatedAt } of perInstance) {
        await cursors.updateOne({ _id: instanceId }, { $setOnInsert: { instanceId, ts: settled ?? oldest - 1, lockedUntil: null, updatedAt } }, { upsert: true });
        const cursor = await cursors.findOne({ _id: instanceId });
        await deliveries.deleteMany({ instanceId, status: 'pending', attempts: 0, eventTs: { $gt: Number(cursor?.ts ?? 0) } });
      }
    },
  },
];

export async function migrateData(db: Db): Promise<void> {
  const applied = db.collection<{ _id: string; appliedAt: number }>(MIGRATIONS);
  for (const migration of DATA_MIGRATIONS) {
    if (await applied.findOne({ _id: migration.name })) continue;
    await migration.up(db);
    await applied.updateOne({ _id: migration.name }, { $setOnInsert: { appliedAt: Date.now() } }, { upsert: true });
  }
}
