import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database } from '../sql/schema.js';
import { SqlStore } from '../sql/sql-store.js';

/** Opens (creating when missing) the embedded SQLite database in WAL mode. */
export async function openSqliteStore(file: string): Promise<SqlStore> {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  // Each work of a group commit runs in a savepoint, whose journal of pages to roll back spills
  // to a temporary file past 64 KiB: that was 60% of the bytes a message wrote (bench/).
  database.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return SqlStore.open(db, 'sqlite');
}

const CACHED_STATEMENTS = 500;

/**
 * Kysely's SQLite driver prepares every statement again on every call, and preparing costs as
 * much as running a small indexed query (bench/: ~10% of the gateway's CPU under load). The
 * driver runs one query at a time on its one connection, so a cached statement is never in use
 * twice at once. Bounded, because SQL with IN lists of varying length differs by arity.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
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
