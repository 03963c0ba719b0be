import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { instanceRecord, NOW } from '../support/records.js';
import { storeFactories } from '../support/stores.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a cursor over the event log (a consumer that remembers the time of the last event it
 * handled, as webhook delivery is to, issue 20) relies on: an instance's events become visible in
 * the order of their times, so once a reader has seen an event, every earlier event of the
 * instance is visible too, and a cursor never passes one that commits later.
 */
for (const factory of storeFactories()) {
  describe(`store contract: ${factory.name}: event order`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await factory.open());
    });
    afterEach(() => dispose());

    it('makes one instance’s events visible in time order while transactions append them side by side', async () => {
      const instance = instanceRecord('u');
      await store.instances.insert(instance);
      const visible = async () => (await store.events.list({ instanceId: instance.id, since: NOW - 1, limit: 1000 })).items.map((e) => e.ts);

      let appending = true;
      const seen: number[][] = [];
      const reader = (async () => {
        while (appending) {
          seen.push(await visible());
          await pause(0);
        }
      })();
      // Transactions that stay open for different times after reserving their time and after
      // appending, so that without the reservation's lock a later one could commit first.
      await Promise.all(
        Array.from({ length: 30 }, (_, n) =>
          store.transaction(async (tx) => {
            const { lastEventTs: ts } = await tx.instances.nextEventTs(instance.id, NOW);
            await pause((n * 7) % 5);
            await tx.events.append({ id: randomUUID(), instanceId: instance.id, type: 'message_received', data: { n }, ts });
            await pause((n * 3) % 4);
          }),
        ),
      );
      appending = false;
      await reader;

      const all = await visible();
      expect(all).toHaveLength(30);
      expect(seen.length).toBeGreaterThan(1);
      for (const snapshot of seen) {
        const last = Math.max(NOW - 1, ...snapshot);
        expect(snapshot).toEqual(all.filter((ts) => ts <= last));
      }
    });
  });
}
