import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { testEnv } from './app.js';

const SERVER = path.resolve(import.meta.dirname, '../../src/server.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `src/server.ts` run as its own process, as `npm start` runs it. */
export interface ServerProcess {
  /** Resolves with the base URL once it listens; rejects with its output when it exits first. */
  listening: Promise<string>;
  exited: Promise<Exit>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<Exit>;
}

const running = new Set<ChildProcess>();

/** Kills (SIGKILL) every server process a test left running; for afterEach. */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Waits for a start that should be refused: its exit, or 'listened' when it started instead
 * (stopped at once, so a failing test leaves nothing running).
 */
export async function refusal(server: ServerProcess): Promise<Exit | 'listened'> {
  const outcome = await Promise.race([server.exited, server.listening.then(() => 'listened' as const, () => server.exited)]);
  if (outcome === 'listened') await server.stop();
  return outcome;
}

/**
 * Starts a server process on `dataDir` with the test defaults (testEnv); an `undefined` in `env`
 * removes a default. It runs in `dataDir`, so no `.env` of the repository is read.
 */
export function spawnServer(dataDir: string, env: Record<string, string | undefined> = {}): ServerProcess {
  const merged: Record<string, string | undefined> = { ...testEnv(dataDir), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env };
  const childEnv = Object.fromEntries(Object.entries({ PATH: process.env.PATH, ...merged }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX, SERVER], { cwd: dataDir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const listening = new Promise<string>((resolve, reject) => {
    const watch = () => {
      const url = /Server listening at (http:\/\/[\d.]+:\d+)/.exec(stdout)?.[1];
      if (url) resolve(url);
    };
    child.stdout!.on('data', watch);
    void exited.then((exit) => reject(new Error(`server exited (${exit.code ?? exit.signal}) before listening:\n${exit.stderr}\n${exit.stdout}`)));
  });
  // A test that only awaits `exited` must not see an unhandled rejection.
  listening.catch(() => undefined);
  return {
    listening,
    exited,
    kill: (signal) => void child.kill(signal),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
