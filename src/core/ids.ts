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

let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7 that grows with every call in this process. WhatsApp times have one-second
 * resolution, so history breaks ties on the row id: with these ids, newest-first stays
 * arrival order within a second.
 */
export function timeOrderedId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    lastMs += 1;
    sequence = 0;
  }
  const bytes = randomIdBytes(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
