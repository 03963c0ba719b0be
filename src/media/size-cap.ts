import { Transform, type Readable } from 'node:stream';
import { PayloadTooLargeError } from '../core/errors.js';

export function tooLarge(size: number | undefined, maxBytes: number): PayloadTooLargeError {
  const what = size === undefined ? 'media' : `media of ${size} bytes`;
  return new PayloadTooLargeError(`The ${what} exceeds the ${maxBytes}-byte limit (MEDIA_MAX_BYTES)`);
}

/** Passes bytes through until more than `maxBytes` went by, then fails the stream with PayloadTooLargeError. */
export function sizeCap(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > maxBytes ? tooLarge(undefined, maxBytes) : null, chunk);
    },
  });
}

/** The whole of `data` in memory, refused past `maxBytes` without reading further. */
export async function readCapped(data: Buffer | Readable, maxBytes: number): Promise<Buffer> {
  if (Buffer.isBuffer(data)) {
    if (data.length > maxBytes) throw tooLarge(data.length, maxBytes);
    return data;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      data.destroy();
      throw tooLarge(undefined, maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
