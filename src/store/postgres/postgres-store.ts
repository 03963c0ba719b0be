import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { preparedStatementName } from '../sql/prepared.js';
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingNamed(pool) }) });
  try {
    return await SqlStore.open(db, 'postgres');
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/**
 * The pool as Kysely sees it, except that the SQL of a prepared template (every statement of the
 * message and webhook paths, see PreparedQuery) goes as a named statement: pg parses it once per
 * connection, and PostgreSQL keeps its plan, instead of parsing and planning every call.
 */
function preparingNamed(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      return {
        query: ((text: string | pg.Submittable, values?: unknown[]) => {
          if (typeof text !== 'string') return client.query(text);
          const name = preparedStatementName(text);
          return name ? client.query({ name, text, values }) : client.query(text, values);
        }) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
}
