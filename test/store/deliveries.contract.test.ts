import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../src/store/deliveries.js';
import type { Store } from '../../src/store/store.js';
import { storeFactories } from '../support/stores.js';

for (const factory of storeFactories()) {
  describe(`webhook deliveries repository: ${factory.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ store, dispose } = await factory.open());
    });
    afterAll(() => dispose());

    const row = (instanceId: string, seq: number, patch: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
      id: randomUUID(),
      instanceId,
      eventId: randomUUID(),
      eventSeq: seq,
      eventType: 'connected',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 1000,
      lastAttemptAt: null,
      lastStatusCode: null,
      lastError: null,
      deliveredAt: null,
      lockedUntil: null,
      createdAt: 1000,
      updatedAt: 1000,
      ...patch,
    });

    it('hands out only the oldest pending delivery of each instance, once per lease', async () => {
      const a = randomUUID();
      const b = randomUUID();
      const [a1, a2, a3] = [row(a, 9_000_001), row(a, 9_000_002), row(a, 9_000_003)];
      const b1 = row(b, 9_000_004);
      const done = row(a, 9_000_000, { status: 'delivered' });
      for (const d of [a2, b1, a1, a3, done]) await store.deliveries.insert(d);
      const mine = (list: DeliveryRecord[]) => list.filter((d) => d.instanceId === a || d.instanceId === b).map((d) => d.id).sort();

      const first = await store.deliveries.claimDue(2000, 5000, 100);
      expect(mine(first)).toEqual([a1.id, b1.id].sort());
      expect(mine(await store.deliveries.claimDue(2000, 5000, 100))).toEqual([]);

      expect(await store.deliveries.settle(a1.id, 4999, { status: 'delivered' }, 2100)).toBe(false);
      expect(await store.deliveries.settle(a1.id, 5000, { status: 'delivered', attempts: 1, deliveredAt: 2100 }, 2100)).toBe(true);
      // a2 is the head now, but not due yet; a3 waits behind it either way.
      expect(await store.deliveries.settle(b1.id, 5000, { nextAttemptAt: 9000 }, 2100)).toBe(true);
      expect(mine(await store.deliveries.claimDue(2200, 6000, 100))).toEqual([a2.id]);
      expect(mine(await store.deliveries.claimDue(5500, 9000, 100))).toEqual([]);
      // A lease that ran out (a crashed worker) can be claimed again.
      expect(mine(await store.deliveries.claimDue(9500, 12_000, 100))).toEqual([a2.id, b1.id].sort());
    });

    it('leases the next delivery of one instance only when it heads the queue, is due and nothing of the instance is leased', async () => {
      const inst = randomUUID();
      const [n1, n2, n3] = [row(inst, 9_300_001), row(inst, 9_300_002, { nextAttemptAt: 30_000 }), row(inst, 9_300_003)];
      for (const d of [n3, n1, n2]) await store.deliveries.insert(d);
      expect(await store.deliveries.leaseNext(randomUUID(), 20_000, 25_000)).toBeUndefined();
      expect((await store.deliveries.leaseNext(inst, 20_000, 25_000))?.id).toBe(n1.id);
      // n1 is leased: nothing more for this instance until it is settled.
      expect(await store.deliveries.leaseNext(inst, 20_000, 25_000)).toBeUndefined();
      expect(await store.deliveries.settle(n1.id, 25_000, { status: 'delivered' }, 20_100)).toBe(true);
      // n2 heads the queue but is not due; n3 waits behind it.
      expect(await store.deliveries.leaseNext(inst, 20_200, 25_000)).toBeUndefined();
      const leased = await store.deliveries.leaseNext(inst, 30_000, 35_000);
      expect(leased).toMatchObject({ id: n2.id, lockedUntil: 35_000 });
      expect((await store.deliveries.claimDue(30_000, 35_000, 100)).filter((d) => d.instanceId === inst)).toEqual([]);
    });

    it('hands out nothing more for an instance with an attempt in flight, even an older delivery put back in the queue', async () => {
      const inst = randomUUID();
      const old = row(inst, 9_200_001, { status: 'failed', attempts: 2 });
      const current = row(inst, 9_200_002);
      for (const d of [old, current]) await store.deliveries.insert(d);
      const mine = (list: DeliveryRecord[]) => list.filter((d) => d.instanceId === inst).map((d) => d.id);
      expect(mine(await store.deliveries.claimDue(20_000, 25_000, 100))).toEqual([current.id]);
      await store.deliveries.requeue(old.id, 20_100);
      expect(mine(await store.deliveries.claimDue(20_200, 25_000, 100))).toEqual([]);
      await store.deliveries.settle(current.id, 25_000, { status: 'delivered' }, 20_300);
      expect(mine(await store.deliveries.claimDue(20_400, 25_000, 100))).toEqual([old.id]);
    });

    it('re-queues only failed or skipped deliveries', async () => {
      const inst = randomUUID();
      const failed = row(inst, 9_100_001, { status: 'failed', attempts: 4, lastError: 'receiver answered 500' });
      const delivered = row(inst, 9_100_002, { status: 'delivered' });
      for (const d of [failed, delivered]) await store.deliveries.insert(d);
      expect(await store.deliveries.requeue(delivered.id, 3000)).toBeUndefined();
      expect(await store.deliveries.requeue(failed.id, 3000)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: 3000, lastError: 'receiver answered 500' });
      const listed = await store.deliveries.list({ instanceId: inst, limit: 10, skip: 0 });
      expect(listed.total).toBe(2);
      expect(listed.items.map((d) => d.id)).toEqual([delivered.id, failed.id]);
      expect((await store.deliveries.list({ instanceId: inst, status: 'pending', limit: 10, skip: 0 })).items.map((d) => d.id)).toEqual([failed.id]);
    });
  });
}
