import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { eventually, startServer, testEnv } from '../support/app.js';
import { freshPostgresUrl, TEST_POSTGRES_URL } from '../support/postgres.js';
import { killAll, refusal, spawnServer } from '../support/server-process.js';
import { silentLogger } from '../support/logger.js';

/** A process loads every module before it reads its configuration: seconds on a busy machine. */
const PROCESS_TIMEOUT = 180_000;

let dataDir: string;
let file: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'wa-lock-'));
  file = path.join(dataDir, 'test.db');
});
afterEach(() => {
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

const inUse = (db: string) =>
  `SQLITE_DATABASE_URL (file:${db}): in use: another server process is running on this database (it holds ${db}.lock); only one may: stop it first, or use PostgreSQL for several nodes`;

const openContext = () => createContext(loadConfig(testEnv(dataDir)), { serverSecret: testEnv(dataDir).JWT_SECRET, logger: silentLogger });

describe('one server per SQLite database', () => {
  it('refuses a second context on the file while the first is open, and not after it closed', async () => {
    const first = await openContext();
    await expect(openContext()).rejects.toThrow(inUse(file));
    await first.close();
    const second = await openContext();
    await second.close();
  });

  it(
    'stops a second server process with one line; a kill -9 of the first frees the file',
    async () => {
      const first = spawnServer(dataDir);
      await first.listening;
      const second = await refusal(spawnServer(dataDir));
      expect(second).not.toBe('listened');
      if (second === 'listened') return;
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(`Failed to start: ${inUse(file)}\n`);

      first.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      const third = spawnServer(dataDir);
      const url = await third.listening;
      expect((await fetch(`${url}/ready`)).status).toBe(200);
      expect((await third.stop()).code).toBe(0);
    },
    PROCESS_TIMEOUT,
  );

  it.runIf(TEST_POSTGRES_URL)('a database switch lets the SQLite file go, and refuses to switch to one another server holds', async () => {
    const postgres = await freshPostgresUrl();
    const server = await startServer({ dataDir, env: { POSTGRES_URL: postgres.url } });
    try {
      await expect(openSqliteStore(file)).rejects.toThrow(/another server process is running on this database/);
      const toPostgres = await server.request('POST', '/api/db/switch', { as: server.admin, body: { provider: 'postgres' } });
      expect(toPostgres.status).toBe(200);
      const other = await eventually(() => openSqliteStore(file).catch(() => undefined), 5000, 'the SQLite lock to be released');
      try {
        const back = await server.request('POST', '/api/db/switch', { as: server.admin, body: { provider: 'sqlite' } });
        expect(back.status).toBe(409);
        expect(back.body).toEqual({ error: `Database sqlite is in use: ${inUse(file)}` });
      } finally {
        await other.close();
      }
      const back = await server.request('POST', '/api/db/switch', { as: server.admin, body: { provider: 'sqlite' } });
      expect(back.status).toBe(200);
      await expect(openSqliteStore(file)).rejects.toThrow(/another server process is running on this database/);
    } finally {
      await server.close();
      await postgres.drop();
    }
  });
});
