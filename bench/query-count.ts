import SQLite from 'better-sqlite3';
import { createInstance, createUser, eventually, startServer } from '../test/support/app.js';
import { Receiver } from './lib/receiver.js';

/**
 * `npm run bench:queries`: how many SQL statements one API operation costs, end to end (the
 * request, the engine's receipts, the event, the webhook delivery), and the time spent inside
 * SQLite on each, on an in-process SQLite server: where the CPU of benchmarks 1-3 goes.
 */
const OPERATIONS = 50;
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

const receiver = new Receiver(SECRET);
await receiver.start();
const server = await startServer();
try {
  const owner = await createUser(server);
  const user = { apiKey: owner.apiKey };
  const instance = await createInstance(server, user, { webhookUrl: receiver.url, webhookEnabled: true, webhookSecret: SECRET, notifyReceived: true, notifySent: false, notifyDelivery: false, notifyRead: false });
  await eventually(async () => (await server.request('GET', `/api/whatsapp/${instance.id}/status`, { as: user })).body.hasQr, 10_000, 'QR');
  await server.request('POST', `/api/simulator/instances/${instance.id}/scan`, { as: user, body: {} });
  await eventually(async () => (await server.request('GET', `/api/whatsapp/${instance.id}/status`, { as: user })).body.ready, 10_000, 'connected');
  await receiver.settle(300, 5000);

  const operations: Array<[string, () => Promise<unknown>]> = [
    ['GET /api/whatsapp/:id/status', () => server.request('GET', `/api/whatsapp/${instance.id}/status`, { as: user })],
    ['POST /api/whatsapp/:id/send (+ ack, delivered, read)', () => server.request('POST', `/api/whatsapp/${instance.id}/send`, { as: user, body: { phone: '79005550100', message: 'counted' } })],
    ['POST simulator inbound (+ signed webhook)', () => server.request('POST', `/api/simulator/instances/${instance.id}/inbound`, { as: user, body: { from: '79005550101', text: 'counted' } })],
  ];
  for (const [name, operation] of operations) {
    counts.clear();
    times.clear();
    const delivered = receiver.received.length;
    counting = true;
    for (let i = 0; i < OPERATIONS; i++) await operation();
    // Receipts and webhook deliveries finish after the response.
    if (name.includes('inbound')) await receiver.until(() => receiver.received.length >= delivered + OPERATIONS, 30_000);
    await receiver.settle(500, 5000);
    await new Promise((r) => setTimeout(r, 500));
    counting = false;
    const rows = [...counts].sort((a, b) => b[1] - a[1]);
    const total = rows.reduce((n, [, c]) => n + c, 0);
    const inSqlite = [...times.values()].reduce((a, b) => a + b, 0);
    console.log(`\n## ${name}: ${(total / OPERATIONS).toFixed(1)} statements, ${((inSqlite * 1000) / OPERATIONS).toFixed(0)} µs inside SQLite per operation\n`);
    console.log(' count     µs  statement');
    for (const [sql, count] of rows) {
      const us = ((times.get(sql) ?? 0) * 1000) / OPERATIONS;
      console.log(`${(count / OPERATIONS).toFixed(2).padStart(6)} ${us.toFixed(0).padStart(6)}  ${sql.replace(/\s+/g, ' ').slice(0, 150)}`);
    }
  }
} finally {
  await server.close();
  await receiver.stop();
}
