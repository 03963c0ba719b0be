import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../sql/schema.js';
import { SqlStore } from '../sql/sql-store.js';

const INT8 = 20;

/** Connects to PostgreSQL; BIGINT columns hold epoch milliseconds, which fit a JS number. */
export async function openPostgresStore(url: string, options: { maxConnections?: number } = {}): Promise<SqlStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // Without it a host that drops packets hangs start-up (or a live switch) until TCP gives up.
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    return await SqlStore.open(db, 'postgres');
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
