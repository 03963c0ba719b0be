import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadGatewayError } from '../../src/core/errors.js';
import { createInstance, createUser, eventually, linkInstance, multipart, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';
import { TEST_POSTGRES_URL } from '../support/postgres.js';
import { Receiver } from '../webhooks/receiver.js';

const DAY = 86_400_000;
let now = Date.UTC(2030, 5, 10, 9, 30, 0);

let server: TestServer;
let receiver: Receiver;

function send(user: TestUser, instanceId: string, message = 'hi') {
  return server.request('POST', `/api/whatsapp/${instanceId}/send`, { as: user, body: { phone: '79001234567', message } });
}

function putLimits(path: string, body: Record<string, unknown>) {
  return server.request('PUT', path, { as: server.admin, body });
}

/** Read as an admin: the owner's own calls may be over `maxApiCalls`, an admin's never count. */
async function limitEvents(instanceId: string) {
  const res = await server.request('GET', `/api/instances/${instanceId}/events?types=limit_exceeded&limit=100`, { as: server.admin });
  expect(res.status).toBe(200);
  return res.body.events as Array<{ type: string; data: Record<string, any> }>;
}

/**
 * Six lanes sending one after another against `maxMessagesSent: 20`, 48 sends in all, three
 * times: checks keep arriving while earlier sends commit and give their places back, which is
 * when a check could count a send twice (refusing too early) or not at all (one too many).
 */
async function steadyStreamAgainstALimit(target: TestServer): Promise<number[]> {
  const accepted: number[] = [];
  for (let round = 0; round < 3; round++) {
    const user = await createUser(target);
    const { id } = await linkInstance(target, user);
    await target.request('PUT', `/api/instances/${id}/limits`, { as: target.admin, body: { maxMessagesSent: 20 } });
    let ok = 0;
    await Promise.all(
      Array.from({ length: 6 }, async (_, lane) => {
        for (let k = 0; k < 8; k++) {
          const res = await target.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: '79001234567', message: `m${lane}-${k}` } });
          if (res.status === 200) ok += 1;
          else expect(res.status).toBe(429);
        }
      }),
    );
    accepted.push(ok);
  }
  return accepted;
}

const nextMidnight = () => new Date(Math.floor(now / DAY) * DAY + DAY).toISOString();

beforeAll(async () => {
  receiver = await Receiver.start();
  server = await startServer({ clock: () => now });
});

afterAll(async () => {
  await server?.close();
  await receiver?.down();
});

