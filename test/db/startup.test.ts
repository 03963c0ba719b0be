import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app-context.js';
import type { Logger } from '../../src/core/logger.js';
import { loadConfig } from '../../src/config.js';
import { testEnv } from '../support/app.js';
import { silentLogger } from '../support/logger.js';


describe('database at start-up', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wa-db-start-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const start = (env: Record<string, string>, logger: Logger = silentLogger) =>
    createContext(loadConfig(testEnv(dir, env)), { serverSecret: 'test-secret-which-is-long-enough-for-hs256', logger });

  it('names the variable and the problem of an unreachable server without its password', async () => {
    const failure = start({ DATABASE_PROVIDER: 'postgres', DATABASE_URL: 'postgres://gw:hunter2-secret@127.0.0.1:1/wa' });
    await expect(failure).rejects.toThrow(/^DATABASE_URL \(postgres:\/\/gw:\*\*\*\*@127\.0\.0\.1:1\/wa\): unreachable/);
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });

  it('rejects a URL of the wrong kind before connecting', () => {
    expect(() => loadConfig(testEnv(dir, { DATABASE_PROVIDER: 'mongodb', DATABASE_URL: 'postgres://x/y' }))).toThrow(/^DATABASE_URL: must be a mongodb:\/\/ URL/);
    expect(() => loadConfig(testEnv(dir, { POSTGRES_URL: 'mysql://x/y' }))).toThrow(/^POSTGRES_URL: must be a postgres:\/\/ URL/);
  });

  it('takes the provider URL from DATABASE_URL first, else POSTGRES_URL / MONGODB_URL', () => {
    const both = loadConfig(testEnv(dir, { DATABASE_PROVIDER: 'postgres', DATABASE_URL: 'postgres://a/one', POSTGRES_URL: 'postgres://b/two', MONGODB_URL: 'mongodb://m/three' }));
    expect(both.database.urls).toEqual({ postgres: { url: 'postgres://a/one', variable: 'DATABASE_URL' }, mongodb: { url: 'mongodb://m/three', variable: 'MONGODB_URL' } });
    const own = loadConfig(testEnv(dir, { DATABASE_PROVIDER: 'postgres', POSTGRES_URL: 'postgres://b/two' }));
    expect(own.database.urls.postgres).toEqual({ url: 'postgres://b/two', variable: 'POSTGRES_URL' });
    expect(() => loadConfig(testEnv(dir, { DATABASE_PROVIDER: 'mongodb' }))).toThrow(/^DATABASE_URL: required when DATABASE_PROVIDER=mongodb \(or set MONGODB_URL\)/);
  });

  it('starts on the provider a switch persisted, says so, and names what is missing for it', async () => {
    writeFileSync(path.join(dir, 'database.json'), JSON.stringify({ provider: 'mongodb' }));
    const lines: string[] = [];
    const logger = { ...silentLogger, info: (message: object | string) => void lines.push(String(message)) };
    await expect(start({}, logger)).rejects.toThrow(/^MONGODB_URL: not set/);
    expect(lines.some((l) => l.includes('database.json') && l.includes('takes precedence over DATABASE_PROVIDER=sqlite'))).toBe(true);
  });
});
