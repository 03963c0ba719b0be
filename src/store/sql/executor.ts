import { type Kysely, sql } from 'kysely';
import type { SqlDialectName } from './migrations.js';
import type { Database } from './schema.js';

/** What every SQL repository gets: a connection or a transaction, and the dialect's name. */
export interface SqlContext {
  db: Kysely<Database>;
  dialect: SqlDialectName;
}

/** `max(a, b)` of two values: SQLite's scalar max, PostgreSQL's greatest. */
export function greatest(ctx: SqlContext, a: ReturnType<typeof sql>, b: ReturnType<typeof sql> | number) {
  return ctx.dialect === 'postgres' ? sql<number>`greatest(${a}, ${b})` : sql<number>`max(${a}, ${b})`;
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
