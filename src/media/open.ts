import type { Config } from '../config.js';
import { LocalMediaStore } from './local/local-media-store.js';
import type { MediaStore } from './media-store.js';
import { s3ClientFor } from './s3/s3-client.js';
import { S3MediaStore } from './s3/s3-media-store.js';

/** The media store `MEDIA_STORE` names, capped at `MEDIA_MAX_BYTES`; only the composition root opens one. */
export function openMediaStore(media: Config['media']): MediaStore {
  const settings = media.store;
  if (settings.kind === 's3') return new S3MediaStore(s3ClientFor(settings), settings.bucket, media.maxBytes);
  return new LocalMediaStore(settings.dir, media.maxBytes);
}
