import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, eventually, linkInstance, multipart, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';
import { Receiver } from '../webhooks/receiver.js';

const DAY = 86_400_000;
const DAY1 = Date.UTC(2030, 0, 1, 12, 0, 0);
let now = DAY1;

let server: TestServer;
let receiver: Receiver;
let user: TestUser;
let a: string;
let b: string;

const png = (bytes: number) => Buffer.alloc(bytes, 7);

async function sendText(instanceId: string, message: string) {
  const res = await server.request('POST', `/api/whatsapp/${instanceId}/send`, { as: user, body: { phone: '79001234567', message } });
  expect(res.status).toBe(200);
}

async function instanceStats(instanceId: string, query = '', as: TestUser = user) {
  return server.request('GET', `/api/stats/instances/${instanceId}${query}`, { as });
}

/**
 * Waits until no delivery of A is still on its way and every webhook the receiver got is counted.
 * The test's clock then jumps a day: a delivery still in flight would see its lease expire and
 * go out twice (at least once, as it should), which would throw the counts off.
 */
async function webhooksSettled() {
  await eventually(async () => {
    const pending = await server.request('GET', `/api/instances/${a}/webhook/deliveries?status=pending`, { as: user });
    const stats = await server.request('GET', '/api/stats/user?period=all', { as: user });
    return pending.body.pagination.total === 0 && stats.body.total.webhookSent === receiver.received.length;
  }, 10_000, 'webhooks delivered and counted');
}

beforeAll(async () => {
  receiver = await Receiver.start();
  server = await startServer({ clock: () => now });
  user = await createUser(server);
  a = (await linkInstance(server, user, { body: { name: 'Main', webhookUrl: receiver.url(), webhookEnabled: true } })).id;
  b = (await linkInstance(server, user, { body: { name: 'Second' } })).id;

  // Day 1: A sends two texts and one file, receives a text and an image; B sends a text.
  await sendText(a, 'one');
  await sendText(a, 'two');
  const file = multipart({ phone: '79001234567', caption: 'pic' }, { name: 'a.png', type: 'image/png', data: png(1000) });
  const sentFile = await server.request('POST', `/api/whatsapp/${a}/send-file`, { as: user, ...file });
  expect(sentFile.status).toBe(200);
  await receiveMessage(server, user, a, { from: '79001112233', text: 'hello' });
  await receiveMessage(server, user, a, { from: '79001112233', media: { kind: 'image', mimeType: 'image/png', base64: png(300).toString('base64') } });
  await sendText(b, 'from b');
  await eventually(async () => (await instanceStats(a)).body.usage.messagesReceived === 2, 5000, 'day 1 receipts counted');
  await webhooksSettled();

  // Day 2: one of each on A.
  now += DAY;
  await sendText(a, 'next day');
  await receiveMessage(server, user, a, { from: '79001112233', text: 'next day' });
  await eventually(async () => (await instanceStats(a)).body.usage.messagesReceived === 1, 5000, 'day 2 receipt counted');
  await webhooksSettled();
});

afterAll(async () => {
  await server?.close();
  await receiver?.down();
});

describe('GET /api/stats/instances/:id', () => {
  it('counts today by default', async () => {
    const res = await instanceStats(a);
    expect(res.status).toBe(200);
    expect(res.body.usage).toMatchObject({ messagesSent: 1, messagesReceived: 1, mediaSent: 0, mediaReceived: 0, totalMediaSize: 0 });
    expect(res.body.usage.dailyStats).toHaveLength(1);
    expect(res.body.usage.dailyStats[0]).toMatchObject({ date: '2030-01-02T00:00:00.000Z', messagesSent: 1, messagesReceived: 1, mediaSent: 0, mediaReceived: 0 });
  });

  it('sums a week and gives each UTC day its own counters', async () => {
    const res = await instanceStats(a, '?period=week');
    expect(res.body.usage).toMatchObject({ messagesSent: 4, messagesReceived: 3, mediaSent: 1, mediaReceived: 1, totalMediaSize: 1300 });
    const [day1, day2] = res.body.usage.dailyStats;
    expect(day1).toMatchObject({ date: '2030-01-01T00:00:00.000Z', messagesSent: 3, messagesReceived: 2, mediaSent: 1, mediaReceived: 1, totalMediaSize: 1300 });
    expect(day2).toMatchObject({ date: '2030-01-02T00:00:00.000Z', messagesSent: 1, messagesReceived: 1, mediaSent: 0, mediaReceived: 0, totalMediaSize: 0 });
    expect(res.body.usage.dailyStats).toHaveLength(2);
    const daySums = res.body.usage.dailyStats.reduce((sum: number, d: { webhookSent: number }) => sum + d.webhookSent, 0);
    expect(res.body.usage.webhookSent).toBe(daySums);
    expect(res.body.usage.webhookSent).toBe(receiver.received.length);
  });

  it('counts webhooks on the day they were delivered', async () => {
    const res = await instanceStats(a, '?period=week');
    const [day1, day2] = res.body.usage.dailyStats;
    expect(day1.webhookSent).toBeGreaterThanOrEqual(5);
    expect(day2.webhookSent).toBeGreaterThanOrEqual(2);
  });

  it('counts each authenticated API call against the instance, this one included', async () => {
    const fresh = await createInstance(server, user, { name: 'Calls' });
    for (let i = 0; i < 4; i++) expect((await server.request('GET', `/api/instances/${fresh.id}`, { as: user })).status).toBe(200);
    expect((await server.request('GET', `/api/instances/${fresh.id}/status`, { as: user })).status).toBe(200);
    const res = await instanceStats(fresh.id);
    expect(res.body.usage.apiCalls).toBe(6);
    await server.request('DELETE', `/api/instances/${fresh.id}`, { as: user });
  });

  it('leaves the other periods and the day before out of today, and answers 400 naming a bad period', async () => {
    expect((await instanceStats(a, '?period=month')).body.usage.messagesSent).toBe(4);
    expect((await instanceStats(a, '?period=all')).body.usage.messagesSent).toBe(4);
    const bad = await instanceStats(a, '?period=year');
    expect(bad.status).toBe(400);
    expect(bad.body.details).toContainEqual(expect.objectContaining({ field: 'period' }));
  });

  it('answers 404 for another user\'s instance and lets an admin read it', async () => {
    const other = await createUser(server);
    expect((await instanceStats(a, '', other)).status).toBe(404);
    expect((await instanceStats(a, '', server.admin)).status).toBe(200);
  });
});

