import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeadBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
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

/**
 * An S3-compatible server to test against instead of s3rver (a MinIO, say), as
 * `http://<access key>:<secret>@host:port/<bucket>`, addressed path-style. Set means it must be
 * reachable: an unreachable one fails the suites (under CI=true and everywhere else).
 */
export const TEST_S3_URL = process.env.TEST_S3_URL;

/** Opens a media store for tests: the local directory, or S3 on TEST_S3_URL or else a fresh s3rver (random port, temp dir). */
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
  const s3 = TEST_S3_URL ? configuredS3(TEST_S3_URL) : await startS3rver();
  const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.credentials });
  try {
    await client.send(new HeadBucketCommand({ Bucket: s3.bucket }));
  } catch (error) {
    client.destroy();
    await s3.close();
    throw new Error(`the test S3 server at ${s3.endpoint} (bucket ${s3.bucket}) cannot be used: ${String(error)}`);
  }
  return {
    env: {
      MEDIA_STORE: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    },
    async paths(_dataDir, instanceId) {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${instanceId}/` }));
      return (listed.Contents ?? []).map((object) => object.Key!);
    },
    async close() {
      client.destroy();
      await s3.close();
    },
  };
}

interface TestS3 {
  endpoint: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

function configuredS3(url: string): TestS3 {
  const parsed = new URL(url);
  const bucket = parsed.pathname.replace(/^\/|\/$/g, '');
  if (!bucket || !parsed.username) throw new Error('TEST_S3_URL: expected http://<access key>:<secret>@host:port/<bucket>');
  return {
    endpoint: parsed.origin,
    bucket,
    credentials: { accessKeyId: decodeURIComponent(parsed.username), secretAccessKey: decodeURIComponent(parsed.password) },
    async close() {},
  };
}

/** An S3-compatible server on this machine with an empty bucket `media`. */
export async function startS3rver(): Promise<TestS3> {
  const directory = mkdtempSync(path.join(tmpdir(), 'wa-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: TEST_BUCKET, configs: [] }] });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket: TEST_BUCKET,
    credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
