import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The checkout whose server is measured: this one, or another (a before/after comparison). */
const GATEWAY_DIR = path.resolve(process.env.BENCH_GATEWAY_DIR ?? REPO);
const ADMIN_EMAIL = 'admin@bench.local';
const ADMIN_PASSWORD = 'bench-admin-password-1';

/** One keep-alive pool for every control call of the harness, so setup never exhausts ports. */
export const client = new Agent({ connections: 128, pipelining: 1, keepAliveTimeout: 10_000 });

export interface Auth {
  token?: string;
  apiKey?: string;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

export interface GatewayOptions {
  /** Extra environment (DATABASE_PROVIDER, delays, ...). */
  env?: Record<string, string>;
  /** Reuse a data dir (restart); otherwise a fresh temp dir, removed by `destroy`. */
  dataDir?: string;
  /** Opens the inspector on loopback so the harness can force a GC and read heap figures. */
  inspect?: boolean;
}

/** How the server is launched: compiled once per run (as `npm start` runs it), or BENCH_SERVER=tsx. */
export const SERVER_MODE = process.env.BENCH_SERVER === 'tsx' ? 'tsx' : 'compiled';
let compiled: string | undefined;

/**
 * Node arguments that start the server. Compiled mode builds the checkout with its
 * tsconfig.build.json into a temp dir once per run, so boot time is not tsx compiling sources;
 * type errors elsewhere in a tree under construction do not stop tsc from emitting.
 */
function serverEntry(): string[] {
  if (SERVER_MODE === 'tsx') return ['--import', 'tsx', path.join(GATEWAY_DIR, 'src/server.ts')];
  if (!compiled) {
    const out = mkdtempSync(path.join(tmpdir(), 'wa-bench-build-'));
    spawnSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', path.join(GATEWAY_DIR, 'tsconfig.build.json'), '--outDir', out], { cwd: GATEWAY_DIR, stdio: 'ignore' });
    const entry = path.join(out, 'src/server.js');
    if (!existsSync(entry)) throw new Error(`tsc emitted no ${entry}`);
    writeFileSync(path.join(out, 'package.json'), JSON.stringify({ type: 'module' }));
    symlinkSync(path.join(GATEWAY_DIR, 'node_modules'), path.join(out, 'node_modules'));
    process.once('exit', () => rmSync(out, { recursive: true, force: true }));
    compiled = entry;
  }
  return [compiled];
}

/**
 * The gateway as a user runs it, in its own process, on a free loopback port and a temp DATA_DIR.
 * BENCH_GATEWAY_DIR points it at another checkout (with node_modules) to compare versions;
 * BENCH_CPU_PROF=<dir> writes a .cpuprofile of every gateway process there (read with profile-top.ts).
 */
export class Gateway {
  private exited: Promise<number | null>;
  private inspectorUrl?: string;
  admin: Auth = {};
  /** performance.now() when /health first answered. */
  healthyAt = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly dataDir: string,
    readonly options: GatewayOptions,
    /** performance.now() when the process was spawned. */
    readonly spawnedAt: number,
    private ownsDataDir: boolean,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(options: GatewayOptions = {}): Promise<Gateway> {
    const ownsDataDir = !options.dataDir;
    const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'wa-bench-'));
    const port = await freePort();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      SQLITE_DATABASE_URL: `file:${path.join(dataDir, 'bench.db')}`,
      JWT_SECRET: 'bench-secret-which-is-long-enough-for-hs256',
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      DEFAULT_ENGINE: 'simulator',
      SIMULATOR_ENABLED: 'true',
      SIMULATOR_ACK_DELAY_MS: '1',
      SIMULATOR_DELIVERY_DELAY_MS: '5',
      SIMULATOR_READ_DELAY_MS: '10',
      ALLOW_PRIVATE_URLS: 'true',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      ...options.env,
    };
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
    const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
    const args = [...nodeFlags, ...profile, ...(options.inspect ? ['--inspect=127.0.0.1:0'] : []), ...serverEntry()];
    const spawnedAt = performance.now();
    const child = spawn(process.execPath, args, { cwd: GATEWAY_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(path.join(dataDir, 'gateway.log'), { flags: 'a' });
    child.stdout?.pipe(log);
    const gateway = new Gateway(child, `http://127.0.0.1:${port}`, dataDir, options, spawnedAt, ownsDataDir);
    child.stderr?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      const match = /Debugger listening on (ws:\/\/\S+)/.exec(chunk.toString());
      if (match) gateway.inspectorUrl = match[1];
    });
    try {
      await gateway.waitHealthy();
      gateway.healthyAt = performance.now();
      const login = await gateway.api('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
      if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${JSON.stringify(login.body)}`);
      gateway.admin = { token: login.body.token, apiKey: login.body.user.apiKey };
      return gateway;
    } catch (error) {
      // A server that never came up must not outlive the run, nor its temp dir.
      await gateway.destroy();
      throw error;
    }
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('gateway has no pid');
    return this.child.pid;
  }

  private async waitHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | 'running' = 'running';
    void this.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== 'running') throw new Error(`gateway exited with ${exitCode}:\n${this.logTail()}`);
      try {
        const res = await this.api('GET', '/health');
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(25);
    }
    throw new Error(`gateway not healthy after ${timeoutMs} ms:\n${this.logTail()}`);
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(path.join(this.dataDir, 'gateway.log'), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async api<T = any>(method: string, urlPath: string, options: { as?: Auth; body?: unknown } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (options.as?.apiKey) headers['x-api-key'] = options.as.apiKey;
    else if (options.as?.token) headers.authorization = `Bearer ${options.as.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await request(this.url + urlPath, {
      method: method as 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      dispatcher: client,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    const type = String(res.headers['content-type'] ?? '');
    return { status: res.statusCode, body: type.includes('json') && text ? JSON.parse(text) : text };
  }

  /** Like `api`, but anything other than `expected` is an error naming the call. */
  async ok<T = any>(method: string, urlPath: string, options: { as?: Auth; body?: unknown } = {}, expected = [200, 201]): Promise<T> {
    const res = await this.api<T>(method, urlPath, options);
    if (!expected.includes(res.status)) throw new Error(`${method} ${urlPath} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  }

  /** Resident set size of the gateway process, from /proc. */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    if (!match) throw new Error('VmRSS not found');
    return Number(match[1]) * 1024;
  }

  /** Forces a full GC through the inspector and returns process.memoryUsage() of the gateway. */
  async collectGarbage(): Promise<NodeJS.MemoryUsage> {
    if (!this.inspectorUrl) throw new Error('gateway was not started with inspect: true');
    const { WebSocket } = await import('undici');
    const ws = new WebSocket(this.inspectorUrl);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener('error', () => reject(new Error('inspector connection failed')), { once: true });
    });
    let next = 0;
    const call = (method: string, params: object = {}) =>
      new Promise<any>((resolve, reject) => {
        const id = ++next;
        const timer = setTimeout(() => reject(new Error(`inspector ${method} timed out`)), 30_000);
        const onMessage = (event: { data: unknown }) => {
          const message = JSON.parse(String(event.data));
          if (message.id !== id) return;
          clearTimeout(timer);
          ws.removeEventListener('message', onMessage);
          if (message.error) reject(new Error(`${method}: ${message.error.message}`));
          else resolve(message.result);
        };
        ws.addEventListener('message', onMessage);
        ws.send(JSON.stringify({ id, method, params }));
      });
    try {
      for (let i = 0; i < 3; i++) await call('HeapProfiler.collectGarbage');
      const result = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
      return JSON.parse(result.result.value);
    } finally {
      ws.close();
    }
  }

  /** SIGTERM and wait for a clean exit (SIGKILL after 15 s). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Stops and starts a new process on the same data. */
  async restart(env: Record<string, string> = {}): Promise<Gateway> {
    await this.stop();
    const next = await Gateway.start({ ...this.options, env: { ...this.options.env, ...env }, dataDir: this.dataDir });
    next.ownsDataDir = this.ownsDataDir;
    this.ownsDataDir = false;
    return next;
  }

  /** Stops the process and removes its temp data dir. */
  async destroy(): Promise<void> {
    await this.stop();
    this.reportLoggedProblems();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** A benchmark that made the gateway log warnings or errors says so before its data goes. */
  private reportLoggedProblems(): void {
    const problems = this.logTail(Number.MAX_SAFE_INTEGER)
      .split('\n')
      .filter((line) => /"level":(40|50|60)/.test(line));
    if (problems.length === 0) return;
    const kinds = new Map<string, number>();
    for (const line of problems) {
      const msg = /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? line.slice(0, 200);
      kinds.set(msg, (kinds.get(msg) ?? 0) + 1);
    }
    const summary = [...kinds].map(([msg, n]) => `${n} × ${msg.slice(0, 200)}`).join('\n  ');
    process.stderr.write(`gateway ${this.pid} logged ${problems.length} warnings/errors:\n  ${summary}\n`);
  }
}

/** CPU time (user + system) a process has used so far, in ms: steadier than rates on a shared machine. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;
