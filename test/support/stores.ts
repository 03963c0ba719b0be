import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { freshPostgresUrl, TEST_POSTGRES_URL } from './postgres.js';

export interface StoreFactory {
  name: string;
  open(): Promise<{ store: Store; dispose(): Promise<void> }>;
}

/**
 * Every store adapter the contract suite runs against: SQLite always; PostgreSQL when
 * TEST_POSTGRES_URL is set (and then it must be reachable: a failure, not a skip).
 */
export function storeFactories(): StoreFactory[] {
  const factories: StoreFactory[] = [
    {
      name: 'sqlite',
      async open() {
        const dir = mkdtempSync(path.join(tmpdir(), 'wa-store-'));
        const store = await openSqliteStore(path.join(dir, 'store.db'));
        return {
          store,
          async dispose() {
            await store.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    },
  ];
  if (TEST_POSTGRES_URL) {
    factories.push({
      name: 'postgres',
      async open() {
        const schema = await freshPostgresUrl();
        const store = await openPostgresStore(schema.url);
        return {
          store,
          async dispose() {
            await store.close();
            await schema.drop();
          },
        };
      },
    });
  }
  return factories;
}
