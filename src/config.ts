import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import ipaddr from 'ipaddr.js';
import { ENGINE_NAMES, type EngineName } from './engines/names.js';

export type DatabaseProvider = 'sqlite' | 'postgres' | 'mongodb';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Everything the process reads from its environment, validated once at start-up. */
export interface Config {
  port: number;
  host: string;
  logLevel: LogLevel;
  dataDir: string;
  database: {
    provider: DatabaseProvider;
    /** PostgreSQL or MongoDB URL (`DATABASE_URL`). */
    url?: string;
    /** SQLite file path resolved from `SQLITE_DATABASE_URL`. */
    sqlitePath: string;
    /** `SQLITE_DATABASE_URL` as given, shown by /api/db/status. */
    sqliteUrl: string;
    /**
     * Where each server provider lives, for start-up and the switch: `DATABASE_URL` for the
     * configured provider, else `POSTGRES_URL` / `MONGODB_URL`.
     */
    urls: { postgres?: { url: string; variable: string }; mongodb?: { url: string; variable: string } };
  };
  jwt: { secret?: string; expiration: string };
  admin: { email: string; password?: string; firstName: string; lastName: string };
  engines: {
    default: EngineName;
    reconnectMaxAttempts: number;
    reconnectBaseDelayMs: number;
    reconnectMaxDelayMs: number;
    /** Pause between batches of 50 instances restored at boot, so a thousand sessions don't stampede. */
    restoreStaggerMs: number;
  };
  simulator: {
    enabled: boolean;
    autoLinkMs: number;
    qrRefreshMs: number;
    ackDelayMs: number;
    deliveryDelayMs: number;
    readDelayMs: number;
  };
  baileys: {
    browserName: string;
    /** Emulator hook: only set when WA_EMULATOR_ENABLED=true. */
    websocketUrl?: string;
    emulatorRootKey?: string;
    /** PEM of the emulator's self-signed media host, trusted for Baileys' media transfers only. */
    emulatorMediaCa?: string;
  };
  /** `ffmpegPath`: the ffmpeg that turns other audio into voice notes (Ogg/Opus); looked up on PATH by default. */
  media: { maxBytes: number; fetchTimeoutMs: number; ffmpegPath: string; store: MediaStoreConfig };
  allowPrivateUrls: boolean;
  webhooks: { timeoutMs: number; concurrency: number; maxResponseBytes: number; pollIntervalMs: number };
  http: {
    bodyLimitBytes: number;
    corsOrigin: string | boolean;
    loginRateLimitPerMinute: number;
    /** Requests per user and minute the dashboard may make for itself (session cookie); they are not API calls. */
    dashboardRateLimitPerMinute: number;
    /**
     * Which proxies' X-Forwarded-For (client address) to believe, as Fastify's `trustProxy`: off,
     * all (`true`), a hop count, or proxy addresses and CIDRs. Off, a client can claim any
     * address, and every per-address limit is bypassed.
     */
    trustProxy: boolean | number | string[];
  };
  metrics: { token?: string };
  /**
   * How long users, instances and limits read by requests are answered from memory. Writes in
   * this process are seen at once; another node's writes after at most this long. 0 disables.
   */
  cache: { ttlMs: number };
  /** The built web dashboard (`npm run build:web`); not served when its index.html is missing. */
  dashboard: { dir: string };
}

/**
 * Where media files live (`MEDIA_STORE`): this node's `DATA_DIR/media`, or an S3-compatible bucket
 * (AWS S3, MinIO, R2) that every node of a cluster shares.
 */
export type MediaStoreConfig =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      /** Absent for AWS itself; the server's URL for MinIO, R2 and the like. */
      endpoint?: string;
      /** `bucket` in the path (`host/bucket/key`), as MinIO wants, instead of the host name. */
      forcePathStyle: boolean;
      accessKeyId: string;
      secretAccessKey: string;
    };

export class ConfigError extends Error {}

/** HS256 wants a key of at least 256 bits; a shorter secret can be guessed offline from one token. */
export const MIN_SECRET_LENGTH = 32;

