import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { MIGRATIONS, STATUS_SENT_MIGRATION as MONGO_STATUS_SENT } from '../../src/store/mongo/migrations.js';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { STATUS_SENT_MIGRATION as SQL_STATUS_SENT } from '../../src/store/sql/migrations.js';
import { SqlStore } from '../../src/store/sql/sql-store.js';
import type { Store } from '../../src/store/store.js';
import { forgetChats } from './old-chats.js';
import { messageRecord, NOW } from './records.js';

/** Text a user could send that looks like the old field: a rename must leave it alone. */
export const DECOY_TEXT = 'my order says {"status":"server_ack"}';

export interface OldSentMessage {
  messageId: string;
  remoteJid: string;
  /** The ids of its `message_sent` event (sent from the phone: already acknowledged) and its `message_status` event. */
  sentEventId: string;
  statusEventId: string;
  statusEventSeq: number;
}

/**
 * Writes what the gateway stored for a message WhatsApp's server had accepted before the status
 * was renamed `sent`: the row at `server_ack` and its two events, whose text quotes the old
 * field; then marks the rename as not run, as on a database of that time, so the next open of
 * the database runs it. `webhook`: the status event waits in the webhook outbox.
 */
export async function writeBeforeSentRename(store: Store, instanceId: string, at = NOW, webhook = false): Promise<OldSentMessage> {
  const row = messageRecord(instanceId, { fromMe: true, status: 'server_ack', content: DECOY_TEXT, timestamp: at, statusUpdatedAt: at + 1 });
  await store.messages.insert(row);
  const payload = { messageId: row.messageId, remoteJid: row.remoteJid, fromMe: true, instanceId };
  const sentEventId = randomUUID();
  const statusEventId = randomUUID();
  await store.events.append({ id: sentEventId, instanceId, type: 'message_sent', ts: at, data: { ...payload, to: row.remoteJid, body: DECOY_TEXT, status: 'server_ack' } });
  const statusEventSeq = await store.events.append({ id: statusEventId, instanceId, type: 'message_status', ts: at + 1, data: { ...payload, from: row.remoteJid, status: 'server_ack' }, webhook });
  await forgetSentRename(store);
  return { messageId: row.messageId, remoteJid: row.remoteJid, sentEventId, statusEventId, statusEventSeq };
}

async function forgetSentRename(store: Store): Promise<void> {
  // SQL migrations run in order: the later ones are undone too.
  await forgetChats(store);
  if (store instanceof SqlStore) await sql`delete from kysely_migration where name = ${SQL_STATUS_SENT}`.execute(store.db);
  else if (store instanceof MongoStore) await store.db.collection<{ _id: string }>(MIGRATIONS).deleteOne({ _id: MONGO_STATUS_SENT });
  else throw new Error(`no migrations to undo on a ${store.provider} store`);
}
