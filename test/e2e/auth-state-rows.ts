import Database from 'better-sqlite3';
import pg from 'pg';
import type { TestServer } from '../support/app.js';

/** Rows of Baileys credentials and keys the server's database holds for an instance, of any type. */
export async function authStateRows(server: TestServer, instanceId: string): Promise<number> {
  const { database } = server.config;
  if (database.provider === 'postgres') {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM auth_state WHERE instance_id = $1', [instanceId]);
      return Number(rows[0].n);
    } finally {
      await client.end();
    }
  }
  const db = new Database(database.sqlitePath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM auth_state WHERE instance_id = ?').get(instanceId) as { n: number }).n;
  } finally {
    db.close();
  }
}
