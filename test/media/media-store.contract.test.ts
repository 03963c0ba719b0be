import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { PayloadTooLargeError, ServiceUnavailableError } from '../../src/core/errors.js';
import type { MediaStore } from '../../src/media/media-store.js';
import { openMediaStore } from '../../src/media/open.js';
import { MEDIA_STORES, testMediaStore, type TestMediaStore } from '../support/media-stores.js';

const CAP = 1000;
/** Instance ids of this run: a TEST_S3_URL bucket outlives the run and may hold earlier ones. */
const run = randomBytes(4).toString('hex');
const inst = (name: string) => `${name}-${run}`;
const UUID_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

async function read(store: MediaStore, storedPath: string): Promise<Buffer | undefined> {
  const opened = await store.open(storedPath);
  if (!opened) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe.each(MEDIA_STORES)('the %s media store', (kind) => {
  let dataDir: string;
  let media: TestMediaStore;
  let store: MediaStore;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'wa-media-'));
    media = await testMediaStore(kind);
    // Opened as the server opens it: from the environment, through the config.
    store = await openMediaStore(loadConfig({ DATA_DIR: dataDir, MEDIA_MAX_BYTES: String(CAP), ...media.env }).media);
  });
  afterAll(async () => {
    store?.close?.();
    await media?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores bytes under a generated name in the instance space, whatever the sender called them', async () => {
    const stored = await store.save(inst('inst-1'), { data: Buffer.from('secret'), mimeType: 'application/octet-stream', originalName: '../../etc/passwd' });
    expect(stored.file).toMatch(new RegExp(`${UUID_NAME.source}$`));
    expect(stored).toEqual({ file: stored.file, path: `${inst('inst-1')}/${stored.file}`, size: 6 });
    expect(await media.paths(dataDir, inst('inst-1'))).toEqual([stored.path]);
    expect((await read(store, stored.path))?.toString()).toBe('secret');
    expect(await store.stat(stored.path)).toEqual({ size: 6 });
    const pdf = await store.save(inst('inst-1'), { data: Buffer.from('%PDF'), mimeType: 'application/pdf', originalName: 'a.txt' });
    expect(pdf.file).toMatch(new RegExp(`${UUID_NAME.source}\\.pdf$`));
    const named = await store.save(inst('inst-1'), { data: Buffer.from('x'), mimeType: 'application/octet-stream', originalName: 'notes.md' });
    expect(named.file).toMatch(/\.md$/);
  });

  it('stores a stream as it arrives', async () => {
    const stored = await store.save(inst('inst-2'), { data: Readable.from([Buffer.from('one '), Buffer.from('two')]), mimeType: 'text/plain' });
    expect(stored).toMatchObject({ path: `${inst('inst-2')}/${stored.file}`, size: 7 });
    expect((await read(store, stored.path))?.toString()).toBe('one two');
  });

  it('refuses more than the cap, bytes or stream, and keeps nothing of it', async () => {
    await expect(store.save(inst('inst-3'), { data: Buffer.alloc(CAP + 1), mimeType: 'image/png' })).rejects.toThrow(PayloadTooLargeError);
    const endless = Readable.from((function* () {
      for (;;) yield Buffer.alloc(100);
    })());
    await expect(store.save(inst('inst-3'), { data: endless, mimeType: 'image/png' })).rejects.toThrow(new RegExp(`${CAP}-byte limit \\(MEDIA_MAX_BYTES\\)`));
    expect(await media.paths(dataDir, inst('inst-3'))).toEqual([]);
    const exact = await store.save(inst('inst-3'), { data: Buffer.alloc(CAP), mimeType: 'image/png' });
    expect(exact.size).toBe(CAP);
  });

  it('finds nothing at a path it could not have made or that is gone', async () => {
    const unknown = `${inst('inst-1')}/3f1c2a7e-0000-4000-8000-000000000000`;
    for (const storedPath of [unknown, `${inst('inst-1')}/../../etc/passwd`, '../x/3f1c2a7e-0000-4000-8000-000000000000', inst('inst-1'), 'a/b/c']) {
      expect(await store.open(storedPath), storedPath).toBeUndefined();
      expect(await store.stat(storedPath), storedPath).toBeUndefined();
      await store.remove(storedPath);
    }
  });

  it('removes one file, then all of an instance and nothing of another', async () => {
    const kept = await store.save(inst('keep'), { data: Buffer.from('k'), mimeType: 'text/plain' });
    const files = await Promise.all([1, 2, 3].map((n) => store.save(inst('doomed'), { data: Buffer.from(String(n)), mimeType: 'text/plain' })));
    await store.remove(files[0].path);
    expect(await store.open(files[0].path)).toBeUndefined();
    expect((await media.paths(dataDir, inst('doomed'))).sort()).toEqual([files[1].path, files[2].path].sort());
    await store.removeInstance(inst('doomed'));
    expect(await media.paths(dataDir, inst('doomed'))).toEqual([]);
    await store.removeInstance(inst('doomed'));
    expect((await read(store, kept.path))?.toString()).toBe('k');
  });
});

describe('an S3 media store that cannot be used', () => {
  it('answers 503, never a 500, for a bucket that does not exist', async () => {
    const media = await testMediaStore('s3');
    const store = await openMediaStore(loadConfig({ ...media.env, S3_BUCKET: 'no-such-bucket' }).media);
    try {
      const refused = store.save('inst', { data: Buffer.from('x'), mimeType: 'text/plain' });
      await expect(refused).rejects.toThrow(ServiceUnavailableError);
      await expect(refused).rejects.toThrow(/^The media store did not answer \(NoSuchBucket\)/);
    } finally {
      store.close?.();
      await media.close();
    }
  });
});
