import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `bytes` random bytes from the CSPRNG, as a fresh Buffer. Each call of `randomBytes` is a trip
 * into OpenSSL (8 µs on the benchmark machine, two per message), so bytes are drawn 4 KiB at a
 * time, as `crypto.randomUUID` does. For ids only: keys and secrets use `randomBytes`.
 */
export function randomIdBytes(bytes: number): Buffer {
  if (offset + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(Math.max(POOL_BYTES, bytes)));
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + bytes));
  offset += bytes;
  return out;
}