describe('GET /api/stats/user', () => {
  it('adds up the user\'s instances and lists each with its own counters', async () => {
    const res = await server.request('GET', '/api/stats/user', { as: user });
    expect(res.status).toBe(200);
    expect(res.body.total).toMatchObject({ messagesSent: 5, messagesReceived: 3, mediaSent: 1, mediaReceived: 1, totalMediaSize: 1300 });
    const byName = Object.fromEntries(res.body.instances.map((i: { name: string }) => [i.name, i]));
    expect(byName.Main).toMatchObject({ instanceId: a, messagesSent: 4, messagesReceived: 3 });
    expect(byName.Second).toMatchObject({ instanceId: b, messagesSent: 1, messagesReceived: 0 });
    expect(res.body.total.instanceCount).toBe(res.body.instances.length);
  });

  it('knows the periods week, month, year and all, and no other', async () => {
    for (const period of ['week', 'month', 'year', 'all']) {
      expect((await server.request('GET', `/api/stats/user?period=${period}`, { as: user })).body.total.messagesSent).toBe(5);
    }
    const bad = await server.request('GET', '/api/stats/user?period=today', { as: user });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('period');
  });

  it('shows a new user zeros, and needs authentication', async () => {
    const other = await createUser(server);
    const res = await server.request('GET', '/api/stats/user', { as: other });
    expect(res.body).toEqual({
      total: { messagesSent: 0, messagesReceived: 0, mediaSent: 0, mediaReceived: 0, totalMediaSize: 0, apiCalls: 0, webhookSent: 0, instanceCount: 0 },
      instances: [],
    });
    expect((await server.request('GET', '/api/stats/user')).status).toBe(401);
  });
});

describe('GET /api/stats/system', () => {
  it('is for admins only', async () => {
    const res = await server.request('GET', '/api/stats/system', { as: user });
    expect(res.status).toBe(403);
  });

  it('counts instances and users, the connected ones as active, and everyone\'s usage', async () => {
    const idle = await createUser(server);
    await createInstance(server, idle, { name: 'never linked' });
    const res = await server.request('GET', '/api/stats/system', { as: server.admin });
    expect(res.status).toBe(200);
    const instances = (await server.request('GET', '/api/instances', { as: server.admin })).body.instances;
    const users = (await server.request('GET', '/api/users?limit=1000', { as: server.admin })).body.users;
    expect(res.body.instances).toEqual({ total: instances.length, active: 2 });
    expect(res.body.users).toEqual({ total: users.length, active: 1 });
    expect(res.body.usage).toMatchObject({ messagesSent: 5, messagesReceived: 3, mediaSent: 1, mediaReceived: 1, totalMediaSize: 1300 });
    expect((await server.request('GET', '/api/stats/system?period=today', { as: server.admin })).body.usage.messagesSent).toBe(1);
  });
});

describe('API call counts', () => {
  it('survive a restart: the last batch is written at shutdown', async () => {
    const fresh = await createInstance(server, user, { name: 'Restarted' });
    for (let i = 0; i < 3; i++) await server.request('GET', `/api/instances/${fresh.id}`, { as: user });
    server = await server.restart();
    const res = await instanceStats(fresh.id);
    expect(res.body.usage.apiCalls).toBe(4);
  });
});
