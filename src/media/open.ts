import type { Config } from '../config.js';
import { LocalMediaStore } from './local/local-media-store.js';
import type { MediaStore } from './media-store.js';

/** The media store `MEDIA_STORE` names, capped at `MEDIA_MAX_BYTES`; only the composition root opens one. */
export async function openMediaStore(media: Config['media']): Promise<MediaStore> {
  const settings = media.store;
  if (settings.kind === 'local') return new LocalMediaStore(settings.dir, media.maxBytes);
  // Loaded only when used: the AWS SDK adds half a second and ~25 MB to every start otherwise.
  const [{ s3ClientFor }, { S3MediaStore }] = await Promise.all([import('./s3/s3-client.js'), import('./s3/s3-media-store.js')]);
  return new S3MediaStore(s3ClientFor(settings), settings.bucket, media.maxBytes);
}
