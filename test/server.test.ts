import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../src/app-context.js';
import { loadConfig } from '../src/config.js';
import { explainSecretMismatch, resolveServerSecret } from '../src/secrets.js';
import { SecretMismatchError } from '../src/core/crypto.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, testEnv } from './support/app.js';
import { killAll, refusal, spawnServer } from './support/server-process.js';
import { silentLogger } from './support/logger.js';

/** A process loads every module before it reads its configuration: seconds on a busy machine. */
const PROCESS_TIMEOUT = 180_000;

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'wa-process-'));
});
afterEach(() => {
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

const SECRET = 'the-first-secret-which-is-long-enough';
const OTHER_SECRET = 'another-secret-which-is-long-enough-too';

/** Opens a context on the data dir with this server secret: what start-up does before it listens. */
async function openWith(serverSecret: string): Promise<SecretMismatchError | undefined> {
  try {
    const ctx = await createContext(loadConfig(testEnv(dataDir)), { serverSecret, logger: silentLogger });
    await ctx.close();
    return undefined;
  } catch (error) {
    if (error instanceof SecretMismatchError) return error;
    throw error;
  }
}

/** Stores API keys under `secret` (the admin's), as a first start does. */
async function storeKeysUnder(secret: string): Promise<void> {
  const server = await startServer({ dataDir, env: { JWT_SECRET: secret } });
  await server.close();
}

describe('the server secret at start-up', () => {
  it('refuses a JWT_SECRET shorter than 32 characters, naming it', () => {
    expect(() => loadConfig(testEnv(dataDir, { JWT_SECRET: 'short-secret' }))).toThrow(
      /^JWT_SECRET: must be at least 32 characters, got 12 \(generate one with: openssl rand -hex 32\)$/,
    );
  });

  it('opens the stored data with the secret it was written with, and with no data at all', async () => {
    expect(await openWith(OTHER_SECRET)).toBeUndefined();
    await storeKeysUnder(SECRET);
    expect(await openWith(SECRET)).toBeUndefined();
  });

  it('refuses a changed JWT_SECRET and says how to recover', async () => {
    await storeKeysUnder(SECRET);
    const refused = await openWith(OTHER_SECRET);
    expect(refused).toBeInstanceOf(SecretMismatchError);
    expect(explainSecretMismatch(OTHER_SECRET, dataDir, refused!.sample)).toBe(
      'JWT_SECRET does not open the API keys stored in the database: it changed since they were written. Restore the previous JWT_SECRET (every node must use the same one); without it the stored API keys and webhook secrets cannot be read',
    );
  });

  it('names the generated secret file when JWT_SECRET was set after the first start', async () => {
    const generated = resolveServerSecret(undefined, dataDir, () => {});
    await storeKeysUnder(generated);
    const refused = await openWith(OTHER_SECRET);
    const file = path.join(dataDir, 'server-secret');
    expect(explainSecretMismatch(OTHER_SECRET, dataDir, refused!.sample)).toBe(
      `JWT_SECRET does not open the API keys stored in the database, but ${file} (the secret generated before JWT_SECRET was set) does: set JWT_SECRET to the content of that file, on every node`,
    );
  });

  it('refuses an emptied secret file, and a lost one that was generated again', async () => {
    const file = path.join(dataDir, 'server-secret');
    await storeKeysUnder(resolveServerSecret(undefined, dataDir, () => {}));
    writeFileSync(file, '\n');
    expect(() => resolveServerSecret(undefined, dataDir, () => {})).toThrow(
      `${file} is empty: restore it from a backup (the stored API keys and webhook secrets were encrypted with it), or set JWT_SECRET to the secret it held`,
    );
    rmSync(file);
    const regenerated = resolveServerSecret(undefined, dataDir, () => {});
    expect(readFileSync(file, 'utf8').trim()).toBe(regenerated);
    const refused = await openWith(regenerated);
    expect(explainSecretMismatch(undefined, dataDir, refused!.sample)).toBe(
      `${file} does not open the API keys stored in the database: the secret was lost or replaced since they were written (a new one is generated when the file is missing). Restore the previous file from a backup, or set JWT_SECRET to the secret they were written with`,
    );
  });

  it(
    'stops the process with that one line and never listens, instead of answering every login with a 500',
    async () => {
      const first = spawnServer(dataDir, { JWT_SECRET: SECRET });
      const url = await first.listening;
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
      });
      expect(login.status).toBe(200);
      expect((await first.stop()).code).toBe(0);

      const second = await refusal(spawnServer(dataDir, { JWT_SECRET: OTHER_SECRET }));
      expect(second).not.toBe('listened');
      if (second === 'listened') return;
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(
        'Failed to start: JWT_SECRET does not open the API keys stored in the database: it changed since they were written. Restore the previous JWT_SECRET (every node must use the same one); without it the stored API keys and webhook secrets cannot be read\n',
      );
    },
    PROCESS_TIMEOUT,
  );
});
