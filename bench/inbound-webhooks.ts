import { Agent, request } from 'undici';
import type { BenchContext } from './lib/context.js';
import { createInstances, createUser, linkInstances, pool } from './lib/fixtures.js';
import { Gateway, processCpuMs } from './lib/gateway.js';
import { type Received, Receiver } from './lib/receiver.js';
import { type BenchResult, fmt } from './lib/report.js';
import { floorCpuRow, floorRow } from './storage-floor.js';

const INSTANCES = 10;
const SECRET = 'bench-webhook-secret';
const MARK = /bench-(\d+)-(\d+)/;

interface Delivered {
  instanceId: string;
  seq: number;
  eventId: string;
  ts: string;
  received: Received;
}

/**
 * 3. Inbound message → stored → event → durable signed webhook, against the same receiver
 * taking the same bodies from a plain undici client. Messages are injected through the
 * simulator's inbound route, one lane per instance (so each instance's order is defined), all
 * instances at once; the clock stops when the receiver has the last one.
 */
export async function inboundWebhooks(ctx: BenchContext): Promise<BenchResult> {
  const total = ctx.quick ? 200 : 2000;
  const perInstance = total / INSTANCES;
  // Measured before the gateway starts, so nothing else competes for the machine.
  const floor = await ctx.storageFloor('inbound', 'sqlite');
  const receiver = new Receiver(SECRET);
  await receiver.start();
  const gw = await Gateway.start();
  try {
    const user = await createUser(gw);
    const ids = await createInstances(gw, user, INSTANCES, {
      webhookUrl: receiver.url,
      webhookEnabled: true,
      webhookSecret: SECRET,
      notifyReceived: true,
      notifySent: false,
      notifyDelivery: false,
      notifyRead: false,
      maxRetries: 5,
      retryInterval: 1000,
    });
    await linkInstances(gw, user, ids);
    await receiver.settle(500, 10_000);

    // A warm-up of the same path first, as the HTTP benchmarks have: a cold gateway spends the
    // first thousand messages compiling its hot functions (V8's optimizing compiler ran on
    // other threads for ~20% of the gateway's CPU over an unwarmed run of 2,000).
    const warmup = ctx.quick ? 10 : perInstance / 2;
    ctx.log(`webhooks: warm-up, ${warmup * INSTANCES} messages`);
    const inject = async (text: (i: number, k: number) => string, count: number) => {
      let errors = 0;
      await pool(ids, INSTANCES, async (id, i) => {
        for (let k = 0; k < count; k++) {
          const res = await gw.api('POST', `/api/simulator/instances/${id}/inbound`, { as: user, body: { from: `7900777${String(i + 1).padStart(4, '0')}`, text: text(i, k), pushName: 'Bench' } });
          if (res.status >= 300) errors += 1;
        }
      });
      return errors;
    };
    await inject((i, k) => `warm-up-${i}-${k}`, warmup);
    await receiver.until(() => receiver.received.filter((r) => r.body.includes('warm-up-')).length >= warmup * INSTANCES, 60_000).catch((error: Error) => ctx.log(`webhooks: warm-up ${error.message}`));
    await receiver.settle(300, 3000);
    receiver.clear();

    ctx.log(`webhooks: injecting ${total}`);
    const started = performance.now();
    const cpuStart = processCpuMs(gw.pid);
    const injectErrors = await inject((i, k) => `bench-${i}-${k}`, perInstance);
    const injected = performance.now();
    const ours = () => receiver.received.filter((r) => MARK.test(r.body));
    await receiver.until(() => ours().length >= total, ctx.quick ? 30_000 : 120_000).catch((error: Error) => ctx.log(`webhooks: ${error.message}`));
    const cpuPerMessage = (processCpuMs(gw.pid) - cpuStart) / total;
    await receiver.settle(300, 3000);
    const gatewayRun = ours();
    const gatewayLast = gatewayRun.at(-1)?.at ?? performance.now();
    const check = verify(gatewayRun.map(parse), ids, perInstance);
    const unsigned = gatewayRun.filter((r) => !r.signed).length;

    ctx.log('webhooks: raw baseline');
    receiver.clear();
    const raw = await rawReplay(receiver, gatewayRun, INSTANCES);

    const gatewayRate = check.unique / ((gatewayLast - started) / 1000);
    const ratio = gatewayRate / raw.rate;
    const clean = check.lost === 0 && check.duplicates === 0 && check.outOfOrder === 0 && unsigned === 0 && injectErrors === 0;
    return {
      rows: [
        { bench: '3 webhooks', metric: `inbound → signed webhook, msgs/s (N=${fmt.count(total)})`, value: fmt.rate(gatewayRate), baseline: `${fmt.rate(raw.rate)} raw POST`, ratio, target: '≥ 0.50', met: ratio >= 0.5 },
        floorRow('3 webhooks', 'inbound → signed webhook, msgs/s ÷ raw storage', gatewayRate, floor?.perSecond, 0.3),
        { bench: '3 webhooks', metric: 'lost / dup / out-of-order / bad sig', value: `${check.lost} / ${check.duplicates} / ${check.outOfOrder} / ${unsigned}`, baseline: `${raw.failed} failed raw`, target: '0 / 0 / 0 / 0', met: clean },
        { bench: '3 webhooks', metric: 'gateway CPU per message, inbound → webhook', value: fmt.us(cpuPerMessage), baseline: '', target: '' },
        floorCpuRow('3 webhooks', 'gateway CPU per message (ratio: raw floor / gateway)', cpuPerMessage, floor?.cpuMs),
        { bench: '3 webhooks', metric: 'inbound route accepted, msgs/s', value: fmt.rate(total / ((injected - started) / 1000)), baseline: '', target: '' },
      ],
      notes: [
        `3 webhooks: ${INSTANCES} instances × ${perInstance} messages after a warm-up of ${warmup} each, ${INSTANCES} concurrent lanes (one per instance) for both the injection and the raw replay; receiver and clients share the harness process; ${injectErrors} injection errors.`,
      ],
    };
  } finally {
    await gw.destroy();
    await receiver.stop();
  }
}

