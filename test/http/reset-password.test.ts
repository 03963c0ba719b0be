import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, testEnv } from '../support/app.js';
import { REPO, spawnProgram, spawnServer } from '../support/server-process.js';

/** Runs `npm run reset-password`'s program on a data dir, as an operator would; its output and exit code. */
async function resetPassword(dataDir: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const cli = spawnProgram([path.join(REPO, 'src/reset-password.ts'), ...args], testEnv(dataDir), dataDir);
  const { code } = await cli.exited;
  return { code, output: cli.lines.join('\n') };
}

describe('npm run reset-password', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'wa-reset-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('gives the admin a new password, printed once, and the old one stops working', async () => {
    await (await startServer({ dataDir })).close();

    const { code, output } = await resetPassword(dataDir, []);
    expect(code).toBe(0);
    const password = new RegExp(`New password for ${ADMIN_EMAIL}: (\\S+)`).exec(output)?.[1];
    expect(password, output).toBeTruthy();

    const server = spawnServer(dataDir);
    try {
      const base = await server.listening;
      const login = (pw: string) =>
        fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: pw }) });
      const fresh = await login(password!);
      expect(fresh.status).toBe(200);
      expect(((await fresh.json()) as { user: { email: string } }).user.email).toBe(ADMIN_EMAIL);
      expect((await login(ADMIN_PASSWORD)).status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  it('names the e-mail it could not find and changes nothing', async () => {
    await (await startServer({ dataDir })).close();
    const { code, output } = await resetPassword(dataDir, ['nobody@example.com']);
    expect(code).toBe(2);
    expect(output).toBe('reset-password: No user with email nobody@example.com');
  });
});