describe('limit endpoints', () => {
  it('let only admins read and change the defaults', async () => {
    const user = await createUser(server);
    expect((await server.request('GET', '/api/limits/default', { as: user })).status).toBe(403);
    expect((await server.request('PUT', '/api/limits/default', { as: user, body: { maxApiCalls: 1 } })).status).toBe(403);
    const empty = await server.request('GET', '/api/limits/default', { as: server.admin });
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ scope: 'default', limits: {}, window: 'day', updatedAt: null });
    expect(empty.body.effective.maxMessagesSent).toEqual({ value: null, window: 'day', source: null });
  });

  it('resolve each limit from the most specific level that sets it, with that level\'s window', async () => {
    const user = await createUser(server);
    const instance = await createInstance(server, user);
    await putLimits('/api/limits/default', { maxMessagesSent: 1000, maxApiCalls: 100000 });
    const byUser = await putLimits(`/api/users/${user.id}/limits`, { maxMessagesSent: 50, maxMediaSent: 5, window: 'month' });
    expect(byUser.status).toBe(200);
    expect(byUser.body.limits).toEqual({ maxMessagesSent: 50, maxMediaSent: 5 });
    expect(byUser.body.effective.maxApiCalls).toEqual({ value: 100000, window: 'day', source: 'default' });
    expect(byUser.body.effective.maxMessagesSent).toEqual({ value: 50, window: 'month', source: 'user' });

    await putLimits(`/api/instances/${instance.id}/limits`, { maxMessagesSent: 7, window: 'week' });
    const own = await server.request('GET', `/api/instances/${instance.id}/limits`, { as: user });
    expect(own.status).toBe(200);
    expect(own.body.effective).toMatchObject({
      maxMessagesSent: { value: 7, window: 'week', source: 'instance' },
      maxMediaSent: { value: 5, window: 'month', source: 'user' },
      maxApiCalls: { value: 100000, window: 'day', source: 'default' },
      maxWebhookCalls: { value: null, source: null },
    });
    expect((await server.request('GET', `/api/users/${user.id}/limits`, { as: user })).status).toBe(200);
    await putLimits('/api/limits/default', {});
  });

  it('keep changes to admins, others\' limits private, and answer 400 naming a bad field', async () => {
    const user = await createUser(server);
    const other = await createUser(server);
    const instance = await createInstance(server, user);
    expect((await server.request('PUT', `/api/users/${user.id}/limits`, { as: user, body: { maxMessagesSent: 9 } })).status).toBe(403);
    expect((await server.request('PUT', `/api/instances/${instance.id}/limits`, { as: user, body: { maxMessagesSent: 9 } })).status).toBe(403);
    expect((await server.request('GET', `/api/users/${user.id}/limits`, { as: other })).status).toBe(403);
    expect((await server.request('GET', `/api/instances/${instance.id}/limits`, { as: other })).status).toBe(404);
    expect((await putLimits('/api/users/no-such-user/limits', { maxMessagesSent: 1 })).status).toBe(404);

    const negative = await putLimits(`/api/users/${user.id}/limits`, { maxMessagesSent: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.details[0].field).toBe('maxMessagesSent');
    const window = await putLimits(`/api/users/${user.id}/limits`, { window: 'hour' });
    expect(window.status).toBe(400);
    expect(window.body.details[0].field).toBe('window');
    const perInstance = await putLimits(`/api/instances/${instance.id}/limits`, { maxInstances: 2 });
    expect(perInstance.status).toBe(400);
    expect(perInstance.body.details[0].field).toBe('maxInstances');
  });
});