type Env = Record<string, string | undefined>;

/** Reads `.env` (when present) under the real environment, which wins. */
export function readEnvironment(cwd = process.cwd(), env: Env = process.env): Env {
  const file = path.join(cwd, '.env');
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

export function loadConfig(env: Env): Config {
  const read = new Reader(env);
  const dataDir = path.resolve(read.string('DATA_DIR', './data'));
  // The database lives with the rest of the data unless placed elsewhere: an operator who moves
  // DATA_DIR would not expect the messages to stay behind in ./data.
  const configuredDataDir = read.optional('DATA_DIR');
  const sqliteUrl = read.string('SQLITE_DATABASE_URL', configuredDataDir ? `file:${path.join(dataDir, 'whatsapp-api.db')}` : 'file:./data/whatsapp-api.db');
  const provider = read.oneOf('DATABASE_PROVIDER', ['sqlite', 'postgres', 'mongodb'] as const, 'sqlite');
  const databaseUrl = read.optional('DATABASE_URL');
  const providerUrlVariable = provider === 'postgres' ? 'POSTGRES_URL' : 'MONGODB_URL';
  if (provider !== 'sqlite' && !databaseUrl && !read.optional(providerUrlVariable)) {
    throw new ConfigError(`DATABASE_URL: required when DATABASE_PROVIDER=${provider} (or set ${providerUrlVariable})`);
  }
  if (provider === 'postgres' && databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL: must be a postgres:// URL when DATABASE_PROVIDER=postgres');
  }
  if (provider === 'mongodb' && databaseUrl && !/^mongodb(\+srv)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL: must be a mongodb:// URL when DATABASE_PROVIDER=mongodb');
  }
  const urls = serverDatabaseUrls(read, provider, databaseUrl);
  const emulatorEnabled = read.bool('WA_EMULATOR_ENABLED', false);
  const config: Config = {
    port: read.int('PORT', 3000, 0, 65535),
    host: read.string('HOST', '0.0.0.0'),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    dataDir,
    database: { provider, url: databaseUrl, sqlitePath: sqlitePathFrom(sqliteUrl), sqliteUrl, urls },
    jwt: { secret: read.secret('JWT_SECRET', MIN_SECRET_LENGTH), expiration: read.duration('JWT_EXPIRATION', '24h') },
    admin: {
      email: read.email('ADMIN_EMAIL', 'admin@example.com'),
      password: read.optional('ADMIN_PASSWORD'),
      firstName: read.string('ADMIN_FIRST_NAME', 'Admin'),
      lastName: read.string('ADMIN_LAST_NAME', 'User'),
    },
    engines: {
      default: read.oneOf('DEFAULT_ENGINE', ENGINE_NAMES, 'baileys'),
      reconnectMaxAttempts: read.int('RECONNECT_MAX_ATTEMPTS', 10, 1, 1000),
      reconnectBaseDelayMs: read.int('RECONNECT_BASE_DELAY_MS', 1000, 1, 3_600_000),
      reconnectMaxDelayMs: read.int('RECONNECT_MAX_DELAY_MS', 60_000, 1, 3_600_000),
      restoreStaggerMs: read.int('RESTORE_STAGGER_MS', 0, 0, 60_000),
    },
    simulator: {
      enabled: read.bool('SIMULATOR_ENABLED', false),
      autoLinkMs: read.int('SIMULATOR_AUTO_LINK_MS', 0, 0, 3_600_000),
      qrRefreshMs: read.int('SIMULATOR_QR_REFRESH_MS', 20_000, 100, 3_600_000),
      ackDelayMs: read.int('SIMULATOR_ACK_DELAY_MS', 50, 0, 600_000),
      deliveryDelayMs: read.int('SIMULATOR_DELIVERY_DELAY_MS', 200, 0, 600_000),
      readDelayMs: read.int('SIMULATOR_READ_DELAY_MS', 500, 0, 600_000),
    },
    baileys: {
      browserName: read.string('BAILEYS_BROWSER_NAME', 'WhatsApp API'),
      // Optional even then: without it the emulator is reached at WhatsApp's own address (a test
      // whose hosts file maps web.whatsapp.com to it), so the production URL path is exercised.
      websocketUrl: emulatorEnabled ? read.optionalUrl('WA_WEBSOCKET_URL', ['ws:', 'wss:']) : undefined,
      emulatorRootKey: emulatorEnabled ? read.required('WA_EMULATOR_ROOT_KEY') : undefined,
      emulatorMediaCa: emulatorEnabled ? read.pemFile('WA_EMULATOR_MEDIA_CA') : undefined,
    },
    media: {
      maxBytes: read.int('MEDIA_MAX_BYTES', 64 * 1024 * 1024, 1, 2 * 1024 * 1024 * 1024),
      fetchTimeoutMs: read.int('MEDIA_FETCH_TIMEOUT_MS', 30_000, 100, 600_000),
      ffmpegPath: read.string('FFMPEG_PATH', 'ffmpeg'),
      store: mediaStore(read, dataDir),
    },
    allowPrivateUrls: read.bool('ALLOW_PRIVATE_URLS', false),
    webhooks: {
      timeoutMs: read.int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 300_000),
      concurrency: read.int('WEBHOOK_CONCURRENCY', 16, 1, 1000),
      maxResponseBytes: read.int('WEBHOOK_MAX_RESPONSE_BYTES', 64 * 1024, 0, 16 * 1024 * 1024),
      pollIntervalMs: read.int('WEBHOOK_POLL_INTERVAL_MS', 1000, 10, 60_000),
    },
    http: {
      bodyLimitBytes: read.int('HTTP_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
      corsOrigin: corsOrigin(read.optional('CORS_ORIGIN')),
      loginRateLimitPerMinute: read.int('LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 100_000),
      dashboardRateLimitPerMinute: read.int('DASHBOARD_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
      trustProxy: trustProxy(read.optional('TRUST_PROXY')),
    },
    metrics: { token: read.optional('METRICS_TOKEN') },
    cache: { ttlMs: read.int('CACHE_TTL_MS', 2000, 0, 60_000) },
    dashboard: { dir: path.resolve(read.string('DASHBOARD_DIR', './web/dist')) },
  };
  return config;
}

/** The names proxy-addr (Fastify's trustProxy) accepts besides addresses and CIDRs. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value.toLowerCase() === 'false') return false;
  if (value.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 100) throw new ConfigError(`TRUST_PROXY: a hop count must be between 0 and 100, got ${hops}`);
    return hops === 0 ? false : hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!PROXY_RANGE_NAMES.includes(entry) && !ipaddr.isValid(entry) && !isCidr(entry)) {
      throw new ConfigError(`TRUST_PROXY: expected false, true, a hop count, or proxy addresses/CIDRs separated by commas (or ${PROXY_RANGE_NAMES.join(', ')}); "${entry}" is none of these`);
    }
  }
  return entries;
}

function isCidr(value: string): boolean {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

function corsOrigin(value: string | undefined): string | boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true' || value === '*') return true;
  return value;
}

function serverDatabaseUrls(read: Reader, provider: DatabaseProvider, databaseUrl: string | undefined): Config['database']['urls'] {
  const urls: Config['database']['urls'] = {};
  const postgres = read.optional('POSTGRES_URL');
  if (postgres && !/^postgres(ql)?:\/\//.test(postgres)) throw new ConfigError('POSTGRES_URL: must be a postgres:// URL');
  const mongodb = read.optional('MONGODB_URL');
  if (mongodb && !/^mongodb(\+srv)?:\/\//.test(mongodb)) throw new ConfigError('MONGODB_URL: must be a mongodb:// or mongodb+srv:// URL');
  if (provider === 'postgres' && databaseUrl) urls.postgres = { url: databaseUrl, variable: 'DATABASE_URL' };
  else if (postgres) urls.postgres = { url: postgres, variable: 'POSTGRES_URL' };
  if (provider === 'mongodb' && databaseUrl) urls.mongodb = { url: databaseUrl, variable: 'DATABASE_URL' };
  else if (mongodb) urls.mongodb = { url: mongodb, variable: 'MONGODB_URL' };
  return urls;
}

const S3_VARIABLES = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE'];

function mediaStore(read: Reader, dataDir: string): MediaStoreConfig {
  const kind = read.oneOf('MEDIA_STORE', ['local', 's3'] as const, 'local');
  if (kind === 'local') {
    // Set and ignored, an operator would believe media went to the bucket.
    const stray = S3_VARIABLES.find((name) => read.optional(name) !== undefined);
    if (stray) throw new ConfigError(`${stray}: set, but MEDIA_STORE is local; set MEDIA_STORE=s3 to store media in S3, or remove it`);
    return { kind, dir: path.join(dataDir, 'media') };
  }
  const needed = (name: string) => {
    const value = read.optional(name);
    if (value === undefined) throw new ConfigError(`${name}: required when MEDIA_STORE=s3`);
    return value;
  };
  const bucket = needed('S3_BUCKET');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError(`S3_BUCKET: not a bucket name (3-63 lower-case letters, digits, dots and hyphens), got "${bucket}"`);
  return {
    kind,
    bucket,
    region: read.string('S3_REGION', 'us-east-1'),
    endpoint: read.optionalUrl('S3_ENDPOINT', ['http:', 'https:']),
    forcePathStyle: read.bool('S3_FORCE_PATH_STYLE', false),
    accessKeyId: needed('S3_ACCESS_KEY_ID'),
    secretAccessKey: needed('S3_SECRET_ACCESS_KEY'),
  };
}

function sqlitePathFrom(url: string): string {
  const file = url.startsWith('file:') ? url.slice('file:'.length) : url;
  if (file === '') throw new ConfigError('SQLITE_DATABASE_URL: must name a file, e.g. file:./data/whatsapp-api.db');
  return file === ':memory:' ? file : path.resolve(file);
}

/** Reads one variable at a time and names it in every error. */
class Reader {
  constructor(private readonly env: Env) {}

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new ConfigError(`${name}: required`);
    return value;
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!/^-?\d+$/.test(raw)) throw new ConfigError(`${name}: expected an integer, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigError(`${name}: must be between ${min} and ${max}, got ${value}`);
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    throw new ConfigError(`${name}: expected true or false, got "${raw}"`);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!allowed.includes(raw as T)) throw new ConfigError(`${name}: expected one of ${allowed.join(', ')}, got "${raw}"`);
    return raw as T;
  }

  email(name: string, fallback: string): string {
    const value = this.string(name, fallback);
    if (!/^[^\s@]+@[^\s@]+$/.test(value)) throw new ConfigError(`${name}: not an email address: "${value}"`);
    return value.toLowerCase();
  }

  optionalUrl(name: string, protocols: string[]): string | undefined {
    return this.optional(name) === undefined ? undefined : this.url(name, protocols);
  }

  url(name: string, protocols: string[]): string {
    const value = this.required(name);
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(`${name}: not a URL: "${value}"`);
    }
    if (!protocols.includes(parsed.protocol)) throw new ConfigError(`${name}: must use ${protocols.join(' or ')}`);
    return value;
  }

  /** The certificate(s) in the PEM file the variable names, when it names one. */
  pemFile(name: string): string | undefined {
    const file = this.optional(name);
    if (file === undefined) return undefined;
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError(`${name}: cannot read "${file}"`);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(`${name}: "${file}" holds no PEM certificate`);
    return pem;
  }

  secret(name: string, minLength: number): string | undefined {
    const value = this.optional(name);
    if (value !== undefined && value.length < minLength) {
      throw new ConfigError(`${name}: must be at least ${minLength} characters, got ${value.length} (generate one with: openssl rand -hex 32)`);
    }
    return value;
  }

  duration(name: string, fallback: string): string {
    const value = this.string(name, fallback);
    if (!/^\d+\s*(s|m|h|d|w)?$/.test(value)) throw new ConfigError(`${name}: expected a duration like 3600, 30m, 24h or 7d, got "${value}"`);
    return value;
  }
}
