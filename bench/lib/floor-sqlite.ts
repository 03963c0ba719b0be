import SQLite from 'better-sqlite3';
import { CHAT, type Column, CONTACT, CURSOR, EVENT, type FloorGroup, MESSAGE, RECEIPT, USAGE } from './floor-rows.js';
import { CURSOR_TABLE, type FloorWriter } from './floor-writer.js';

function insert(table: string, columns: Column[], conflict = ''): string {
  return `insert into ${table} (${columns.map(([name]) => name).join(', ')}) values (${columns.map(() => '?').join(', ')}) ${conflict}`;
}

/** A statement run over rows, binding each row's values in the columns' order (positional binding is the cheaper kind). */
function writer(db: SQLite.Database, sql: string, columns: Column[]) {
  const statement = db.prepare(sql);
  const names = columns.map(([name]) => name);
  return (rows: object[]) => {
    for (const row of rows) statement.run(names.map((name) => (row as Record<string, unknown>)[name]));
  };
}

/**
 * The floor on SQLite: raw better-sqlite3 on a file the gateway's migrations made, with the
 * gateway's pragmas (WAL, synchronous NORMAL), one prepared statement per row and one
 * transaction per group. Per-row statements are already the fastest way on SQLite: a statement is
 * a function call, not a round trip.
 */
export function sqliteFloorWriter(file: string): FloorWriter {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('temp_store = MEMORY');
  db.exec(`create table if not exists ${CURSOR_TABLE} (instance_id text primary key, event_id text not null, updated_at bigint not null)`);
  const messages = writer(db, insert('messages', MESSAGE), MESSAGE);
  const contacts = writer(
    db,
    insert('contacts', CONTACT, 'on conflict (instance_id, remote_jid) do update set push_name = coalesce(excluded.push_name, contacts.push_name), last_activity = excluded.last_activity, updated_at = excluded.updated_at'),
    CONTACT,
  );
  const chats = writer(
    db,
    insert(
      'chats',
      CHAT,
      `on conflict (instance_id, chat_jid) do update set
         last_message_id = case when excluded.last_activity_at >= chats.last_activity_at then excluded.last_message_id else chats.last_message_id end,
         last_activity_at = max(chats.last_activity_at, excluded.last_activity_at),
         unread_count = chats.unread_count + excluded.unread_count, updated_at = excluded.updated_at`,
    ),
    CHAT,
  );
  const events = writer(db, insert('events', EVENT), EVENT);
  const receipts = writer(
    db,
    'update messages set status = ?, status_updated_at = ?, updated_at = ? where instance_id = ? and message_id = ?',
    ['status', 'at', 'at', 'instance_id', 'message_id'].map((name) => RECEIPT.find(([column]) => column === name) as Column),
  );
  const usage = writer(
    db,
    insert(
      'usage_daily',
      USAGE,
      `on conflict (instance_id, day) do update set messages_sent = usage_daily.messages_sent + excluded.messages_sent,
         messages_received = usage_daily.messages_received + excluded.messages_received, webhook_sent = usage_daily.webhook_sent + excluded.webhook_sent`,
    ),
    USAGE,
  );
  const cursors = writer(db, insert(CURSOR_TABLE, CURSOR, 'on conflict (instance_id) do update set event_id = excluded.event_id, updated_at = excluded.updated_at'), CURSOR);
  const write = db.transaction((group: FloorGroup) => {
    messages(group.messages);
    contacts(group.contacts);
    chats(group.chats);
    events(group.events);
    receipts(group.receipts);
    usage(group.usage);
    cursors(group.cursors);
  });
  return {
    async write(group) {
      write(group);
    },
    async close() {
      db.close();
    },
  };
}