describe('maxMessagesSent', () => {
  it('gives the place back when the send fails after the limit check', async () => {
    const own = await startServer();
    try {
      let failNext = false;
      // Stands in for WhatsApp refusing the message after the limit guard reserved its place.
      own.ctx.services.messaging.addSendGuard(() => {
        if (failNext) throw new BadGatewayError('WhatsApp did not accept the message');
      });
      const user = await createUser(own);
      const { id } = await linkInstance(own, user);
      await own.request('PUT', `/api/instances/${id}/limits`, { as: own.admin, body: { maxMessagesSent: 1 } });
      const sendOne = () => own.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: '79001234567', message: 'hi' } });
      failNext = true;
      expect((await sendOne()).status).toBe(502);
      failNext = false;
      expect((await sendOne()).status).toBe(200);
      expect((await sendOne()).status).toBe(429);
    } finally {
      await own.close();
    }
  });

  it('refuses the fourth send of three with 429, notifies once, and allows sending again in the next window', async () => {
    const user = await createUser(server);
    const { id } = await linkInstance(server, user, { body: { webhookUrl: receiver.url('/limits'), webhookEnabled: true } });
    await putLimits(`/api/users/${user.id}/limits`, { maxMessagesSent: 3 });
    for (let i = 0; i < 3; i++) expect((await send(user, id)).status).toBe(200);

    const refused = await send(user, id);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: expect.stringContaining('maxMessagesSent'), limit: 'maxMessagesSent', value: 3, usage: 3, resetsAt: nextMidnight() });
    expect(Number(refused.headers['retry-after'])).toBe(Math.ceil((Date.parse(nextMidnight()) - now) / 1000));
    expect((await send(user, id)).status).toBe(429);

    const events = await limitEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ instanceId: id, exceededLimits: ['maxMessagesSent'], usage: { messagesSent: 3 }, action: 'refused', resetsAt: nextMidnight() });
    const hooks = await eventually(() => {
      const got = receiver.received.filter((h) => h.body.event === 'limit_exceeded' && h.body.data.instanceId === id);
      return got.length > 0 ? got : undefined;
    }, 10_000, 'limit_exceeded webhook');
    expect(hooks).toHaveLength(1);
    expect(hooks[0].body.data).toMatchObject({ exceededLimits: ['maxMessagesSent'], usage: { messagesSent: 3 } });
    expect((await server.request('GET', `/api/instances/${id}/status`, { as: user })).body.ready).toBe(true);

    now += DAY;
    expect((await send(user, id)).status).toBe(200);
    const stats = await server.request('GET', `/api/stats/instances/${id}?period=week`, { as: user });
    expect(stats.body.usage.messagesSent).toBe(4);
    expect(receiver.received.filter((h) => h.body.event === 'limit_exceeded' && h.body.data.instanceId === id)).toHaveLength(1);
  });

  it('lets exactly three of ten concurrent sends through', async () => {
    const user = await createUser(server);
    const { id } = await linkInstance(server, user);
    await putLimits(`/api/instances/${id}/limits`, { maxMessagesSent: 3 });
    const statuses = (await Promise.all(Array.from({ length: 10 }, (_, i) => send(user, id, `m${i}`)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect(await limitEvents(id)).toHaveLength(1);
  });

  it('lets exactly the limit through a steady stream of concurrent sends', async () => {
    expect(await steadyStreamAgainstALimit(server)).toEqual([20, 20, 20]);
  });

  it.runIf(TEST_POSTGRES_URL)('lets exactly the limit through a steady stream of concurrent sends on PostgreSQL', async () => {
    const pg = await startServer({ provider: 'postgres' });
    try {
      expect(await steadyStreamAgainstALimit(pg)).toEqual([20, 20, 20]);
    } finally {
      await pg.close();
    }
  });

  it.runIf(TEST_POSTGRES_URL)('holds on PostgreSQL too, and counts the next window afresh', async () => {
    const pg = await startServer({ provider: 'postgres', clock: () => now });
    try {
      const user = await createUser(pg);
      const { id } = await linkInstance(pg, user);
      await pg.request('PUT', `/api/instances/${id}/limits`, { as: pg.admin, body: { maxMessagesSent: 3 } });
      const sendOn = (i: number) => pg.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: '79001234567', message: `m${i}` } });
      const statuses = (await Promise.all(Array.from({ length: 10 }, (_, i) => sendOn(i)))).map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(3);
      const events = await pg.request('GET', `/api/instances/${id}/events?types=limit_exceeded`, { as: pg.admin });
      expect(events.body.events).toHaveLength(1);
      now += DAY;
      expect((await sendOn(10)).status).toBe(200);
      const stats = await pg.request('GET', `/api/stats/instances/${id}?period=week`, { as: user });
      expect(stats.body.usage.dailyStats.map((d: { messagesSent: number }) => d.messagesSent)).toEqual([3, 1]);
    } finally {
      await pg.close();
    }
  });

  it('does not spend the limit on sends refused because the instance is not connected', async () => {
    const user = await createUser(server);
    const idle = await createInstance(server, user);
    await putLimits(`/api/instances/${idle.id}/limits`, { maxMessagesSent: 2 });
    for (let i = 0; i < 3; i++) expect((await send(user, idle.id)).status).toBe(409);
    const { id } = await linkInstance(server, user);
    await putLimits(`/api/instances/${id}/limits`, { maxMessagesSent: 2 });
    await server.request('POST', `/api/simulator/instances/${id}/disconnect`, { as: user, body: { reason: 'conflict' } });
    await eventually(async () => (await server.request('GET', `/api/instances/${id}/status`, { as: user })).body.ready === false, 5000, 'disconnected');
    for (let i = 0; i < 3; i++) expect((await send(user, id)).status).toBe(409);
    await server.request('POST', `/api/instances/${id}/reconnect`, { as: user });
    await eventually(async () => (await server.request('GET', `/api/instances/${id}/status`, { as: user })).body.ready === true, 5000, 'reconnected');
    expect((await send(user, id)).status).toBe(200);
    expect((await send(user, id)).status).toBe(200);
    expect((await send(user, id)).status).toBe(429);
  });

  it('follows a per-instance limit over the user\'s', async () => {
    const user = await createUser(server);
    const loose = await linkInstance(server, user);
    const strict = await linkInstance(server, user);
    await putLimits(`/api/users/${user.id}/limits`, { maxMessagesSent: 1 });
    await putLimits(`/api/instances/${loose.id}/limits`, { maxMessagesSent: 3 });
    for (let i = 0; i < 3; i++) expect((await send(user, loose.id)).status).toBe(200);
    expect((await send(user, loose.id)).status).toBe(429);
    expect((await send(user, strict.id)).status).toBe(200);
    const refused = await send(user, strict.id);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ limit: 'maxMessagesSent', value: 1, usage: 1 });
  });
});

