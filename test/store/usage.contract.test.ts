import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { storeFactories } from '../support/stores.js';

for (const factory of storeFactories()) {
  describe(`usage and limits repositories: ${factory.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await factory.open());
    });
    afterEach(() => dispose());

    it('adds to the counters of an instance and day, creating the row on first use', async () => {
      await store.usage.add('i1', 'u1', '2030-01-01', { messagesSent: 1, totalMediaSize: 5_000_000_000 });
      await store.usage.add('i1', 'u1', '2030-01-01', { messagesSent: 2, mediaSent: 1 });
      await store.usage.add('i1', 'u1', '2030-01-02', { apiCalls: 7 });
      await store.usage.add('i2', 'u1', '2030-01-02', { messagesReceived: 4, webhookSent: 3 });
      await store.usage.add('i3', 'u2', '2030-01-02', { messagesSent: 100 });

      const days = await store.usage.daily({ instanceId: 'i1' });
      expect(days.map((d) => [d.day, d.messagesSent, d.mediaSent, d.totalMediaSize, d.apiCalls])).toEqual([
        ['2030-01-01', 3, 1, 5_000_000_000, 0],
        ['2030-01-02', 0, 0, 0, 7],
      ]);
      expect(await store.usage.total({ userId: 'u1', fromDay: '2030-01-02', toDay: '2030-01-02' })).toEqual({
        messagesSent: 0,
        messagesReceived: 4,
        mediaSent: 0,
        mediaReceived: 0,
        totalMediaSize: 0,
        apiCalls: 7,
        webhookSent: 3,
      });
      const perInstance = await store.usage.perInstance({ userId: 'u1' });
      expect(perInstance.sort((a, b) => a.instanceId.localeCompare(b.instanceId)).map((r) => [r.instanceId, r.userId, r.messagesSent, r.apiCalls, r.messagesReceived])).toEqual([
        ['i1', 'u1', 3, 7, 0],
        ['i2', 'u1', 0, 0, 4],
      ]);
      expect((await store.usage.total({})).messagesSent).toBe(103);
      expect(await store.usage.total({ instanceId: 'none' })).toMatchObject({ messagesSent: 0, apiCalls: 0 });
    });

    it('keeps every concurrent add', async () => {
      await Promise.all(Array.from({ length: 20 }, () => store.usage.add('i1', 'u1', '2030-01-01', { apiCalls: 1 })));
      expect((await store.usage.total({ instanceId: 'i1' })).apiCalls).toBe(20);
    });

    it('stores one level of limits and replaces it', async () => {
      expect(await store.limits.find('user', 'u1')).toBeUndefined();
      await store.limits.put({ scope: 'user', scopeId: 'u1', values: { maxMessagesSent: 3 }, window: 'week', updatedAt: 1 });
      await store.limits.put({ scope: 'default', scopeId: '', values: { maxApiCalls: 10 }, updatedAt: 1 });
      expect(await store.limits.find('user', 'u1')).toEqual({ scope: 'user', scopeId: 'u1', values: { maxMessagesSent: 3 }, window: 'week', updatedAt: 1 });
      await store.limits.put({ scope: 'user', scopeId: 'u1', values: { maxMediaSent: 1 }, updatedAt: 2 });
      expect(await store.limits.find('user', 'u1')).toEqual({ scope: 'user', scopeId: 'u1', values: { maxMediaSent: 1 }, window: undefined, updatedAt: 2 });
      expect((await store.limits.find('default', ''))?.values).toEqual({ maxApiCalls: 10 });
    });

    it('records a notice once per key, limit and window', async () => {
      const results = await Promise.all([1, 2, 3].map(() => store.limits.recordNotice('instance:i1', 'maxMessagesSent', 1000, 5)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.limits.recordNotice('instance:i1', 'maxMessagesSent', 2000, 5)).toBe(true);
      expect(await store.limits.recordNotice('instance:i1', 'maxApiCalls', 1000, 5)).toBe(true);
      expect(await store.limits.recordNotice('instance:i2', 'maxMessagesSent', 1000, 5)).toBe(true);
    });
  });
}
