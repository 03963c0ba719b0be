import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { resolveServerSecret } from '../../src/secrets.js';

describe('loadConfig', () => {
  it('has the spec defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database.provider).toBe('sqlite');
    expect(config.database.sqliteUrl).toBe('file:./data/whatsapp-api.db');
    expect(config.database.sqlitePath).toBe(path.resolve('data/whatsapp-api.db'));
    expect(config.jwt.expiration).toBe('24h');
    expect(config.admin).toMatchObject({ email: 'admin@example.com', firstName: 'Admin', lastName: 'User' });
    expect(config.engines.default).toBe('baileys');
    expect(config.allowPrivateUrls).toBe(false);
    expect(config.media.store).toEqual({ kind: 'local', dir: path.resolve('data/media') });
  });

  it('reads an S3 media store, and names no secret in its errors', () => {
    const s3 = { MEDIA_STORE: 's3', S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'AKIDEXAMPLE', S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI-secret' };
    expect(loadConfig(s3).media.store).toEqual({ kind: 's3', bucket: 'media', region: 'us-east-1', forcePathStyle: false, accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI-secret' });
    const minio = loadConfig({ ...s3, S3_ENDPOINT: 'http://minio:9000', S3_REGION: 'eu-west-1', S3_FORCE_PATH_STYLE: 'true' }).media.store;
    expect(minio).toMatchObject({ endpoint: 'http://minio:9000', region: 'eu-west-1', forcePathStyle: true });
    expect(() => loadConfig({ ...s3, S3_ENDPOINT: 'nope' })).toThrow(/^S3_ENDPOINT: not a URL: "nope"$/);
    expect(() => loadConfig({ ...s3, S3_BUCKET: 'Bad_Bucket' })).not.toThrow(/secret/);
  });

  it('keeps the SQLite file in DATA_DIR when only DATA_DIR is set', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wa-config-'));
    expect(loadConfig({ DATA_DIR: dir }).database.sqlitePath).toBe(path.join(dir, 'whatsapp-api.db'));
    expect(loadConfig({ DATA_DIR: dir, SQLITE_DATABASE_URL: 'file:./elsewhere.db' }).database.sqlitePath).toBe(path.resolve('elsewhere.db'));
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: expected an integer/],
    [{ PORT: '70000' }, /^PORT: must be between/],
    [{ DATABASE_PROVIDER: 'oracle' }, /^DATABASE_PROVIDER: expected one of sqlite, postgres, mongodb/],
    [{ DATABASE_PROVIDER: 'postgres' }, /^DATABASE_URL: required/],
    [{ DATABASE_PROVIDER: 'postgres', DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: must be a postgres/],
    [{ JWT_EXPIRATION: 'forever' }, /^JWT_EXPIRATION: expected a duration/],
    [{ ALLOW_PRIVATE_URLS: 'maybe' }, /^ALLOW_PRIVATE_URLS: expected true or false/],
    [{ ADMIN_EMAIL: 'nobody' }, /^ADMIN_EMAIL: not an email address/],
    [{ DEFAULT_ENGINE: 'webjs' }, /^DEFAULT_ENGINE: expected one of baileys, simulator/],
    [{ WA_EMULATOR_ENABLED: 'true' }, /^WA_EMULATOR_ROOT_KEY: required/],
    [{ WA_EMULATOR_ENABLED: 'true', WA_EMULATOR_ROOT_KEY: 'a2V5', WA_WEBSOCKET_URL: 'http://x' }, /^WA_WEBSOCKET_URL: must use ws: or wss:/],
    [{ TRUST_PROXY: '10.0.0.1, proxy.local' }, /^TRUST_PROXY: expected false, true, a hop count, or proxy addresses\/CIDRs .*"proxy.local" is none of these$/],
    [{ TRUST_PROXY: '500' }, /^TRUST_PROXY: a hop count must be between 0 and 100, got 500$/],
    [{ MEDIA_STORE: 'ftp' }, /^MEDIA_STORE: expected one of local, s3, got "ftp"$/],
    [{ MEDIA_STORE: 's3', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' }, /^S3_BUCKET: required when MEDIA_STORE=s3$/],
    [{ MEDIA_STORE: 's3', S3_BUCKET: 'media', S3_SECRET_ACCESS_KEY: 's' }, /^S3_ACCESS_KEY_ID: required when MEDIA_STORE=s3$/],
    [{ MEDIA_STORE: 's3', S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'k' }, /^S3_SECRET_ACCESS_KEY: required when MEDIA_STORE=s3$/],
    [{ MEDIA_STORE: 's3', S3_BUCKET: 'My_Bucket', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' }, /^S3_BUCKET: not a bucket name/],
    [{ MEDIA_STORE: 's3', S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's', S3_ENDPOINT: 'minio:9000' }, /^S3_ENDPOINT: (not a URL|must use http: or https:)/],
    [{ MEDIA_STORE: 's3', S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's', S3_FORCE_PATH_STYLE: 'sometimes' }, /^S3_FORCE_PATH_STYLE: expected true or false/],
    [{ S3_BUCKET: 'media' }, /^S3_BUCKET: set, but MEDIA_STORE is local; set MEDIA_STORE=s3/],
  ])('names the variable in a one-line error for %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('TRUST_PROXY', () => {
  it('is off by default and takes true, a hop count, or addresses and CIDRs', () => {
    const trust = (value?: string) => loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).http.trustProxy;
    expect(trust()).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.1, 172.16.0.0/12,loopback, ::1')).toEqual(['10.0.0.1', '172.16.0.0/12', 'loopback', '::1']);
  });
});

describe('resolveServerSecret', () => {
  it('uses JWT_SECRET when set, otherwise generates one once and keeps it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wa-secret-'));
    const warnings: string[] = [];
    expect(resolveServerSecret('configured', dir, (m) => warnings.push(m))).toBe('configured');
    expect(warnings).toHaveLength(0);
    const first = resolveServerSecret(undefined, dir, (m) => warnings.push(m));
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dir, 'server-secret'), 'utf8').trim()).toBe(first);
    expect(resolveServerSecret(undefined, dir, (m) => warnings.push(m))).toBe(first);
    expect(warnings).toHaveLength(2);
  });
});
