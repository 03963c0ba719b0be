import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/core/crypto.js';
import { EventLog } from '../../src/services/event-log.js';
import { GroupCommit } from '../../src/store/group-commit.js';
import { WEBHOOK_DEFAULTS } from '../../src/services/instances.service.js';
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
      events.addSink(new DeliverySink());
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
  });
}
