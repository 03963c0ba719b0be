import { describe, expect, it } from 'vitest';
import { randomIdBytes, timeOrderedId } from '../../src/core/ids.js';

describe('timeOrderedId', () => {
  it('grows with every call, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => timeOrderedId(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('randomIdBytes', () => {
  it('hands out fresh, distinct bytes across pool refills', () => {
    const drawn = Array.from({ length: 2000 }, () => randomIdBytes(8));
    expect(new Set(drawn.map((b) => b.toString('hex'))).size).toBe(drawn.length);
    // Copies, not views of the pool: changing one leaves the next draw alone.
    drawn[0].fill(0);
    expect(drawn[1].equals(Buffer.alloc(8))).toBe(false);
    expect(randomIdBytes(5000)).toHaveLength(5000);
  });
});
