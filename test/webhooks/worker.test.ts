import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/core/crypto.js';
import { EventLog } from '../../src/services/event-log.js';
import { GroupCommit } from '../../src/store/group-commit.js';
import { WEBHOOK_DEFAULTS } from '../../src/services/instances.service.js';
import type { DeliveryRecord } from '../../src/store/deliveries.js';
import type { InstanceRecord, Store } from '../../src/store/store.js';
import { DeliverySink } from '../../src/services/webhooks/delivery-sink.js';
import { WebhookSender } from '../../src/services/webhooks/sender.js';
import { type DeliveryHooks, DeliveryWorker } from '../../src/services/webhooks/worker.js';
import { eventually } from '../support/app.js';
import { storeFactories } from '../support/stores.js';
import { Receiver } from './receiver.js';
import { silentLogger } from '../support/logger.js';

const clock = () => Date.now();
const box = new SecretBox('worker-test-secret');

for (const factory of storeFactories()) {
  describe(`webhook deliveries on ${factory.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let receiver: Receiver;
    let events: EventLog;
    let commits: GroupCommit;

    beforeAll(async () => {
      ({ store, dispose } = await factory.open());
      receiver = await Receiver.start();
      commits = new GroupCommit(store);
      events = new EventLog(commits, clock);
      events.addSink(new DeliverySink(clock));
    });
    afterAll(async () => {
      await receiver.down();
      await dispose();
    });

    async function instance(): Promise<InstanceRecord> {
      const now = clock();
      const record: InstanceRecord = {
        id: randomUUID(),
        userId: 'u1',
        name: 'worker test',
        description: null,
        engine: 'simulator',
        status: 'connected',
        linked: true,
        phoneJid: null,
        webhookUrl: receiver.url(),
        webhookEnabled: true,
        lastActivity: null,
        lastEventTs: 0,
        createdAt: now,
        updatedAt: now,
      };
      await store.instances.insert(record);
      await store.webhookSettings.upsert({ instanceId: record.id, ...WEBHOOK_DEFAULTS, retryInterval: 100, secretEnc: null, headers: {}, updatedAt: now });
      return record;
    }

    function worker(hooks: DeliveryHooks = {}) {
      const sender = new WebhookSender({ allowPrivateUrls: true, timeoutMs: 2000, maxResponseBytes: 1024 });
      return new DeliveryWorker({ store, commits, sender, box, clock, logger: silentLogger, concurrency: 4, pollIntervalMs: 20, leaseMs: 5000, allowPrivateUrls: true, ...hooks });
    }

    const received = (instanceId: string) => receiver.received.filter((h) => h.body.data.instanceId === instanceId);

    it('asks sendGuard before each attempt: a refusal sends nothing, costs no attempt and waits until retryAt', async () => {
      const inst = await instance();
      const event = await events.append(inst.id, 'connected', {});
      let retryAt = 0;
      let asked = 0;
      const delivered: string[] = [];
      const w = worker({
        sendGuard: (i) => {
          asked += 1;
          if (asked > 1) return { allowed: true };
          retryAt = clock() + 300;
          expect(i.id).toBe(inst.id);
          return { allowed: false, retryAt };
        },
        onDelivered: (_tx, i) => {
          delivered.push(i.id);
        },
      });
      w.start();
      try {
        await eventually(() => delivered.length === 1, 5000, 'onDelivered');
      } finally {
        await w.stop();
      }
      expect(delivered).toEqual([inst.id]);
      expect(asked).toBe(2);
      expect(received(inst.id)).toHaveLength(1);
      const row = await store.deliveries.findByEventId(event.id);
      expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, lockedUntil: null });
      expect(row!.lastAttemptAt).toBeGreaterThanOrEqual(retryAt);
    });

    it('keeps delivering when onDelivered throws', async () => {
      const inst = await instance();
      await events.append(inst.id, 'connected', {});
      await events.append(inst.id, 'disconnected', { reason: 'logout', willReconnect: false });
      const w = worker({
        onDelivered: () => {
          throw new Error('counter unavailable');
        },
      });
      w.start();
      try {
        await eventually(() => received(inst.id).length === 2, 5000, 'both events');
      } finally {
        await w.stop();
      }
    });

    it('stop() interrupts an attempt in flight and gives it back uncounted', async () => {
      const inst = await instance();
      const prev = receiver.respond;
      receiver.respond = (hook) => (hook.body.data.instanceId === inst.id ? new Promise<number>(() => {}) : prev(hook));
      const event = await events.append(inst.id, 'connected', {});
      const w = worker();
      w.start();
      await eventually(() => received(inst.id).length === 1, 5000, 'request in flight');
      await w.stop();
      receiver.respond = prev;
      expect(await store.deliveries.findByEventId(event.id)).toMatchObject({ status: 'pending', attempts: 0, lockedUntil: null });
    });

    it('sends a delivery whose worker died mid-attempt once that worker\'s lease runs out', async () => {
      const inst = await instance();
      const event = await events.append(inst.id, 'connected', {});
      // What a crashed process leaves behind: a claim nobody will settle.
      const abandonedUntil = clock() + 300;
      const claimed = await store.deliveries.claimDue(clock(), abandonedUntil, 100);
      expect(claimed.map((d) => d.eventId)).toContain(event.id);
      const w = worker();
      w.start();
      try {
        await eventually(async () => (await store.deliveries.findByEventId(event.id))?.status === 'delivered', 5000, 'delivery after the lease');
      } finally {
        await w.stop();
      }
      expect(received(inst.id)).toHaveLength(1);
      const row = await store.deliveries.findByEventId(event.id);
      expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(row!.lastAttemptAt).toBeGreaterThanOrEqual(abandonedUntil);
    });

    it('reads a little of an endless answer, hangs up, and counts the 200', async () => {
      let written = 0;
      const endless = createServer((req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = () => {
          while (!res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
        };
        pump();
      });
      await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
      const inst = await instance();
      await store.instances.update(inst.id, { webhookUrl: `http://127.0.0.1:${(endless.address() as AddressInfo).port}/` });
      const event = await events.append(inst.id, 'connected', {});
      const w = worker();
      w.start();
      try {
        const row = await eventually(async () => {
          const d = await store.deliveries.findByEventId(event.id);
          return d && d.attempts > 0 && d;
        }, 5000, 'the attempt');
        expect(row).toMatchObject({ status: 'delivered', lastStatusCode: 200, lastError: null });
        // Reading until the timeout would take hundreds of megabytes on loopback; socket buffers hold a few.
        expect(written).toBeLessThan(32 * 1024 * 1024);
      } finally {
        await w.stop();
        endless.closeAllConnections();
        await new Promise((resolve) => endless.close(resolve));
      }
    });

    describe('repository', () => {
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
  });
}
