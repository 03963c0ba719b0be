import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, eventually, startServer, type TestServer, type TestUser } from '../support/app.js';
import { Receiver } from './receiver.js';

let server: TestServer;
let receiver: Receiver;
let user: TestUser;

beforeAll(async () => {
  server = await startServer({ env: { WEBHOOK_TIMEOUT_MS: '1000' } });
  receiver = await Receiver.start();
  user = await createUser(server);
});
afterAll(async () => {
  await server.close();
  await receiver.down();
});

/** Each instance gets its own path on the receiver, so tests can answer them differently. */
async function webhookInstance(settings: Record<string, unknown> = {}) {
  const instance = await createInstance(server, user, { webhookEnabled: true, maxRetries: 3, retryInterval: 100, ...settings });
  const path = `/hook/${instance.id}`;
  await server.request('PUT', `/api/instances/${instance.id}`, { as: user, body: { webhookUrl: receiver.url(path) } });
  // The session's own events (its QR codes) and the settings change are not what these tests look at.
  const own = (event: string) => event === 'qr_received' || event === 'webhook_updated';
  return { id: instance.id, path, hooks: () => receiver.received.filter((h) => h.body.data.instanceId === instance.id && !own(h.body.event)) };
}

const append = (instanceId: string, type: 'connected' | 'disconnected' | 'message_received', data: Record<string, unknown> = {}) =>
  server.ctx.services.events.append(instanceId, type, data);

async function deliveries(instanceId: string, query = '') {
  const res = await server.request('GET', `/api/instances/${instanceId}/webhook/deliveries${query}`, { as: user });
  expect(res.status).toBe(200);
  return res.body.deliveries as Array<Record<string, any>>;
}

const deliveryOf = async (instanceId: string, eventId: string) => (await deliveries(instanceId)).find((d) => d.eventId === eventId);

