import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ProgramProcess, REPO, spawnProgram } from '../support/server-process.js';

describe('first run of the server, as `npm start` runs it', () => {
  let dataDir: string;
  let server: ProgramProcess | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'wa-first-run-'));
  });
  afterEach(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says where the dashboard and the API docs are and which admin signs in, then logs no line per request', async () => {
    // Only what a user might set: no JWT_SECRET, no ADMIN_PASSWORD, no test hook.
    server = spawnProgram([path.join(REPO, 'src/server.ts')], { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEFAULT_ENGINE: 'simulator' }, dataDir);
    const ready = await server.waitForLine(/Ready\. Dashboard:/);
    const match = /Dashboard: (http:\/\/127\.0\.0\.1:\d+)\/ · API docs: \1\/docs · admin account: admin@example\.com/.exec(ready);
    expect(match, ready).not.toBeNull();
    const password = /generated password: (\S+)/.exec(server.lines.join('\n'))?.[1];
    expect(password).toBeTruthy();

    const base = match![1];
    const linesBefore = server.lines.length;
    expect((await fetch(`${base}/docs/json`)).status).toBe(200);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password }),
    });
    expect(login.status).toBe(200);
    const token = ((await login.json()) as { token: string }).token;
    expect((await fetch(`${base}/api/instances`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(server.lines.slice(linesBefore)).toEqual([]);
  });
});
