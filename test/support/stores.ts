import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { openMongoStore } from '../../src/store/mongo/mongo-store.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { freshPostgresUrl, TEST_POSTGRES_URL } from './postgres.js';

export interface OpenedStore {
  store: Store;
  /** Closes the store and opens its database again, as a restart does: pending migrations run. */
  reopen(): Promise<Store>;
  dispose(): Promise<void>;
}

export interface StoreFactory {
  name: string;
  open(): Promise<OpenedStore>;
}

async function opened(open: () => Promise<Store>, drop: () => Promise<void>): Promise<OpenedStore> {
  let current = await open();
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await open();
      return current;
    },
    async dispose() {
      await current.close();
      await drop();
    },
  };
}

/**
 * Every store adapter the contract suite runs against: SQLite always; PostgreSQL when
 * TEST_POSTGRES_URL is set, MongoDB when TEST_MONGODB_URL is set (and then they must be
 * reachable: a failure, not a skip).
 */
export function storeFactories(): StoreFactory[] {
  const factories: StoreFactory[] = [
    {
      name: 'sqlite',
      async open() {
        const dir = mkdtempSync(path.join(tmpdir(), 'wa-store-'));
        return opened(
          () => openSqliteStore(path.join(dir, 'store.db')),
          async () => rmSync(dir, { recursive: true, force: true }),
        );
      },
    },
  ];
  if (TEST_POSTGRES_URL) {
    factories.push({
      name: 'postgres',
      async open() {
        const schema = await freshPostgresUrl();
        return opened(() => openPostgresStore(schema.url), schema.drop);
      },
    });
  }
  if (TEST_MONGODB_URL) {
    factories.push({
      name: 'mongodb',
      async open() {
        const database = freshMongoDatabase();
        return opened(() => openMongoStore(database.url), database.drop);
      },
    });
  }
  return factories;
}

/**
 * The MongoDB server the suites may use, from TEST_MONGODB_URL. Set means it must be reachable:
 * an unreachable server fails the suite (under CI=true and everywhere else).
 */
export const TEST_MONGODB_URL = process.env.TEST_MONGODB_URL;

/** A database of its own on the TEST_MONGODB_URL server, so suites running side by side never meet. */
export function freshMongoDatabase(): { url: string; drop: () => Promise<void> } {
  if (!TEST_MONGODB_URL) throw new Error('TEST_MONGODB_URL is not set');
  // A regex, not URL: a replica set URL lists several hosts, which WHATWG URL rejects.
  const url = TEST_MONGODB_URL.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/t_${randomBytes(6).toString('hex')}`);
  return {
    url,
    async drop() {
      const client = await MongoClient.connect(url);
      await client.db().dropDatabase();
      await client.close();
    },
  };
}