describe('retries', () => {
  it('retries a 500 with backoff and records every attempt until the 2xx', async () => {
    const instance = await webhookInstance();
    let calls = 0;
    const prev = receiver.respond;
    receiver.respond = (hook) => (hook.body.data.instanceId === instance.id && hook.body.event === 'connected' ? (++calls <= 3 ? 500 : 200) : prev(hook));
    const event = await append(instance.id, 'connected');

    const delivered = await eventually(async () => {
      const d = await deliveryOf(instance.id, event.id);
      return d?.status === 'delivered' && d;
    }, 10_000, 'delivery after three 500s');
    expect(delivered).toMatchObject({ event: 'connected', attempts: 4, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(Date.parse(delivered.deliveredAt)).toBeGreaterThanOrEqual(Date.parse(delivered.createdAt));
    const sent = instance.hooks();
    expect(sent).toHaveLength(4);
    // The same bytes and id on every attempt; only the attempt time may move.
    expect(new Set(sent.map((h) => h.raw)).size).toBe(1);
    expect(new Set(sent.map((h) => h.headers['webhook-id'])).size).toBe(1);
    receiver.respond = prev;
  });

  it('gives up after maxRetries, shows it as failed, and the retry endpoint sends it again', async () => {
    const instance = await webhookInstance({ maxRetries: 1 });
    let failing = true;
    const prev = receiver.respond;
    receiver.respond = (hook) => (hook.body.data.instanceId === instance.id && failing ? 503 : prev(hook));
    const dead = await append(instance.id, 'connected');
    const next = await append(instance.id, 'disconnected', { reason: 'connection_lost', willReconnect: true });

    const failed = await eventually(async () => {
      const d = await deliveryOf(instance.id, dead.id);
      return d?.status === 'failed' && d;
    }, 10_000, 'failed delivery');
    expect(failed).toMatchObject({ attempts: 2, lastStatusCode: 503, lastError: 'receiver answered 503', nextAttemptAt: null, deliveredAt: null });
    const listed = await deliveries(instance.id, '?status=failed');
    expect(listed.map((d) => d.id)).toContain(failed.id);
    expect(listed.every((d) => d.status === 'failed')).toBe(true);

    failing = false;
    // The next event was waiting behind the dead one; it goes now.
    await eventually(async () => (await deliveryOf(instance.id, next.id))?.status === 'delivered', 10_000, 'the event behind it');

    const retried = await server.request('POST', `/api/instances/${instance.id}/webhook/deliveries/${failed.id}/retry`, { as: user });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: failed.id, status: 'pending', attempts: 0 });
    const redelivered = await eventually(async () => {
      const d = await deliveryOf(instance.id, dead.id);
      return d?.status === 'delivered' && d;
    }, 10_000, 'redelivery');
    expect(redelivered).toMatchObject({ attempts: 1, lastStatusCode: 200 });
    expect(instance.hooks().filter((h) => h.body.id === dead.id)).toHaveLength(3);

    const again = await server.request('POST', `/api/instances/${instance.id}/webhook/deliveries/${failed.id}/retry`, { as: user });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/delivered/);
    const unknown = await server.request('POST', `/api/instances/${instance.id}/webhook/deliveries/nope/retry`, { as: user });
    expect(unknown.status).toBe(404);
    receiver.respond = prev;
  });

  it('keeps order: a failing delivery holds back the later events of its instance', async () => {
    const instance = await webhookInstance();
    let calls = 0;
    const prev = receiver.respond;
    receiver.respond = (hook) => (hook.body.data.instanceId === instance.id && hook.body.data.messageId === 'm0' && ++calls <= 2 ? 500 : prev(hook));
    for (let i = 0; i < 5; i++) await append(instance.id, 'message_received', { messageId: `m${i}` });
    await eventually(() => instance.hooks().filter((h) => h.body.data.messageId === 'm4').length > 0, 10_000, 'the last message');
    expect(instance.hooks().map((h) => h.body.data.messageId)).toEqual(['m0', 'm0', 'm0', 'm1', 'm2', 'm3', 'm4']);
    receiver.respond = prev;
  });

  it('records a receiver that does not answer in time as a failed attempt', async () => {
    const instance = await webhookInstance({ maxRetries: 0 });
    const prev = receiver.respond;
    receiver.respond = (hook) => (hook.body.data.instanceId === instance.id ? new Promise<number>(() => {}) : prev(hook));
    const event = await append(instance.id, 'connected');
    const failed = await eventually(async () => {
      const d = await deliveryOf(instance.id, event.id);
      return d?.status === 'failed' && d;
    }, 10_000, 'timeout');
    expect(failed).toMatchObject({ attempts: 1, lastStatusCode: null, lastError: 'no answer within 1000 ms' });
    receiver.respond = prev;
  });

  it('skips what is still queued when webhooks are turned off, and the retry endpoint can send it later', async () => {
    const instance = await webhookInstance();
    let release!: () => void;
    const held = new Promise<number>((resolve) => (release = () => resolve(200)));
    const prev = receiver.respond;
    receiver.respond = (hook) => (hook.body.data.instanceId === instance.id && hook.body.event === 'connected' ? held : prev(hook));
    await append(instance.id, 'connected');
    await eventually(() => instance.hooks().length === 1, 5000, 'first attempt in flight');
    const queued = await append(instance.id, 'disconnected', { reason: 'logout', willReconnect: false });
    const off = await server.request('PUT', `/api/instances/${instance.id}`, { as: user, body: { webhookEnabled: false } });
    expect(off.status).toBe(200);
    release();

    const skipped = await eventually(async () => {
      const d = await deliveryOf(instance.id, queued.id);
      return d?.status === 'skipped' && d;
    }, 5000, 'skipped delivery');
    expect(skipped).toMatchObject({ attempts: 0, lastError: 'webhooks disabled before delivery' });
    expect(instance.hooks().map((h) => h.body.event)).toEqual(['connected']);

    await server.request('PUT', `/api/instances/${instance.id}`, { as: user, body: { webhookEnabled: true } });
    expect((await deliveryOf(instance.id, queued.id))?.status).toBe('skipped');
    const retried = await server.request('POST', `/api/instances/${instance.id}/webhook/deliveries/${skipped.id}/retry`, { as: user });
    expect(retried.status).toBe(200);
    await eventually(async () => (await deliveryOf(instance.id, queued.id))?.status === 'delivered', 5000, 'retried skipped delivery');
    receiver.respond = prev;
  });

  it('does not let a slow receiver of one instance hold up another', async () => {
    const slow = await webhookInstance();
    const fast = await webhookInstance();
    let release!: () => void;
    const held = new Promise<number>((resolve) => (release = () => resolve(200)));
    const prev = receiver.respond;
    receiver.respond = (hook) => (hook.body.data.instanceId === slow.id && ['connected', 'disconnected'].includes(hook.body.event) ? held : prev(hook));
    await append(slow.id, 'connected');
    await append(slow.id, 'disconnected', { reason: 'logout', willReconnect: false });
    await eventually(() => slow.hooks().length === 1, 5000, 'slow request in flight');
    for (let i = 0; i < 5; i++) await append(fast.id, 'message_received', { messageId: `f${i}` });

    await eventually(() => fast.hooks().length === 5, 5000, 'the other instance');
    // The slow instance is still on its first request, its second event waiting behind it.
    expect(slow.hooks()).toHaveLength(1);
    release();
    await eventually(() => slow.hooks().length === 2, 5000, 'the slow instance catching up');
    receiver.respond = prev;
  });
});

