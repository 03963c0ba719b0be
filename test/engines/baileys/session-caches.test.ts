import type NodeCache from '@cacheable/node-cache';
import { describe, expect, it } from 'vitest';
import { createSessionCaches } from '../../../src/engines/baileys/session-caches.js';

describe("a Baileys session's caches", () => {
  it('each expire their entries and sweep on a timer until closed, then hold nothing and no timer', async () => {
    const { caches, close } = createSessionCaches();
    const all = Object.values(caches) as unknown as NodeCache<unknown>[];
    expect(all).toHaveLength(5);
    for (const cache of all) {
      expect(cache.options.stdTTL).toBeGreaterThan(0);
      expect(cache.getIntervalId()).not.toBe(0);
    }
    await caches.msgRetryCounterCache.set('message-1', 2);
    close();
    for (const cache of all) expect(cache.getIntervalId()).toBe(0);
    expect(await caches.msgRetryCounterCache.get('message-1')).toBeUndefined();
  });
});
