import { describe, expect, it } from 'vitest';
import { ReadThroughCache } from '../../src/core/cache.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ReadThroughCache', () => {
  it('loads once, then answers from memory until invalidated', async () => {
    const cache = new ReadThroughCache<string>(60_000, 10);
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await cache.get('k', load)).toBe('v1');
    expect(await cache.get('k', load)).toBe('v1');
    cache.invalidate('k');
    expect(await cache.get('k', load)).toBe('v2');
  });

  it('does not keep what a load read before a write that happened while it ran', async () => {
    const cache = new ReadThroughCache<string>(60_000, 10);
    const slow = deferred<string>();
    const before = cache.get('k', () => slow.promise);
    cache.invalidate('k');
    slow.resolve('old');
    expect(await before).toBe('old');
    expect(await cache.get('k', async () => 'new')).toBe('new');
  });

  it('shares a running load, but not one a write spoiled', async () => {
    const cache = new ReadThroughCache<string>(60_000, 10);
    const slow = deferred<string>();
    let loads = 0;
    const first = cache.get('k', () => (loads++, slow.promise));
    const second = cache.get('k', () => (loads++, slow.promise));
    cache.clear();
    const third = cache.get('k', async () => (loads++, 'fresh'));
    slow.resolve('old');
    expect([await first, await second, await third]).toEqual(['old', 'old', 'fresh']);
    expect(loads).toBe(2);
  });

  it('keeps no misses, no entries with a TTL of 0, and at most `max` entries', async () => {
    let loads = 0;
    const missing = new ReadThroughCache<string>(60_000, 10);
    await missing.get('k', async () => (loads++, undefined));
    await missing.get('k', async () => (loads++, undefined));
    expect(loads).toBe(2);

    const off = new ReadThroughCache<string>(0, 10);
    await off.get('k', async () => (loads++, 'v'));
    await off.get('k', async () => (loads++, 'v'));
    expect(loads).toBe(4);

    const small = new ReadThroughCache<string>(60_000, 2);
    for (const key of ['a', 'b', 'c']) await small.get(key, async () => key);
    expect(await small.get('a', async () => 'reloaded')).toBe('reloaded');
    expect(await small.get('c', async () => 'reloaded')).toBe('c');
  });
});
