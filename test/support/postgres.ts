import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the suites may use, from TEST_POSTGRES_URL; undefined when not configured. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL;

/**
 * A URL to a new, empty schema on the test server, so suites running side by side never see
 * each other's rows. Under CI=true an unreachable server fails instead of skipping.
 */
export async function freshPostgresUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!TEST_POSTGRES_URL) throw new Error('TEST_POSTGRES_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}
