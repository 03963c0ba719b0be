import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** Every media store a test can run on; a test on media runs on each (`describe.each(MEDIA_STORES)`). */
export const MEDIA_STORES = ['local', 's3'] as const;
export type MediaStoreKind = (typeof MEDIA_STORES)[number];

export interface TestMediaStore {
  /** What a server is started with to use this store, as an operator would set it. */
  env: Record<string, string>;
  /** The stored paths (`<instanceId>/<file>`) of an instance, read from the store itself. */
  paths(dataDir: string, instanceId: string): Promise<string[]>;
  close(): Promise<void>;
}

export const TEST_BUCKET = 'media';
/** s3rver's own credentials: it checks every request's signature against them. */
const S3RVER_KEY = 'S3RVER';

/** Opens a media store for tests: the local directory, or S3 on a fresh s3rver (random port, temp dir). */
export async function testMediaStore(kind: MediaStoreKind): Promise<TestMediaStore> {
  if (kind === 'local') {
    return {
      env: {},
      async paths(dataDir, instanceId) {
        const dir = path.join(dataDir, 'media', instanceId);
        return existsSync(dir) ? readdirSync(dir).map((file) => `${instanceId}/${file}`) : [];
      },
      async close() {},
    };
  }
  const s3 = await startS3rver();
  const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY } });
  return {
    env: {
      MEDIA_STORE: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: TEST_BUCKET,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: S3RVER_KEY,
      S3_SECRET_ACCESS_KEY: S3RVER_KEY,
      S3_FORCE_PATH_STYLE: 'true',
    },
    async paths(_dataDir, instanceId) {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: `${instanceId}/` }));
      return (listed.Contents ?? []).map((object) => object.Key!);
    },
    async close() {
      client.destroy();
      await s3.close();
    },
  };
}

/** An S3-compatible server on this machine with an empty bucket `media`. */
export async function startS3rver(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const directory = mkdtempSync(path.join(tmpdir(), 'wa-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: TEST_BUCKET, configs: [] }] });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
