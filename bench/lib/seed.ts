import { randomBytes, randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import type { EventsTable, MessagesTable } from '../../src/store/sql/schema.js';

export interface SeedPlan {
  instanceIds: string[];
  chatsPerInstance: number;
  messagesPerChat: number;
  /** Events per instance, each a message_received-shaped record. */
  eventsPerInstance: number;
  /** Time of the oldest message and event; one second apart after it. */
  t0: number;
}

export function chatJid(chat: number): string {
  return `7900${String(chat).padStart(7, '0')}@s.whatsapp.net`;
}

const BATCH = 20_000;

/**
 * Fills the gateway's SQLite file (schema already migrated, gateway stopped) with prepared
 * statements in big transactions: the fastest honest path, through the same tables and indexes
 * the store reads. Row types come from the store's schema, so a schema change breaks this file.
 */
export function seedSqlite(file: string, plan: SeedPlan): { messages: number; events: number } {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insertMessage = db.prepare(
    `insert into messages (id, instance_id, message_id, remote_jid, from_me, sender_jid, message_type, content, has_media, media_url, media_path, media_size, caption, mime_type, file_name, status, metadata, timestamp, created_at, updated_at, status_updated_at)
     values (@id, @instance_id, @message_id, @remote_jid, @from_me, @sender_jid, @message_type, @content, @has_media, @media_url, @media_path, @media_size, @caption, @mime_type, @file_name, @status, @metadata, @timestamp, @created_at, @updated_at, @status_updated_at)`,
  );
  const insertEvent = db.prepare('insert into events (id, instance_id, type, data, ts) values (@id, @instance_id, @type, @data, @ts)');
  const setLastEvent = db.prepare('update instances set last_event_ts = ? where id = ?');

  let messages = 0;
  let events = 0;
  let batch: Array<() => void> = [];
  const flush = db.transaction((work: Array<() => void>) => {
    for (const run of work) run();
  });
  const push = (run: () => void) => {
    batch.push(run);
    if (batch.length >= BATCH) {
      flush(batch);
      batch = [];
    }
  };

  for (const instanceId of plan.instanceIds) {
    const perInstance = plan.chatsPerInstance * plan.messagesPerChat;
    for (let n = 0; n < perInstance; n++) {
      // Chats interleave in time, as real traffic does.
      const chat = n % plan.chatsPerInstance;
      const ts = plan.t0 + n * 1000;
      const fromMe = n % 2 === 0;
      const jid = chatJid(chat);
      const row: MessagesTable = {
        id: randomUUID(),
        instance_id: instanceId,
        message_id: randomBytes(10).toString('hex').toUpperCase(),
        remote_jid: jid,
        from_me: fromMe ? 1 : 0,
        sender_jid: fromMe ? null : jid,
        message_type: 'text',
        content: `Seeded message ${n} of a benchmark chat, about as long as a short text.`,
        has_media: 0,
        media_url: null,
        media_path: null,
        media_size: null,
        caption: null,
        mime_type: null,
        file_name: null,
        status: fromMe ? 'read' : 'received',
        metadata: JSON.stringify({ pushName: 'Bench', timestamp: Math.floor(ts / 1000) }),
        timestamp: ts,
        created_at: ts,
        updated_at: ts,
        status_updated_at: fromMe ? ts : null,
      };
      push(() => insertMessage.run(row));
      messages += 1;
    }
    for (let e = 0; e < plan.eventsPerInstance; e++) {
      const ts = plan.t0 + e * 1000;
      const row: Omit<EventsTable, 'seq' | 'webhook'> = {
        id: randomUUID(),
        instance_id: instanceId,
        type: 'message_received',
        data: JSON.stringify({ instanceId, messageId: randomBytes(10).toString('hex').toUpperCase(), from: chatJid(e % plan.chatsPerInstance), body: `Seeded event ${e}`, type: 'text', timestamp: Math.floor(ts / 1000), hasMedia: false, pushName: 'Bench' }),
        ts,
      };
      push(() => insertEvent.run(row));
      events += 1;
    }
    const last = plan.t0 + (plan.eventsPerInstance - 1) * 1000;
    push(() => setLastEvent.run(last, instanceId));
  }
  flush(batch);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { messages, events };
}
