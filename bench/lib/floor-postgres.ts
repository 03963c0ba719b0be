import pg from 'pg';
import { CURSOR_TABLE, type FloorWriter } from './floor-writer.js';
import { CHAT, type Column, CONTACT, CURSOR, EVENT, type FloorGroup, MESSAGE, RECEIPT, USAGE } from './floor-rows.js';

const TABLES = [MESSAGE, CONTACT, CHAT, EVENT, RECEIPT, USAGE, CURSOR];

/** `unnest($n::type[], …)` over the columns, numbering parameters from `first`. */
function unnest(columns: Column[], first: number): string {
  return `unnest(${columns.map(([, type], i) => `$${first + i}::${type}[]`).join(', ')})`;
}

function names(columns: Column[]): string {
  return columns.map(([name]) => name).join(', ');
}

/**
 * One statement for the whole group: data-modifying CTEs, each a multi-row insert, upsert or
 * update over `unnest` of one array per column. Outside a transaction block a statement is its own
 * transaction, so a group is one round trip and one commit (issue 20's aim for PostgreSQL).
 * Receipts update rows written by earlier groups, which a CTE of the same statement may do.
 */
function groupStatement(): string {
  let p = 1;
  const from = (columns: Column[]) => {
    const text = unnest(columns, p);
    p += columns.length;
    return text;
  };
  return `with
    m as (insert into messages (${names(MESSAGE)}) select * from ${from(MESSAGE)}),
    c as (insert into contacts (${names(CONTACT)}) select * from ${from(CONTACT)}
          on conflict (instance_id, remote_jid) do update set push_name = coalesce(excluded.push_name, contacts.push_name),
            last_activity = excluded.last_activity, updated_at = excluded.updated_at),
    h as (insert into chats (${names(CHAT)}) select * from ${from(CHAT)}
          on conflict (instance_id, chat_jid) do update set
            last_message_id = case when excluded.last_activity_at >= chats.last_activity_at then excluded.last_message_id else chats.last_message_id end,
            last_activity_at = greatest(chats.last_activity_at, excluded.last_activity_at),
            unread_count = chats.unread_count + excluded.unread_count, updated_at = excluded.updated_at),
    e as (insert into events (${names(EVENT)}) select * from ${from(EVENT)}),
    r as (update messages set status = u.status, status_updated_at = u.at, updated_at = u.at
          from ${from(RECEIPT)} as u(${names(RECEIPT)})
          where messages.instance_id = u.instance_id and messages.message_id = u.message_id),
    s as (insert into usage_daily (${names(USAGE)}) select * from ${from(USAGE)}
          on conflict (instance_id, day) do update set messages_sent = usage_daily.messages_sent + excluded.messages_sent,
            messages_received = usage_daily.messages_received + excluded.messages_received, webhook_sent = usage_daily.webhook_sent + excluded.webhook_sent),
    w as (insert into ${CURSOR_TABLE} (${names(CURSOR)}) select * from ${from(CURSOR)}
          on conflict (instance_id) do update set event_id = excluded.event_id, updated_at = excluded.updated_at)
    select 1`;
}

function columnsOf(rows: object[], columns: Column[]): unknown[][] {
  return columns.map(([name]) => rows.map((row) => (row as Record<string, unknown>)[name]));
}

/**
 * The floor on PostgreSQL: raw `pg`, one connection, on a schema the gateway's migrations made;
 * each group one named (prepared once) statement.
 */
export async function postgresFloorWriter(url: string): Promise<FloorWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create table if not exists ${CURSOR_TABLE} (instance_id text primary key, event_id text not null, updated_at bigint not null)`);
  const serverPid = Number((await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid);
  const text = groupStatement();
  return {
    serverPid,
    async write(group: FloorGroup) {
      const rows = [group.messages, group.contacts, group.chats, group.events, group.receipts, group.usage, group.cursors];
      const values = TABLES.flatMap((columns, i) => columnsOf(rows[i], columns));
      await client.query({ name: 'floor_group', text, values });
    },
    async close() {
      await client.end();
    },
  };
}