describe('maxMediaSize', () => {
  it('refuses a file over the size with 413 naming the limit', async () => {
    const user = await createUser(server);
    const { id } = await linkInstance(server, user);
    await putLimits(`/api/instances/${id}/limits`, { maxMediaSize: 100 });
    const form = multipart({ phone: '79001234567' }, { name: 'big.bin', type: 'application/octet-stream', data: Buffer.alloc(101) });
    const res = await server.request('POST', `/api/whatsapp/${id}/send-file`, { as: user, ...form });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ limit: 'maxMediaSize', value: 100, usage: 101 });
    const small = multipart({ phone: '79001234567' }, { name: 'ok.bin', type: 'application/octet-stream', data: Buffer.alloc(100) });
    expect((await server.request('POST', `/api/whatsapp/${id}/send-file`, { as: user, ...small })).status).toBe(200);
  });
});

describe('maxMediaSent', () => {
  it('counts media over its own window, and leaves text alone', async () => {
    const user = await createUser(server);
    const { id } = await linkInstance(server, user);
    await putLimits(`/api/users/${user.id}/limits`, { maxMediaSent: 1, window: 'week' });
    const file = () => server.request('POST', `/api/whatsapp/${id}/send-file`, { as: user, ...multipart({ phone: '79001234567' }, { name: 'a.png', type: 'image/png', data: Buffer.alloc(10) }) });
    expect((await file()).status).toBe(200);
    const refused = await file();
    expect(refused.status).toBe(429);
    const day = new Date(now).getUTCDay();
    const nextMonday = new Date(Math.floor(now / DAY) * DAY + (((8 - day) % 7) || 7) * DAY).toISOString();
    expect(refused.body).toMatchObject({ limit: 'maxMediaSent', value: 1, usage: 1, resetsAt: nextMonday });
    expect((await send(user, id)).status).toBe(200);
  });
});

describe('maxMessagesReceived', () => {
  it('stores and counts messages past the limit, and says so once', async () => {
    const user = await createUser(server);
    const { id } = await linkInstance(server, user);
    await putLimits(`/api/instances/${id}/limits`, { maxMessagesReceived: 1 });
    for (const text of ['one', 'two', 'three']) await receiveMessage(server, user, id, { from: '79005550000', text });
    await eventually(async () => (await server.request('GET', `/api/stats/instances/${id}`, { as: user })).body.usage.messagesReceived === 3, 5000, 'three receipts counted');
    const events = await eventually(async () => {
      const found = await limitEvents(id);
      return found.length > 0 ? found : undefined;
    }, 5000, 'limit_exceeded for received messages');
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ exceededLimits: ['maxMessagesReceived'], action: 'stored' });
    const received = await server.request('GET', `/api/instances/${id}/events?types=message_received&limit=100`, { as: user });
    expect(received.body.events.map((e: { data: { body: string } }) => e.data.body)).toEqual(['one', 'two', 'three']);
  });
});

