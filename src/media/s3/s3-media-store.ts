import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ServiceUnavailableError } from '../../core/errors.js';
import type { MediaInput, MediaStore, OpenedFile, StoredMedia } from '../media-store.js';
import { instanceSpace, newMediaName, parseMediaPath } from '../media-names.js';
import { readCapped } from '../size-cap.js';

/** S3 takes at most this many keys in one DeleteObjects. */
const DELETE_BATCH = 1000;

/**
 * Objects `<instanceId>/<file>` in one bucket: the keys are the stored paths, so rows written
 * with the local store name the same files once they are copied into the bucket as they are.
 */
export class S3MediaStore implements MediaStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly maxBytes: number,
  ) {}

  async save(instanceId: string, input: MediaInput): Promise<StoredMedia> {
    // S3 wants the length up front; media is capped (MEDIA_MAX_BYTES), so it is read into memory.
    const body = await readCapped(input.data, this.maxBytes);
    const file = newMediaName(input.mimeType, input.originalName);
    const key = `${instanceSpace(instanceId)}/${file}`;
    await this.call(() => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: body.length, ContentType: input.mimeType })));
    return { file, path: key, size: body.length };
  }

  async open(storedPath: string): Promise<OpenedFile | undefined> {
    if (!parseMediaPath(storedPath)) return undefined;
    const object = await this.find(() => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: storedPath })));
    if (!object?.Body) return undefined;
    return { stream: object.Body as Readable, size: object.ContentLength ?? 0 };
  }

  async stat(storedPath: string): Promise<{ size: number } | undefined> {
    if (!parseMediaPath(storedPath)) return undefined;
    const head = await this.find(() => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: storedPath })));
    return head && { size: head.ContentLength ?? 0 };
  }

  async remove(storedPath: string): Promise<void> {
    if (!parseMediaPath(storedPath)) return;
    await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: storedPath })));
  }

  async removeInstance(instanceId: string): Promise<void> {
    const prefix = `${instanceSpace(instanceId)}/`;
    const pages = paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix });
    let keys: string[] = [];
    const flush = async () => {
      const batch = keys.map((Key) => ({ Key }));
      keys = [];
      if (batch.length > 0) await this.call(() => this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch, Quiet: true } })));
    };
    await this.call(async () => {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (object.Key) keys.push(object.Key);
          if (keys.length === DELETE_BATCH) await flush();
        }
      }
    });
    await flush();
  }

  close(): void {
    this.client.destroy();
  }

  /** Reads one object: undefined when there is no such key. */
  private async find<T>(request: () => Promise<T>): Promise<T | undefined> {
    try {
      return await request();
    } catch (error) {
      if (isMissingKey(error)) return undefined;
      throw unavailable(error);
    }
  }

  /** Runs one request; a store that fails is a 503 (a missing bucket included), never a 500. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw unavailable(error);
    }
  }
}

function unavailable(error: unknown): Error {
  if (error instanceof ServiceUnavailableError) return error;
  const reason = error instanceof Error ? error.name : 'unknown error';
  return new ServiceUnavailableError(`The media store did not answer (${reason}); try again later`);
}

/** GetObject says NoSuchKey; HeadObject, which has no body, only its 404 (NotFound). */
function isMissingKey(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound';}
