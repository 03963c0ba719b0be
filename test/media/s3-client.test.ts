import { describe, expect, it } from 'vitest';
import { loadConfig, type MediaStoreConfig } from '../../src/config.js';
import { s3ClientFor, type S3Settings } from '../../src/media/s3/s3-client.js';

const CREDENTIALS = { MEDIA_STORE: 's3', S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'AKIDEXAMPLE', S3_SECRET_ACCESS_KEY: 'example-secret' };

function settings(env: Record<string, string>): S3Settings {
  const store: MediaStoreConfig = loadConfig({ ...CREDENTIALS, ...env }).media.store;
  if (store.kind !== 's3') throw new Error('expected an S3 store');
  return store;
}

describe('the S3 client built from the configuration', () => {
  it('talks to AWS itself by default: the region, virtual-hosted buckets and the given credentials', async () => {
    const client = s3ClientFor(settings({ S3_REGION: 'eu-central-1' }));
    expect(await client.config.region()).toBe('eu-central-1');
    expect(client.config.forcePathStyle).toBe(false);
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example-secret' });
    // No endpoint given: the SDK resolves AWS's own per request, none is pinned.
    expect(client.config.endpoint).toBeUndefined();
    client.destroy();
  });

  it('talks to MinIO or R2 at S3_ENDPOINT, with the bucket in the path when asked', async () => {
    const client = s3ClientFor(settings({ S3_ENDPOINT: 'https://minio.internal:9000', S3_FORCE_PATH_STYLE: 'true' }));
    expect(await client.config.region()).toBe('us-east-1');
    expect(client.config.forcePathStyle).toBe(true);
    expect(await client.config.endpoint!()).toMatchObject({ protocol: 'https:', hostname: 'minio.internal', port: 9000 });
    expect(await client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    client.destroy();
  });
});
