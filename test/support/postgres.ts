import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the suites may use, from TEST_POSTGRES_URL; undefined when not configured. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL;

/**
 * A URL to a new, empty schema `<prefix>_<random>` on the server at `serverUrl`, so runs side by
 * side (test suites, a benchmark beside them) never see each other's rows. Rejects when the
 * server cannot be reached; the wait for it is bounded, so a host that never answers fails too.
 */
export async function freshSchema(serverUrl: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(serverUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

/** A fresh schema on the test server. Under CI=true an unreachable server fails instead of skipping. */
export async function freshPostgresUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!TEST_POSTGRES_URL) throw new Error('TEST_POSTGRES_URL is not set');
  return freshSchema(TEST_POSTGRES_URL, 't');
}

/** The databases a server-process test runs on: SQLite always, PostgreSQL when the suite has it. */
export const PROCESS_PROVIDERS = TEST_POSTGRES_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
export type ProcessProvider = (typeof PROCESS_PROVIDERS)[number];

/**
 * A server process's database environment: SQLite in its data dir (no variable), or a fresh
 * PostgreSQL schema that `drop()` removes after the test.
 */
export function processDatabase(): { env(provider: ProcessProvider): Promise<Record<string, string>>; drop(): Promise<void> } {
  let dropSchema: (() => Promise<void>) | undefined;
  return {
    async env(provider): Promise<Record<string, string>> {
      if (provider === 'sqlite') return {};
      const schema = await freshPostgresUrl();
      dropSchema = schema.drop;
      return { DATABASE_PROVIDER: 'postgres', DATABASE_URL: schema.url };
    },
    async drop() {
      await dropSchema?.();
      dropSchema = undefined;
    },
  };
}
