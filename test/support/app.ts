import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AppContext, createContext } from '../../src/app-context.js';
import type { Logger } from '../../src/core/logger.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { Engine } from '../../src/engines/engine.js';
import { type App, buildApp } from '../../src/http/app.js';
import type { Clock } from '../../src/core/clock.js';
import { freshPostgresUrl } from './postgres.js';
import { silentLogger } from './logger.js';

export const ADMIN_EMAIL = 'admin@test.local';
export const ADMIN_PASSWORD = 'admin-password-1';


export interface Credentials {
  token?: string;
  apiKey?: string;
}

export interface TestUser extends Required<Credentials> {
  id: string;
  email: string;
  password: string;
}

export interface TestResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
}

export interface TestServer {
  app: App;
  ctx: AppContext;
  config: Config;
  dataDir: string;
  admin: TestUser;
  /** A request through the real HTTP stack (fastify inject), as the given user. */
  request<T = any>(method: string, url: string, options?: { as?: Credentials; body?: unknown; headers?: Record<string, string>; payload?: Buffer | string }): Promise<TestResponse<T>>;
  /** Stops and starts the server on the same data (database and data dir); `whileDown` runs in between. */
  restart(whileDown?: (config: Config) => Promise<void>): Promise<TestServer>;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** Run on PostgreSQL (a fresh schema on TEST_POSTGRES_URL) instead of SQLite. */
  provider?: 'sqlite' | 'postgres';
  /** Reuse this data dir (restart tests). */
  dataDir?: string;
  /** Where the server logs (nowhere otherwise). */
  logger?: Logger;
  /** Replaces the Baileys engine. */
  baileysEngine?: Engine;
}

/** Defaults every test server runs with: simulator engine, loopback allowed, no noise. */
export function testEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    SQLITE_DATABASE_URL: `file:${path.join(dataDir, 'test.db')}`,
    JWT_SECRET: 'test-secret-which-is-long-enough-for-hs256',
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    LOG_LEVEL: 'silent',
    DEFAULT_ENGINE: 'simulator',
    SIMULATOR_ENABLED: 'true',
    SIMULATOR_ACK_DELAY_MS: '5',
    SIMULATOR_DELIVERY_DELAY_MS: '10',
    SIMULATOR_READ_DELAY_MS: '20',
    ALLOW_PRIVATE_URLS: 'true',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    WEBHOOK_POLL_INTERVAL_MS: '50',
    RECONNECT_BASE_DELAY_MS: '20',
    RECONNECT_MAX_DELAY_MS: '200',
    ...extra,
  };
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'wa-test-'));
  const env = testEnv(dataDir, options.env);
  let dropSchema: (() => Promise<void>) | undefined;
  if (options.provider === 'postgres' && !env.DATABASE_URL) {
    const pgSchema = await freshPostgresUrl();
    env.DATABASE_PROVIDER = 'postgres';
    env.DATABASE_URL = pgSchema.url;
    dropSchema = pgSchema.drop;
  }
  return boot(env, dataDir, options, async (keepData) => {
    if (keepData) return;
    await dropSchema?.();
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
}

async function boot(env: Record<string, string>, dataDir: string, options: StartOptions, cleanup: (keepData: boolean) => Promise<void>): Promise<TestServer> {
  const config = loadConfig(env);
  const ctx = await createContext(config, { serverSecret: env.JWT_SECRET, logger: options.logger ?? silentLogger, clock: options.clock, baileysEngine: options.baileysEngine });
  await ctx.services.users.ensureAdmin(config.admin, () => ADMIN_PASSWORD);
  const app = await buildApp(ctx);
  await ctx.start();
  await app.ready();

  const request = async <T = any>(method: string, url: string, options: Parameters<TestServer["request"]>[2] = {}): Promise<TestResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as?.token) headers.authorization = `Bearer ${options.as.token}`;
    else if (options.as?.apiKey) headers['x-api-key'] = options.as.apiKey;
    const response = await app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(options.payload !== undefined ? { payload: options.payload } : options.body !== undefined ? { payload: options.body as object } : {}),
    });
    const raw = response.rawPayload;
    const type = String(response.headers['content-type'] ?? '');
    const body = type.includes('application/json') && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8');
    return { status: response.statusCode, body, headers: response.headers as TestResponse["headers"], raw };
  };

  const login = await request('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const admin: TestUser = { id: login.body.user.id, email: ADMIN_EMAIL, password: ADMIN_PASSWORD, token: login.body.token, apiKey: login.body.user.apiKey };

  let closed = false;
  const stop = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await ctx.close();
  };
  const server: TestServer = {
    app,
    ctx,
    config,
    dataDir,
    admin,
    request,
    async restart(whileDown) {
      await stop();
      await whileDown?.(config);
      return boot(env, dataDir, options, cleanup);
    },
    async close() {
      await stop();
      await cleanup(false);
    },
  };
  return server;
}

let userCounter = 0;

/** Creates a user through the admin API and signs them in. */
export async function createUser(server: TestServer, fields: { role?: 'admin' | 'user'; email?: string } = {}): Promise<TestUser> {
  userCounter += 1;
  const email = fields.email ?? `user${userCounter}-${Date.now()}@test.local`;
  const password = 'user-password-1';
  const created = await server.request('POST', '/api/users', {
    as: server.admin,
    body: { email, password, firstName: 'Test', lastName: `User${userCounter}`, role: fields.role ?? 'user' },
  });
  if (created.status !== 201) throw new Error(`createUser failed: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await server.request('POST', '/api/auth/login', { body: { email, password } });
  return { id: created.body.id, email, password, token: login.body.token, apiKey: created.body.apiKey };
}

/** Creates an instance as `user` and returns the API's answer. */
export async function createInstance(server: TestServer, user: Credentials, body: Record<string, unknown> = {}): Promise<{ id: string; [key: string]: unknown }> {
  const response = await server.request('POST', '/api/instances', { as: user, body: { name: 'Test instance', ...body } });
  if (response.status !== 201) throw new Error(`createInstance failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(check: () => Promise<T | undefined | false | null> | T | undefined | false | null, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A multipart/form-data body for `server.request` (`payload` + `headers`), with at most one file field `file`. */
export function multipart(fields: Record<string, string>, file?: { name: string; type: string; data: Buffer; field?: string }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----test${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Creates a simulator instance, has its virtual phone scan the QR code, and waits until it is connected. */
export async function linkInstance(server: TestServer, user: Credentials, options: { phone?: string; pushName?: string; body?: Record<string, unknown> } = {}): Promise<{ id: string; jid: string }> {
  const { id } = await createInstance(server, user, options.body);
  const scan = await eventually(async () => {
    const res = await server.request('POST', `/api/simulator/instances/${id}/scan`, { as: user, body: { phone: options.phone, pushName: options.pushName } });
    return res.status === 200 ? res : undefined;
  }, 5000, `scan of ${id}`);
  await eventually(async () => (await server.request('GET', `/api/instances/${id}/status`, { as: user })).body.ready === true, 5000, `${id} connected`);
  return { id, jid: scan.body.phone };
}

/** A virtual phone sends the instance a message (text, media or contact); returns its id. */
export async function receiveMessage(server: TestServer, user: Credentials, instanceId: string, body: Record<string, unknown>): Promise<string> {
  const res = await server.request('POST', `/api/simulator/instances/${instanceId}/inbound`, { as: user, body });
  if (res.status !== 200) throw new Error(`receiveMessage failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}
