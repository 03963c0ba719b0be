import { spawn } from 'node:child_process';
import path from 'node:path';
import { request } from 'undici';
import { client, freePort, REPO, sleep } from './gateway.js';

export interface BareServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts bare-server.ts in its own process, launched the same way as the gateway. */
export async function startBare(): Promise<BareServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'bench/lib/bare-server.ts'), String(port)], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'], env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await request(`${url}/health`, { dispatcher: client });
      await res.body.dump();
      if (res.statusCode === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('bare server did not start');
    await sleep(25);
  }
  return {
    url,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
