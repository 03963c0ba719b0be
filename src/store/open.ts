import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config, DatabaseProvider } from '../config.js';
import { openMongoStore } from './mongo/mongo-store.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore, SqliteInUseError } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

const PROVIDERS: readonly DatabaseProvider[] = ['sqlite', 'postgres', 'mongodb'];

export type StoreOpenFailure = 'unconfigured' | 'bad URL' | 'unreachable' | 'authentication failed' | 'database does not exist' | 'in use' | 'failed';

/** A store could not be opened; the message names the variable and never holds a password. */
export class StoreOpenError extends Error {
  constructor(
    readonly variable: string,
    readonly failure: StoreOpenFailure,
    message: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

/** `scheme://user:****@host/db`: the URL as it may be shown and logged. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):([^@/]*)@/i, '$1:****@').replace(/([?&]password=)[^&]*/gi, '$1****');
}

function passwordOf(url: string): string | undefined {
  return /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]*)@/i.exec(url)?.[1] || undefined;
}

/** The variable and URL a provider is configured by, or undefined when it is not. */
export function providerLocation(database: Config['database'], provider: DatabaseProvider): { variable: string; url: string } | undefined {
  if (provider === 'sqlite') return { variable: 'SQLITE_DATABASE_URL', url: database.sqliteUrl };
  return database.urls[provider];
}

/** The file that remembers the provider a switch chose, so a restart stays on it. */
export function providerFile(dataDir: string): string {
  return path.join(dataDir, 'database.json');
}

export function readPersistedProvider(dataDir: string): DatabaseProvider | undefined {
  const file = providerFile(dataDir);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { provider?: unknown };
  if (!PROVIDERS.includes(parsed.provider as DatabaseProvider)) throw new Error(`${file}: unknown provider ${String(parsed.provider)}`);
  return parsed.provider as DatabaseProvider;
}

export function persistProvider(dataDir: string, provider: DatabaseProvider, now: number): void {
  const file = providerFile(dataDir);
  // Write then rename, so a crash never leaves half a file that would stop the next start.
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ provider, switchedAt: new Date(now).toISOString() }, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

function classify(error: unknown): StoreOpenFailure {
  const e = error as { code?: unknown; name?: string; message?: string; errors?: Array<{ code?: unknown }> };
  const code = e.code ?? e.errors?.[0]?.code;
  const message = e.message ?? '';
  if (error instanceof SqliteInUseError) return 'in use';
  if (e.name === 'MongoParseError' || e.name === 'MongoAPIError' || /invalid url|invalid connection string/i.test(message)) return 'bad URL';
  if (code === '28P01' || code === '28000' || code === 18 || /authentication failed/i.test(message)) return 'authentication failed';
  if (code === '3D000') return 'database does not exist';
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN'].includes(String(code))) return 'unreachable';
  // The SQL migrator wraps the driver's error: only its message is left.
  if (/\b(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|EAI_AGAIN)\b/.test(message)) return 'unreachable';
  if (/password authentication failed/i.test(message)) return 'authentication failed';
  if (/database "[^"]*" does not exist/i.test(message)) return 'database does not exist';
  if (e.name === 'MongoServerSelectionError' || e.name === 'MongoNetworkError' || /timeout|terminated unexpectedly/i.test(message)) return 'unreachable';
  return 'failed';
}

/** Opens one provider's store, with errors that say which variable is wrong and how. */
export async function openProviderStore(database: Config['database'], provider: DatabaseProvider): Promise<Store> {
  const location = providerLocation(database, provider);
  if (!location) {
    const variable = provider === 'postgres' ? 'POSTGRES_URL' : 'MONGODB_URL';
    throw new StoreOpenError(variable, 'unconfigured', `${variable}: not set, so the ${provider} provider is not configured`);
  }
  try {
    if (provider === 'sqlite') return await openSqliteStore(database.sqlitePath);
    if (provider === 'postgres') return await openPostgresStore(location.url);
    return await openMongoStore(location.url);
  } catch (error) {
    const failure = classify(error);
    const password = passwordOf(location.url);
    let detail = error instanceof Error ? error.message : String(error);
    if (password) detail = detail.split(password).join('****');
    throw new StoreOpenError(location.variable, failure, `${location.variable} (${maskUrl(location.url)}): ${failure}: ${maskUrl(detail)}`);
  }
}

/** The provider to start on: the one a switch persisted wins over DATABASE_PROVIDER. */
export function startupProvider(config: Config, log: (message: string) => void): DatabaseProvider {
  const persisted = readPersistedProvider(config.dataDir);
  if (persisted && persisted !== config.database.provider) {
    log(`${providerFile(config.dataDir)} selects the ${persisted} provider (set by POST /api/db/switch); it takes precedence over DATABASE_PROVIDER=${config.database.provider}`);
  }
  return persisted ?? config.database.provider;
}
