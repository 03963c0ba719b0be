import { readFileSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { createUser, linkInstance, startServer } from '../test/support/app.js';
import { Receiver } from './lib/receiver.js';

/**
 * `npm run bench:queries`: how many SQL statements one API operation costs, end to end (the
 * request, the engine's receipts, the event, the webhook delivery), and the time spent inside
 * SQLite on each, on an in-process SQLite server: where the CPU of benchmarks 1-3 goes. First
 * one operation at a time, then under load (ten instances, one lane each, as benchmarks 2 and
 * 3 drive them), where group commit shares transactions and the process's write calls and
 * bytes written (`/proc/self/io`: WAL frames, temporary files) are counted per message too.
 */
const OPERATIONS = 50;
const LANES = 10;
const PER_LANE = 200;
const SECRET = 'query-count-secret';

const counts = new Map<string, number>();
/** Time inside SQLite (the native call), per statement text, in ms. */
const times = new Map<string, number>();
let counting = false;
const probe = new SQLite(':memory:');
const statementProto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
probe.close();
for (const method of ['all', 'get', 'run', 'iterate']) {
  const original = statementProto[method];
  statementProto[method] = function (this: { source: string }, ...args: unknown[]) {
    if (!counting) return original.apply(this, args);
    counts.set(this.source, (counts.get(this.source) ?? 0) + 1);
    const started = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      times.set(this.source, (times.get(this.source) ?? 0) + performance.now() - started);
    }
  };
}

type User = { apiKey?: string };

/** This process's write system calls and bytes written so far (Linux). */
function written(): { calls: number; bytes: number } {
  const io = Object.fromEntries(
    readFileSync('/proc/self/io', 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(': ')),
  );
  return { calls: Number(io.syscw), bytes: Number(io.wchar) };
}

function report(title: string, per: number, top = Number.POSITIVE_INFINITY): void {
  const rows = [...counts].sort((a, b) => (times.get(b[0]) ?? 0) - (times.get(a[0]) ?? 0));
  const total = rows.reduce((n, [, c]) => n + c, 0);
  const inSqlite = [...times.values()].reduce((a, b) => a + b, 0);
  console.log(`\n## ${title}: ${(total / per).toFixed(1)} statements, ${((inSqlite * 1000) / per).toFixed(0)} µs inside SQLite per operation\n`);
  console.log(' count     µs  statement');
  for (const [sql, count] of rows.slice(0, top)) {
    const us = ((times.get(sql) ?? 0) * 1000) / per;
    console.log(`${(count / per).toFixed(2).padStart(6)} ${us.toFixed(0).padStart(6)}  ${sql.replace(/\s+/g, ' ').slice(0, 150)}`);
  }
}

const receiver = new Receiver(SECRET);
await receiver.start();
const server = await startServer({ env: { SIMULATOR_ACK_DELAY_MS: '1', SIMULATOR_DELIVERY_DELAY_MS: '5', SIMULATOR_READ_DELAY_MS: '10' } });
try {
  const owner = await createUser(server);
  const user: User = { apiKey: owner.apiKey };
  const ids: string[] = [];
  const webhook = { webhookUrl: receiver.url, webhookEnabled: true, webhookSecret: SECRET, notifyReceived: true, notifySent: false, notifyDelivery: false, notifyRead: false };
  for (let i = 0; i < LANES; i++) ids.push((await linkInstance(server, user, { body: webhook })).id);
  await receiver.settle(300, 5000);
  const send = (id: string, n: number) => server.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: `7900555${String(n % 10_000).padStart(4, '0')}`, message: 'counted' } });
  const inbound = (id: string, n: number) => server.request('POST', `/api/simulator/instances/${id}/inbound`, { as: user, body: { from: `7900777${String(n % 10_000).padStart(4, '0')}`, text: `counted ${n}`, pushName: 'Bench' } });

  // One message per instance that the replies quote and the reactions change.
  const targets = new Map<string, string>();
  for (const id of ids) targets.set(id, (await inbound(id, 0)).body.id as string);
  await receiver.settle(300, 5000);
  const peer = (n: number) => `7900777${String(n % 10_000).padStart(4, '0')}`;
  const reply = (id: string, n: number) =>
    server.request('POST', `/api/simulator/instances/${id}/inbound`, { as: user, body: { from: peer(n), text: `reply ${n}`, quotedMessageId: targets.get(id) } });
  // A sender's same reaction again is a redelivery, announced once: every call differs from the
  // last one of its sender (the second pass meets the first one's senders again).
  let reactions = 0;
  const react = (id: string, n: number) =>
    server.request('POST', `/api/simulator/instances/${id}/inbound`, { as: user, body: { from: peer(n), reaction: { messageId: targets.get(id), emoji: ['👍', '❤️', '😂'][reactions++ % 3] } } });

  // Our own reply to, and reaction on, the message each instance received from peer(0).
  const replySend = (id: string, n: number) =>
    server.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: peer(0), message: `our reply ${n}`, quotedMessageId: targets.get(id) } });
  const reactSend = (id: string, n: number) =>
    server.request('POST', `/api/whatsapp/${id}/messages/${targets.get(id)}/reaction`, { as: user, body: { emoji: ['👍', '❤️', '😂'][n % 3] } });

  const operations: Array<[string, (id: string, n: number) => Promise<unknown>]> = [
    ['GET /api/whatsapp/:id/status', (id) => server.request('GET', `/api/whatsapp/${id}/status`, { as: user })],
    ['POST /api/whatsapp/:id/send (+ ack, delivered, read)', send],
    ['POST simulator inbound (+ signed webhook)', inbound],
    ['POST simulator inbound reply (+ signed webhook)', reply],
    ['POST simulator inbound reaction (+ signed webhook)', react],
    ['POST /api/whatsapp/:id/send reply (+ ack, delivered, read)', replySend],
    ['POST /api/whatsapp/:id/messages/:messageId/reaction', reactSend],
  ];
  for (const [name, operation] of operations) {
    counts.clear();
    times.clear();
    const delivered = receiver.received.length;
    counting = true;
    for (let i = 0; i < OPERATIONS; i++) await operation(ids[0], i);
    // Receipts and webhook deliveries finish after the response.
    if (name.includes('inbound')) await receiver.until(() => receiver.received.length >= delivered + OPERATIONS, 30_000);
    await receiver.settle(500, 5000);
    await new Promise((r) => setTimeout(r, 500));
    counting = false;
    report(name, OPERATIONS);
  }

  for (const [name, operation] of operations.slice(1)) {
    counts.clear();
    times.clear();
    const delivered = receiver.received.length;
    const total = LANES * PER_LANE;
    const before = written();
    counting = true;
    await Promise.all(ids.map(async (id, lane) => {
      for (let k = 0; k < PER_LANE; k++) await operation(id, lane * PER_LANE + k);
    }));
    if (name.includes('inbound')) await receiver.until(() => receiver.received.length >= delivered + total, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    counting = false;
    const after = written();
    report(`under load, ${LANES} lanes × ${PER_LANE}: ${name}`, total, 12);
    console.log(`\n${((after.calls - before.calls) / total).toFixed(1)} write calls and ${((after.bytes - before.bytes) / total / 1024).toFixed(1)} KiB written per operation`);
  }
} finally {
  await server.close();
  await receiver.stop();
}
