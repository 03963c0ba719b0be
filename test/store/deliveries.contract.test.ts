import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../src/store/deliveries.js';
import type { Store } from '../../src/store/store.js';
import { storeFactories } from '../support/stores.js';

for (const factory of storeFactories()) {
  describe(`webhook outbox (deliveries repository): ${factory.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ store, dispose } = await factory.open());
    });
    afterAll(() => dispose());

    /** Appends one event of `instanceId` at `ts`, in the webhook outbox unless `webhook` is false. */
    const event = async (instanceId: string, ts: number, webhook = true): Promise<string> => {
      const id = randomUUID();
      await store.events.append({ id, instanceId, type: 'connected', data: { instanceId }, ts, webhook });
      return id;
    };
    const mine = (list: DeliveryRecord[], ...instances: string[]) =>
      list.filter((d) => instances.includes(d.instanceId)).map((d) => d.eventId).sort();

    it('hands out the first flagged event past each instance cursor, once per lease, and moves the cursor when settled', async () => {
      const a = randomUUID();
      const b = randomUUID();
      await store.instances.insert(instanceRecord(a));
      await store.instances.insert(instanceRecord(b));
      const a1 = await event(a, 1000);
      await event(a, 1001, false);
      const a2 = await event(a, 1002);
      const b1 = await event(b, 1000);

      const first = await store.deliveries.claimDue(2000, 5000, 100);
      expect(mine(first, a, b)).toEqual([a1, b1].sort());
      expect(mine(await store.deliveries.claimDue(2000, 5000, 100), a, b)).toEqual([]);

      const head = first.find((d) => d.eventId === a1)!;
      expect(await store.deliveries.settle(head, 4999, { status: 'delivered' }, 2100)).toBe(false);
      expect(await store.deliveries.settle(head, 5000, { status: 'delivered', attempts: 1, lastStatusCode: 204, deliveredAt: 2100 }, 2100, 6000)).toBe(true);
      expect((await store.deliveries.leaseNext(a, 2100, 6000))?.eventId).toBe(a2);
      expect(await store.deliveries.findByEventId(a1)).toMatchObject({ id: a1, status: 'delivered', attempts: 1, lastStatusCode: 204, deliveredAt: 2100 });
      expect(await store.deliveries.findById(a2)).toMatchObject({ status: 'pending', attempts: 0 });
      const listed = await store.deliveries.list({ instanceId: a, limit: 10, skip: 0 });
      expect(listed).toMatchObject({ total: 2, items: [{ id: a2, status: 'pending' }, { id: a1, status: 'delivered' }] });
      // A lease that ran out (a crashed worker) can be claimed again.
      expect(mine(await store.deliveries.claimDue(9500, 12_000, 100), a, b)).toEqual([a2, b1].sort());
    });

    it('hands out a flagged event at once even when its time runs ahead of the clock (a burst reserves times past now)', async () => {
      const inst = randomUUID();
      await store.instances.insert(instanceRecord(inst));
      const ahead = await event(inst, 50_000);
      expect(mine(await store.deliveries.claimDue(40_000, 45_000, 100), inst)).toEqual([ahead]);
    });

    it('keeps a failed attempt in a row the instance waits behind, and passes it once given up', async () => {
      const inst = randomUUID();
      await store.instances.insert(instanceRecord(inst));
      const e1 = await event(inst, 1000);
      const e2 = await event(inst, 1001);
      const [head] = (await store.deliveries.claimDue(2000, 5000, 100)).filter((d) => d.instanceId === inst);
      expect(head.eventId).toBe(e1);
      await store.deliveries.settle(head, 5000, { attempts: 1, lastAttemptAt: 2000, lastStatusCode: 500, lastError: 'receiver answered 500', nextAttemptAt: 8000 }, 2000);
      expect(await store.deliveries.findById(e1)).toMatchObject({ status: 'pending', attempts: 1, stored: true });
      expect(mine(await store.deliveries.claimDue(3000, 6000, 100), inst)).toEqual([]);
      const [retry] = (await store.deliveries.claimDue(8000, 11_000, 100)).filter((d) => d.instanceId === inst);
      expect(retry).toMatchObject({ eventId: e1, attempts: 1, stored: true });
      await store.deliveries.settle(retry, 11_000, { status: 'failed', attempts: 2 }, 8000);
      expect(mine(await store.deliveries.claimDue(8100, 12_000, 100), inst)).toEqual([e2]);
      expect((await store.deliveries.countByStatus()).failed).toBeGreaterThanOrEqual(1);
    });

    it('re-queues only failed or skipped deliveries, which go out before what is pending', async () => {
      const inst = randomUUID();
      await store.instances.insert(instanceRecord(inst));
      const e1 = await event(inst, 1000);
      const e2 = await event(inst, 1001);
      const e3 = await event(inst, 1002);
      let [head] = (await store.deliveries.claimDue(2000, 5000, 100)).filter((d) => d.instanceId === inst);
      await store.deliveries.settle(head, 5000, { status: 'skipped', lastError: 'webhooks disabled before delivery' }, 2000);
      [head] = (await store.deliveries.claimDue(2000, 5000, 100)).filter((d) => d.instanceId === inst);
      await store.deliveries.settle(head, 5000, { status: 'delivered', attempts: 1, deliveredAt: 2000, lastStatusCode: 200 }, 2000);
      expect(await store.deliveries.requeue(e2, 3000)).toBeUndefined();
      expect(await store.deliveries.requeue(e1, 3000)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: 3000, lastError: 'webhooks disabled before delivery' });
      expect(mine(await store.deliveries.claimDue(3000, 6000, 100), inst)).toEqual([e1]);
      const listed = await store.deliveries.list({ instanceId: inst, limit: 10, skip: 0 });
      expect(listed.items.map((d) => [d.id, d.status])).toEqual([[e3, 'pending'], [e2, 'delivered'], [e1, 'pending']]);
      expect((await store.deliveries.list({ instanceId: inst, status: 'pending', limit: 10, skip: 0 })).total).toBe(2);
    });
  });
}

function instanceRecord(id: string) {
  return {
    id,
    userId: 'u-deliveries',
    name: id,
    description: null,
    engine: 'simulator',
    status: 'created' as const,
    linked: false,
    phoneJid: null,
    webhookUrl: null,
    webhookEnabled: false,
    lastActivity: null,
    lastEventTs: 0,
    createdAt: 1000,
    updatedAt: 1000,
  };
}
