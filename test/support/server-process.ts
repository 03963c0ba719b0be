import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { testEnv } from './app.js';

export const REPO = path.resolve(import.meta.dirname, '../..');
const SERVER = path.join(REPO, 'src/server.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** One of our programs (`src/server.ts`, `src/reset-password.ts`) run in a process of its own. */
export interface ProgramProcess {
  /** Every non-empty line written to stdout and stderr so far, in order. */
  lines: string[];
  /** Resolves with the first line (already written or still to come) that matches; rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<Exit>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<Exit>;
}

/** `src/server.ts` run as its own process, as `npm start` runs it. */
export interface ServerProcess extends ProgramProcess {
  /** Resolves with the base URL once it listens; rejects with its output when it exits first. */
  listening: Promise<string>;
}

const running = new Set<ChildProcess>();

/** Kills (SIGKILL) every process a test left running; for afterEach. */
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
 * Runs a program with exactly the environment given (plus PATH) in `cwd`: no test hook is set
 * unless the test sets it, and no `.env` of the repository is read unless `cwd` is the repository.
 */
export function spawnProgram(args: string[], env: Record<string, string>, cwd: string): ProgramProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.on('exit', () => running.delete(child));
  const lines: string[] = [];
  const output = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  const collect = (name: 'stdout' | 'stderr') => {
    let rest = '';
    child[name]!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output[name] += text;
      const parts = (rest + text).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts.filter((l) => l.length > 0));
      for (const listener of listeners) listener();
    });
  };
  collect('stdout');
  collect('stderr');
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, ...output })));

  return {
    lines,
    exited,
    waitForLine(pattern, timeoutMs = 180_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find((l) => pattern.test(l));
          if (line === undefined) return false;
          done();
          resolve(line);
          return true;
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${lines.join('\n')}`));
        }, timeoutMs);
        const onExit = () => {
          if (check()) return;
          done();
          reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before a line matching ${pattern}:\n${lines.join('\n')}`));
        };
        const listener = () => void check();
        const done = () => {
          clearTimeout(timer);
          listeners.delete(listener);
          child.off('exit', onExit);
        };
        if (check()) return;
        listeners.add(listener);
        child.once('exit', onExit);
      });
    },
    kill: (signal) => void child.kill(signal),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * Starts a server process on `dataDir` with the test defaults (testEnv); an `undefined` in `env`
 * removes a default. It runs in `dataDir`, so no `.env` of the repository is read.
 */
export function spawnServer(dataDir: string, env: Record<string, string | undefined> = {}): ServerProcess {
  const merged: Record<string, string | undefined> = { ...testEnv(dataDir), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env };
  const program = spawnProgram([SERVER], Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as Record<string, string>, dataDir);
  const listening = program.waitForLine(/Server listening at http:\/\/[\d.]+:\d+/).then((line) => /(http:\/\/[\d.]+:\d+)/.exec(line)![1]);
  // A test that only awaits `exited` must not see an unhandled rejection.
  listening.catch(() => undefined);
  return { ...program, listening };
}