describe('maxInstances', () => {
  it('refuses an instance past the user\'s count, and allows one again after a delete', async () => {
    const user = await createUser(server);
    await putLimits(`/api/users/${user.id}/limits`, { maxInstances: 2 });
    const first = await createInstance(server, user);
    await createInstance(server, user);
    const refused = await server.request('POST', '/api/instances', { as: user, body: { name: 'third' } });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ limit: 'maxInstances', value: 2, usage: 2 });
    await server.request('DELETE', `/api/instances/${first.id}`, { as: user });
    expect((await server.request('POST', '/api/instances', { as: user, body: { name: 'third' } })).status).toBe(201);
  });
});

describe('maxApiCalls', () => {
  it('refuses calls on the instance once reached, but not its stats, other instances, or unauthenticated callers', async () => {
    const user = await createUser(server);
    const limited = await createInstance(server, user);
    const free = await createInstance(server, user);
    await putLimits(`/api/instances/${limited.id}/limits`, { maxApiCalls: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await server.request('GET', `/api/instances/${limited.id}`, { as: user })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await server.request('GET', `/api/instances/${limited.id}/status`, { as: user });
    expect(refused.body).toMatchObject({ limit: 'maxApiCalls', value: 3, usage: 3, resetsAt: nextMidnight() });
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await server.request('GET', `/api/instances/${limited.id}`)).status).toBe(401);
    expect((await server.request('GET', `/api/instances/${free.id}`, { as: user })).status).toBe(200);
    expect((await server.request('GET', `/api/stats/instances/${limited.id}`, { as: user })).status).toBe(200);
    expect((await server.request('GET', '/health')).status).toBe(200);
    const events = await limitEvents(limited.id);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ exceededLimits: ['maxApiCalls'], usage: { apiCalls: 3 } });
  });

  it('counts reading the instance\'s limits and stats and deleting it past the limit, but never refuses them', async () => {
    const user = await createUser(server);
    const instance = await createInstance(server, user);
    await putLimits(`/api/instances/${instance.id}/limits`, { maxApiCalls: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await server.request('GET', `/api/instances/${instance.id}`, { as: user })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await server.request('GET', `/api/instances/${instance.id}/limits`, { as: user })).status).toBe(200);
    const stats = await server.request('GET', `/api/stats/instances/${instance.id}`, { as: user });
    expect(stats.status).toBe(200);
    // Two admitted reads, the limits read and this stats read; neither the refusal nor the admin's PUT.
    expect(stats.body.usage.apiCalls).toBe(4);
    expect((await server.request('DELETE', `/api/instances/${instance.id}`, { as: user })).status).toBe(200);
  });
});

describe('maxWebhookCalls', () => {
  it('holds deliveries past the limit until the window resets, dropping none', async () => {
    const user = await createUser(server);
    const { id } = await linkInstance(server, user, { body: { webhookUrl: receiver.url('/webhook-limit'), webhookEnabled: true } });
    const mine = () => receiver.received.filter((h) => h.body.data?.instanceId === id);
    let before = -1;
    await eventually(async () => {
      const seen = mine().length;
      if (seen > 0 && seen === before) return true;
      before = seen;
      await new Promise((r) => setTimeout(r, 300));
      return false;
    }, 10_000, 'the linking webhooks to settle');
    await putLimits(`/api/instances/${id}/limits`, { maxWebhookCalls: before + 2 });
    for (const text of ['a', 'b', 'c', 'd']) await receiveMessage(server, user, id, { from: '79005550001', text });
    await eventually(() => mine().length === before + 2, 10_000, 'deliveries up to the limit');
    await new Promise((r) => setTimeout(r, 300));
    expect(mine()).toHaveLength(before + 2);

    now += DAY;
    const bodies = await eventually(() => {
      const texts = mine().filter((h) => h.body.event === 'message_received').map((h) => h.body.data.body);
      return texts.length === 4 ? texts : undefined;
    }, 10_000, 'held deliveries after the reset');
    expect(bodies).toEqual(['a', 'b', 'c', 'd']);
  });
});
