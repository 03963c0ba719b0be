import type { Config } from '../config.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Opens the store the configuration names. */
export async function openStore(database: Config['database']): Promise<Store> {
  switch (database.provider) {
    case 'sqlite':
      return openSqliteStore(database.sqlitePath);
    case 'postgres':
      return openPostgresStore(requireUrl(database.url));
    case 'mongodb':
      throw new Error('DATABASE_PROVIDER=mongodb: the MongoDB store is not available in this build');
  }
}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error('DATABASE_URL: required for this provider');
  return url;
}