function parse(received: Received): Delivered {
  const payload = JSON.parse(received.body);
  const match = MARK.exec(received.body);
  return { instanceId: String(payload.data?.instanceId), seq: Number(match?.[2]), eventId: String(payload.id ?? ''), ts: String(payload.timestamp), received };
}

/** Per instance: every message once, in injection order, with strictly increasing event times. */
function verify(delivered: Delivered[], ids: string[], perInstance: number) {
  let lost = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let unique = 0;
  for (const id of ids) {
    const mine = delivered.filter((d) => d.instanceId === id);
    const seen = new Set(mine.map((d) => d.seq));
    unique += seen.size;
    lost += perInstance - seen.size;
    duplicates += mine.length - seen.size;
    for (let i = 1; i < mine.length; i++) {
      if (mine[i].seq <= mine[i - 1].seq || mine[i].ts <= mine[i - 1].ts) outOfOrder += 1;
    }
  }
  return { lost, duplicates, outOfOrder, unique };
}

/** The same bodies and headers, one lane per instance in the order the gateway delivered them. */
async function rawReplay(receiver: Receiver, bodies: Received[], lanes: number): Promise<{ rate: number; failed: number }> {
  const byInstance = new Map<string, Received[]>();
  for (const r of bodies) {
    const id = String(JSON.parse(r.body).data?.instanceId);
    const queue = byInstance.get(id) ?? [];
    queue.push(r);
    byInstance.set(id, queue);
  }
  const agent = new Agent({ connections: lanes });
  let failed = 0;
  const started = performance.now();
  await pool([...byInstance.values()], lanes, async (queue) => {
    for (const r of queue) {
      const res = await request(receiver.url, {
        method: 'POST',
        body: r.body,
        headers: { 'content-type': 'application/json', 'x-webhook-signature': String(r.headers['x-webhook-signature'] ?? '') },
        dispatcher: agent,
      });
      await res.body.dump();
      if (res.statusCode !== 200) failed += 1;
    }
  });
  const last = receiver.received.at(-1)?.at ?? performance.now();
  await agent.close();
  return { rate: bodies.length / ((last - started) / 1000), failed };
}
