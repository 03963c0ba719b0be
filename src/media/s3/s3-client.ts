import { S3Client } from '@aws-sdk/client-s3';
import type { MediaStoreConfig } from '../../config.js';

export type S3Settings = Extract<MediaStoreConfig, { kind: 's3' }>;

/** The client for the configured bucket, the same for AWS, MinIO and R2: only the settings differ. */
export function s3ClientFor(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // Newer SDKs add CRC checksums to every upload by default, which many S3-compatible servers
    // (older MinIO, Ceph, R2 in part) refuse; checksums are sent where the S3 API requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A store that stops answering must fail the request, not hold it (and its memory) forever.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  });
}
