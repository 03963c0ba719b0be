import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../src/store/deliveries.js';
import type { Store } from '../../src/store/store.js';
import { forgetWebhookCursors, type OldDelivery, writeOldDeliveries } from '../support/old-deliveries.js';
import { instanceRecord, NOW } from '../support/records.js';
import { type OpenedStore, storeFactories } from '../support/stores.js';

for (const factory of storeFactories()) {
  describe(`webhook outbox migration from a 0011 database: ${factory.name}`, () => {
    let opened: OpenedStore;
    beforeEach(async () => {
      opened = await factory.open();
    });
    afterEach(() => opened.dispose());

    /** The instance's events, appended as a 0011 database held them, and their deliveries of that time. */
    async function writeOld(store: Store, instanceId: string, shapes: Array<Partial<OldDelivery> | null>) {
      await store.instances.insert(instanceRecord('u-migration', { id: instanceId, name: instanceId, status: 'created' }));
      const events: Array<{ id: string; seq: number }> = [];
      for (const [i] of shapes.entries()) {
        const id = randomUUID();
        events.push({ id, seq: await store.events.append({ id, instanceId, type: 'message_received', data: { i }, ts: NOW + i }) });
      }
      const deliveries = shapes.flatMap((shape, i): OldDelivery[] =>
        shape
          ? [
              {
                id: randomUUID(),
                instanceId,
                eventId: events[i].id,
                eventSeq: events[i].seq,
                eventType: 'message_received',
                status: 'pending',
                attempts: 0,
                nextAttemptAt: NOW + i,
                lastAttemptAt: null,
                lastStatusCode: null,
                lastError: null,
                deliveredAt: null,
                createdAt: NOW + i,
                updatedAt: NOW + i,
                ...shape,
              },
            ]
          : [],
      );
      return { events, deliveries };
    }

    it('carries queued, retrying, failed and delivered deliveries into the cursor and the failures table', async () => {
      const inst = 'i-outbox';
      const delivered = { status: 'delivered' as const, attempts: 1, lastAttemptAt: NOW + 50, lastStatusCode: 200, deliveredAt: NOW + 50 };
      const { events, deliveries } = await writeOld(opened.store, inst, [
        delivered,
        { status: 'failed', attempts: 3, lastAttemptAt: NOW + 60, lastStatusCode: 500, lastError: 'receiver answered 500' },
        delivered,
        { attempts: 2, lastAttemptAt: NOW + 70, lastStatusCode: 503, lastError: 'receiver answered 503', nextAttemptAt: NOW + 500 },
        {},
        {},
        null,
      ]);
      const queued = await writeOld(opened.store, 'i-queued', [{}, {}]);
      await forgetWebhookCursors(opened.store);
      await writeOldDeliveries(opened.store, [...deliveries, ...queued.deliveries]);

      const store = await opened.reopen();

      // The same list: kept rows keep their ids; queued ones are the log's now, under their event's id.
      const listed = await store.deliveries.list({ instanceId: inst, limit: 20, skip: 0 });
      expect(listed.total).toBe(6);
      expect(listed.items.map((d) => [d.id, d.status, d.attempts])).toEqual([
        [events[5].id, 'pending', 0],
        [events[4].id, 'pending', 0],
        [deliveries[3].id, 'pending', 2],
        [deliveries[2].id, 'delivered', 1],
        [deliveries[1].id, 'failed', 3],
        [deliveries[0].id, 'delivered', 1],
      ]);
      expect(listed.items[3]).toMatchObject({ lastStatusCode: 200, deliveredAt: NOW + 50 });
      expect((await store.deliveries.list({ instanceId: inst, status: 'pending', limit: 20, skip: 0 })).total).toBe(3);

      // The worker's view: exactly the pending ones, in order, once; the retry waits for its time.
      const mine = (list: DeliveryRecord[], id: string) => list.filter((d) => d.instanceId === id);
      const early = await store.deliveries.claimDue(NOW + 100, NOW + 1000, 100);
      expect(mine(early, inst)).toEqual([]);
      // An instance whose deliveries were all queued: all of them, from the first.
      expect(mine(early, 'i-queued').map((d) => d.eventId)).toEqual([queued.events[0].id]);
      const sent: string[] = [];
      const claimed = await store.deliveries.claimDue(NOW + 600, NOW + 10_000, 100);
      let next: DeliveryRecord | undefined = mine(claimed, inst)[0];
      while (next) {
        sent.push(next.eventId);
        await store.deliveries.settle(next, NOW + 10_000, { status: 'delivered', attempts: next.attempts + 1, lastStatusCode: 200, deliveredAt: NOW + 600 }, NOW + 600, NOW + 10_000);
        next = await store.deliveries.leaseNext(inst, NOW + 600, NOW + 10_000);
      }
      expect(sent).toEqual([events[3].id, events[4].id, events[5].id]);
      expect(mine(await store.deliveries.claimDue(NOW + 700, NOW + 20_000, 100), inst)).toEqual([]);
      const after = await store.deliveries.list({ instanceId: inst, limit: 20, skip: 0 });
      expect(after.items.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered', 'failed', 'delivered']);
    });
  });
}
