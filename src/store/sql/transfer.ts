import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type BulkTransfer, COLLECTIONS, type CollectionName, type ExportQuery, type Row } from '../transfer.js';
import type { SqlContext } from './executor.js';

interface TableMapping {
  table: string;
  booleans?: readonly string[];
  json?: readonly string[];
  /** Fields of the portable row folded into one JSON column (limits keep `values` and `window` together). */
  folded?: { column: string; fields: readonly string[] };
}

/** The SQL side of the portable row: which table, and which columns are 0/1 or JSON text. */
const TABLES: Record<CollectionName, TableMapping> = {
  users: { table: 'users', booleans: ['active'] },
  instances: { table: 'instances', booleans: ['linked', 'webhookEnabled'] },
  webhookSettings: { table: 'webhook_settings', booleans: ['notifyReceived', 'notifySent', 'notifyDelivery', 'notifyRead'], json: ['headers', 'events'] },
  authState: { table: 'auth_state' },
  messages: { table: 'messages', booleans: ['fromMe', 'hasMedia'], json: ['metadata'] },
  contacts: { table: 'contacts', booleans: ['isGroup'] },
  chats: { table: 'chats' },
  groups: { table: 'groups', booleans: ['announce', 'restrict', 'isAdmin'], json: ['participants'] },
  activity: { table: 'activity_logs', json: ['details'] },
  events: { table: 'events', booleans: ['webhook'], json: ['data'] },
  deliveries: { table: 'webhook_deliveries' },
  webhookCursors: { table: 'webhook_cursors' },
  webhookRanges: { table: 'webhook_ranges' },
  usage: { table: 'usage_daily' },
  limits: { table: 'limits', folded: { column: 'values', fields: ['values', 'window'] } },
  limitNotices: { table: 'limit_notices' },
};

const snake = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (column: string): string => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export function rowToPortable(collection: CollectionName, row: Record<string, unknown>): Row {
  const mapping = TABLES[collection];
  const out: Row = {};
  for (const [column, value] of Object.entries(row)) {
    const field = camel(column);
    if (mapping.folded?.column === column) {
      const folded = JSON.parse(String(value)) as Row;
      for (const name of mapping.folded.fields) if (folded[name] !== undefined) out[name] = folded[name];
    } else if (mapping.booleans?.includes(field)) out[field] = Number(value) === 1;
    else if (mapping.json?.includes(field)) out[field] = value === null ? null : JSON.parse(String(value));
    else out[field] = value;
  }
  return out;
}

export function portableToRow(collection: CollectionName, row: Row): Record<string, unknown> {
  const mapping = TABLES[collection];
  const out: Record<string, unknown> = {};
  if (mapping.folded) {
    out[mapping.folded.column] = JSON.stringify(Object.fromEntries(mapping.folded.fields.filter((f) => row[f] !== undefined).map((f) => [f, row[f]])));
  }
  for (const [field, value] of Object.entries(row)) {
    if (value === undefined || mapping.folded?.fields.includes(field)) continue;
    if (mapping.booleans?.includes(field)) out[snake(field)] = value ? 1 : 0;
    else if (mapping.json?.includes(field)) out[snake(field)] = value === null ? null : JSON.stringify(value);
    else out[snake(field)] = value;
  }
  return out;
}

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** Rows after `values` in the order of `columns`: a row-value comparison both databases index. */
function after(columns: string[], values: unknown[]): RawBuilder<boolean> {
  const refs = sql.join(columns.map((c) => sql.ref(c)));
  return sql<boolean>`(${refs}) > (${sql.join(values.map((v) => sql`${v}`))})`;
}

export class SqlBulkTransfer implements BulkTransfer {
  constructor(private readonly ctx: SqlContext) {}

  private get db(): AnyDb {
    return this.ctx.db as unknown as AnyDb;
  }

  async count(collection: CollectionName): Promise<number> {
    const row = await this.db
      .selectFrom(TABLES[collection].table)
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async deltaMark(collection: CollectionName): Promise<number | null> {
    const delta = COLLECTIONS[collection].delta;
    if (delta.kind !== 'since') return null;
    const row = await this.db
      .selectFrom(TABLES[collection].table)
      .select(sql<number | null>`max(${sql.ref(snake(delta.field))})`.as('m'))
      .executeTakeFirstOrThrow();
    return row.m === null ? null : Number(row.m);
  }

  async exportBatch(collection: CollectionName, query: ExportQuery): Promise<{ rows: Row[]; next: string | null }> {
    const spec = COLLECTIONS[collection];
    const keyColumns = spec.key.map(snake);
    let select = this.db.selectFrom(TABLES[collection].table).selectAll();
    if (query.after !== null) select = select.where(after(keyColumns, JSON.parse(query.after) as unknown[]));
    if (query.since !== undefined && spec.delta.kind === 'since') {
      const conditions = [sql<boolean>`${sql.ref(snake(spec.delta.field))} >= ${query.since}`];
      const orWhen: Row = 'orWhen' in spec.delta ? spec.delta.orWhen : {};
      for (const [field, value] of Object.entries(orWhen)) conditions.push(sql<boolean>`${sql.ref(snake(field))} = ${value}`);
      select = select.where(sql<boolean>`(${sql.join(conditions, sql` or `)})`);
    }
    for (const column of keyColumns) select = select.orderBy(column, 'asc');
    const raw = await select.limit(query.limit).execute();
    const rows = raw.map((r) => rowToPortable(collection, r));
    const last = raw.at(-1);
    const next = raw.length === query.limit && last ? JSON.stringify(keyColumns.map((c) => last[c])) : null;
    return { rows, next };
  }

  async importBatch(collection: CollectionName, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    const table = TABLES[collection].table;
    const keyColumns = COLLECTIONS[collection].key.map(snake);
    const values = rows.map((r) => portableToRow(collection, r));
    const columns = [...new Set(values.flatMap((v) => Object.keys(v)))];
    const updates = columns.filter((c) => !keyColumns.includes(c));
    await this.db
      .insertInto(table)
      .values(values)
      .onConflict((oc) => {
        const target = oc.columns(keyColumns as never[]);
        return updates.length === 0 ? target.doNothing() : target.doUpdateSet(Object.fromEntries(updates.map((c) => [c, sql.ref(`excluded.${c}`)])));
      })
      .execute();
    if (collection === 'events' && this.ctx.dialect === 'postgres') {
      // Explicit seqs bypass the identity sequence; move it past them so new appends don't collide.
      await sql`select setval(pg_get_serial_sequence('events', 'seq'), (select max(seq) from events))`.execute(this.ctx.db);
    }
  }

  async clear(collection: CollectionName): Promise<void> {
    await this.db.deleteFrom(TABLES[collection].table).execute();
  }
}