describe('POST /api/instances/:id/webhook/test', () => {
  it('queues a webhook_test event delivered like any other', async () => {
    const instance = await webhookInstance();
    const res = await server.request('POST', `/api/instances/${instance.id}/webhook/test`, { as: user });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ deliveryId: expect.any(String), eventId: expect.any(String), delivery: { event: 'webhook_test' } });
    const [hook] = await eventually(() => instance.hooks().length > 0 && instance.hooks());
    expect(hook.body).toMatchObject({ event: 'webhook_test', id: res.body.eventId, data: { instanceId: instance.id } });
    await eventually(async () => (await deliveryOf(instance.id, res.body.eventId))?.status === 'delivered');
  });

  it('answers 409 when the instance has webhooks off', async () => {
    const instance = await createInstance(server, user, {});
    const res = await server.request('POST', `/api/instances/${instance.id}/webhook/test`, { as: user });
    expect(res.status).toBe(409);
    expect(res.body.details).toContainEqual({ field: 'webhookEnabled', message: expect.any(String) });
  });
});

describe('deliveries API', () => {
  it("answers 404 for another user's instance and lets an admin see it", async () => {
    const instance = await webhookInstance();
    const other = await createUser(server);
    for (const [method, url] of [
      ['GET', `/api/instances/${instance.id}/webhook/deliveries`],
      ['POST', `/api/instances/${instance.id}/webhook/test`],
      ['POST', `/api/instances/${instance.id}/webhook/deliveries/x/retry`],
    ]) {
      expect((await server.request(method, url, { as: other })).status).toBe(404);
    }
    expect((await server.request('GET', `/api/instances/${instance.id}/webhook/deliveries`, { as: server.admin })).status).toBe(200);
    expect((await server.request('GET', `/api/instances/${instance.id}/webhook/deliveries`)).status).toBe(401);
  });

  it('pages, filters by status, names a bad query field and never shows the secret', async () => {
    const instance = await webhookInstance({ webhookSecret: 'top-secret-value' });
    for (let i = 0; i < 3; i++) await append(instance.id, 'message_received', { messageId: `p${i}` });
    await eventually(async () => (await deliveries(instance.id, '?status=delivered')).length === 4, 5000, 'all delivered');
    const page = await server.request('GET', `/api/instances/${instance.id}/webhook/deliveries?limit=2&skip=1`, { as: user });
    expect(page.status).toBe(200);
    expect(page.body.pagination).toEqual({ total: 4, limit: 2, skip: 1, hasMore: true });
    expect(page.body.deliveries).toHaveLength(2);
    expect(Object.keys(page.body.deliveries[0]).sort()).toEqual(
      ['attempts', 'createdAt', 'deliveredAt', 'event', 'eventId', 'id', 'lastAttemptAt', 'lastError', 'lastStatusCode', 'nextAttemptAt', 'status'].sort(),
    );
    expect(page.raw.toString()).not.toContain('top-secret-value');
    const bad = await server.request('GET', `/api/instances/${instance.id}/webhook/deliveries?status=lost`, { as: user });
    expect(bad.status).toBe(400);
    expect(bad.body.details?.[0]?.field).toBe('status');
  });
});
