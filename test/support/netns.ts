import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Credentials, type TestResponse } from './app.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(REPO, 'node_modules/tsx/dist/loader.mjs');

/**
 * Why network namespaces cannot be used here (not root, no `ip`), or undefined when they can.
 * Under CI=true the tests that need them run anyway, and fail, rather than being left out.
 */
export function netnsUnavailable(): string | undefined {
  const probe = `wa-probe-${randomBytes(4).toString('hex')}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.error || add.status !== 0) return add.error?.message ?? add.stderr.trim();
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

export const RUN_NETNS_TESTS = process.env.CI === 'true' || netnsUnavailable() === undefined;

function ip(...args: string[]): void {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.error?.message ?? result.stderr.trim()}`);
}

/**
 * A network namespace with only a loopback interface: no route out, no DNS server. Its own
 * /etc/hosts (`ip netns exec` mounts /etc/netns/<name>/hosts over it) maps only `hosts`.
 */
export class Netns {
  private readonly children = new Set<ChildProcess>();
  private readonly onExit = () => this.removeSync();

  private constructor(
    readonly name: string,
    readonly dir: string,
  ) {
    process.once('exit', this.onExit);
  }

  static create(hosts: Record<string, string> = {}): Netns {
    const name = `wa-test-${process.pid}-${randomBytes(3).toString('hex')}`;
    const dir = mkdtempSync(path.join(tmpdir(), `${name}-`));
    const etc = `/etc/netns/${name}`;
    mkdirSync(etc, { recursive: true });
    const lines = ['127.0.0.1 localhost', '::1 localhost', ...Object.entries(hosts).map(([host, address]) => `${address} ${host}`)];
    writeFileSync(path.join(etc, 'hosts'), `${lines.join('\n')}\n`);
    // Nothing listens on port 53 inside: every lookup the hosts file does not answer fails at once.
    writeFileSync(path.join(etc, 'resolv.conf'), 'nameserver 127.0.0.1\noptions attempts:1 timeout:1\n');
    const ns = new Netns(name, dir);
    try {
      ip('netns', 'add', name);
      ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
    } catch (error) {
      ns.removeSync();
      throw error;
    }
    return ns;
  }

  /** A node process inside the namespace, running a TypeScript file through tsx. */
  spawnNode(script: string, args: string[], options: { env: Record<string, string>; cwd: string; log: string }): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.name, process.execPath, '--import', TSX, script, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(options.log, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** The relay and emulator fixture inside the namespace; resolves with its ready line. */
  async startFixture(args: string[]): Promise<{ rootPublicKey?: string }> {
    const logPath = path.join(this.dir, 'fixture.log');
    const child = this.spawnNode(path.join(REPO, 'test/support/netns-fixture.ts'), args, { env: { PATH: process.env.PATH ?? '' }, cwd: this.dir, log: logPath });
    return new Promise((resolve, reject) => {
      let buffered = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const line = buffered.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      child.once('exit', (code) => reject(new Error(`netns fixture exited with ${code}: ${readLog(logPath)}`)));
    });
  }

  async remove(): Promise<void> {
    await Promise.all([...this.children].map((child) => stopChild(child)));
    this.removeSync();
  }

  private removeSync(): void {
    process.off('exit', this.onExit);
    for (const child of this.children) child.kill('SIGKILL');
    spawnSync('ip', ['netns', 'del', this.name]);
    rmSync(`/etc/netns/${this.name}`, { recursive: true, force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Gateway ports inside a namespace: each start its own, so a gateway left running by a failed test cannot answer for the next one. */
let nextGatewayPort = 3000;

/**
 * The server as `npm start` runs it (src/server.ts, real configuration from the environment),
 * inside a namespace, reached from the test through the fixture's relay socket.
 */
export class NetnsGateway {
  admin: Credentials = {};
  private readonly dispatcher: Agent;

  private constructor(
    private readonly ns: Netns,
    private readonly child: ChildProcess,
    private readonly socketPath: string,
    readonly logPath: string,
  ) {
    this.dispatcher = new Agent({ connect: { socketPath } });
  }

  /**
   * `env` is the whole configuration beside where to listen and store: nothing else leaks in
   * from the test's environment, and the working directory has no `.env`.
   */
  static async start(ns: Netns, env: Record<string, string>, dataDir = mkdtempSync(path.join(ns.dir, 'data-'))): Promise<NetnsGateway> {
    const port = nextGatewayPort++;
    const socketPath = path.join(ns.dir, `gateway-${port}.sock`);
    await ns.startFixture(['--relay', `${socketPath}:${port}`]);
    const logPath = path.join(dataDir, 'gateway.log');
    const child = ns.spawnNode(path.join(REPO, 'src/server.ts'), [], {
      cwd: dataDir,
      log: logPath,
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        SQLITE_DATABASE_URL: `file:${path.join(dataDir, 'gateway.db')}`,
        ADMIN_EMAIL,
        ADMIN_PASSWORD,
        LOG_LEVEL: 'info',
        ...env,
      },
    });
    const gateway = new NetnsGateway(ns, child, socketPath, logPath);
    await gateway.waitReady();
    return gateway;
  }

  private async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`gateway exited with ${this.child.exitCode}: ${readLog(this.logPath)}`);
      const health = await this.request('GET', '/health').catch(() => undefined);
      if (health?.status === 200) {
        const login = await this.request('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
        if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${JSON.stringify(login.body)}`);
        this.admin = { token: login.body.token };
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`gateway not ready after ${timeoutMs} ms: ${readLog(this.logPath)}`);
  }

  async request<T = any>(method: string, url: string, options: { as?: Credentials; body?: unknown } = {}): Promise<Omit<TestResponse<T>, 'raw'>> {
    const headers: Record<string, string> = {};
    if (options.as?.token) headers.authorization = `Bearer ${options.as.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await request(`http://gateway${url}`, {
      method: method as 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      dispatcher: this.dispatcher,
    });
    const text = await res.body.text();
    const type = String(res.headers['content-type'] ?? '');
    return { status: res.statusCode, body: type.includes('json') && text ? JSON.parse(text) : text, headers: res.headers };
  }

  /** The server's log lines (pino JSON). */
  logLines(): Array<Record<string, unknown>> {
    return readFileSync(this.logPath, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async stop(): Promise<void> {
    await stopChild(this.child);
    if (!this.dispatcher.closed) await this.dispatcher.close();
  }
}

/** A client of the emulator's control API on its Unix socket. */
export function controlClient(socketPath: string) {
  const dispatcher = new Agent({ connect: { socketPath } });
  return {
    async call<T = any>(method: string, url: string, body?: unknown): Promise<T> {
      const res = await request(`http://control${url}`, {
        method: method as 'GET',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher,
      });
      const json = (await res.body.json()) as T;
      if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${JSON.stringify(json)}`);
      return json;
    },
    close: () => dispatcher.close(),
  };
}
