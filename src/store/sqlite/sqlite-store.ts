import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database } from '../sql/schema.js';
import { SqlStore } from '../sql/sql-store.js';

/** Another process (or another store in this one) holds the database's lock. */
export class SqliteInUseError extends Error {
  readonly code = 'SQLITE_IN_USE';
}

/**
 * One process per SQLite database: two servers on one file would both run every linked
 * instance (duplicate WhatsApp sessions). The lock is an exclusive transaction held open on a
 * sidecar database, `<file>.lock`, for as long as the store is open: SQLite's own file lock,
 * which the OS drops when the process ends, even by kill -9, so a crash never leaves it behind
 * (a pid file would, and checking it is racy).
 */
function lockDatabase(file: string): SQLite.Database {
  const lockFile = `${file}.lock`;
  const lock = new SQLite(lockFile, { timeout: 0 });
  try {
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new SqliteInUseError(
      `another server process is running on this database (it holds ${lockFile}); only one may: stop it first, or use PostgreSQL for several nodes`,
    );
  }
  return lock;
}

/** Opens (creating when missing) the embedded SQLite database in WAL mode, locked to this process. */
export async function openSqliteStore(file: string): Promise<SqlStore> {
  if (file === ':memory:') return open(new SQLite(file));
  mkdirSync(path.dirname(file), { recursive: true });
  const lock = lockDatabase(file);
  try {
    return await open(new SQLite(file), () => lock.close());
  } catch (error) {
    lock.close();
    throw error;
  }
}

async function open(database: SQLite.Database, unlock: () => void = () => {}): Promise<SqlStore> {
  database.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  // Each work of a group commit runs in a savepoint, whose journal of pages to roll back spills
  // to a temporary file past 64 KiB: that was 60% of the bytes a message wrote (bench/).
  database.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database, unlock) }) });
  try {
    return await SqlStore.open(db, 'sqlite');
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

const CACHED_STATEMENTS = 500;

/**
 * Kysely's SQLite driver prepares every statement again on every call, and preparing costs as
 * much as running a small indexed query (bench/: ~10% of the gateway's CPU under load). The
 * driver runs one query at a time on its one connection, so a cached statement is never in use
 * twice at once. Bounded, because SQL with IN lists of varying length differs by arity.
 */
function withStatementCache(database: SQLite.Database, unlock: () => void): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      database.close();
      unlock();
    },
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= CACHED_STATEMENTS) statements.delete(statements.keys().next().value as string);
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
