import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventually, linkInstance, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';
import { freshPostgresUrl, TEST_POSTGRES_URL } from '../support/postgres.js';
import { freshMongoDatabase, TEST_MONGODB_URL } from '../support/stores.js';
import { Receiver } from '../webhooks/receiver.js';

if (!TEST_POSTGRES_URL && process.env.CI === 'true') throw new Error('TEST_POSTGRES_URL must be set under CI=true: the database switch suite needs PostgreSQL');

const CHATS = ['79001112230', '79001112231', '79001112232'];

interface Target {
  provider: 'postgres' | 'mongodb';
  /** Where the switch finds it. */
  variable: string;
  fresh(): Promise<{ url: string; drop: () => Promise<void> }> | { url: string; drop: () => Promise<void> };
}

const POSTGRES: Target = { provider: 'postgres', variable: 'POSTGRES_URL', fresh: freshPostgresUrl };
const MONGODB: Target = { provider: 'mongodb', variable: 'MONGODB_URL', fresh: freshMongoDatabase };

// Like the store contract suite: a target runs wherever its server is configured.
const TARGETS = [...(TEST_POSTGRES_URL ? [POSTGRES] : []), ...(TEST_MONGODB_URL ? [MONGODB] : [])];
for (const target of TARGETS) {
  describe(`live database switch SQLite → ${target.provider} → SQLite`, () => switchSuite(target));
}

function switchSuite(target: Target) {
  let server: TestServer;
  let database: { url: string; drop: () => Promise<void> };
  let receiver: Receiver;
  let user: TestUser;
  let other: TestUser;
  let hooked: { id: string };
  let quiet: { id: string };
  /** Every inbound message id, with its instance and chat, in the order they were sent. */
  const inbound: Array<{ instanceId: string; chat: string; id: string }> = [];

  async function receive(instanceId: string, n: number): Promise<void> {
    const chat = CHATS[n % CHATS.length];
    const id = await receiveMessage(server, user, instanceId, { from: chat, text: `message ${n}` });
    inbound.push({ instanceId, chat, id });
  }

  async function status() {
    const res = await server.request('GET', '/api/db/status', { as: server.admin });
    expect(res.status).toBe(200);
    return res.body as { provider: string; url: string; healthy: boolean; counts: Record<string, number> };
  }

  /** Switches while two instances keep receiving messages, before, during and after the copy. */
  async function switchUnderTraffic(provider: string) {
    let done = false;
    let duringSwitch = 0;
    let n = inbound.length;
    const traffic = (async () => {
      for (let sent = 0; !done || sent < 10; sent++) {
        await receive(sent % 2 === 0 ? hooked.id : quiet.id, n++);
        if (!done) duringSwitch += 1;
      }
    })();
    const res = await server.request('POST', '/api/db/switch', { as: server.admin, body: { provider } });
    done = true;
    await traffic;
    // The copy really overlapped with live traffic (else this test would prove nothing about the gate).
    expect(duringSwitch).toBeGreaterThan(0);
    return res;
  }

  async function historyIds(instanceId: string, chat: string): Promise<Set<string>> {
    const res = await server.request('GET', `/api/instances/${instanceId}/chats/${chat}/messages?limit=1000`, { as: user });
    expect(res.status).toBe(200);
    return new Set((res.body.messages as Array<{ messageId: string }>).map((m) => m.messageId));
  }

  async function expectEveryMessageThere() {
    // An inbound message is stored by the session a moment after the phone sent it.
    await eventually(async () => (await status()).counts.messages === inbound.length + 1, 5000, 'every message stored');
    for (const instanceId of [hooked.id, quiet.id]) {
      for (const chat of CHATS) {
        const ids = await historyIds(instanceId, chat);
        for (const m of inbound.filter((x) => x.instanceId === instanceId && x.chat === chat)) expect(ids.has(m.id)).toBe(true);
      }
    }
    // Every inbound message, and the one sent before the first switch: nothing lost, nothing doubled.
    expect((await status()).counts.messages).toBe(inbound.length + 1);
  }

  async function expectConnected() {
    for (const { id } of [hooked, quiet]) {
      await eventually(async () => (await server.request('GET', `/api/instances/${id}/status`, { as: user })).body.ready === true, 10_000, `${id} connected`);
    }
  }

  async function pendingDeliveries(): Promise<number> {
    const res = await server.request('GET', `/api/instances/${hooked.id}/webhook/deliveries?status=pending&limit=1`, { as: user });
    return res.body.pagination.total as number;
  }

  beforeAll(async () => {
    database = await target.fresh();
    server = await startServer({ env: { [target.variable]: database.url } });
    receiver = await Receiver.start();
    await receiver.down();
    user = await createUser(server);
    other = await createUser(server);
    hooked = await linkInstance(server, user, { body: { webhookUrl: receiver.url(), webhookEnabled: true, maxRetries: 100, retryInterval: 100 } });
    quiet = await linkInstance(server, user);
    for (let n = 0; n < 12; n++) await receive(n % 2 === 0 ? hooked.id : quiet.id, n);
    const sent = await server.request('POST', `/api/whatsapp/${quiet.id}/send`, { as: user, body: { phone: CHATS[0], message: 'sent before the switch' } });
    expect(sent.status).toBe(200);
    const limits = await server.request('PUT', `/api/users/${user.id}/limits`, { as: server.admin, body: { maxInstances: 25 } });
    expect(limits.status).toBe(200);
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    await receiver?.down();
    await database?.drop();
  });

  it('is for admins only', async () => {
    expect((await server.request('GET', '/api/db/status', { as: other })).status).toBe(403);
    expect((await server.request('POST', '/api/db/switch', { as: other, body: { provider: target.provider } })).status).toBe(403);
    expect((await server.request('GET', '/api/db/status')).status).toBe(401);
    expect((await server.request('POST', '/api/db/switch', { body: { provider: target.provider } })).status).toBe(401);
  });

  it('reports the provider, its URL, health and counts', async () => {
    const body = await status();
    expect(body).toMatchObject({ provider: 'sqlite', healthy: true });
    expect(body.url).toMatch(/^file:.*test\.db$/);
    expect(body.counts.users).toBe(3);
    expect(body.counts.instances).toBe(2);
    expect(body.counts.messages).toBe(inbound.length + 1);
  });

  it('refuses unknown and unconfigured providers and answers a switch to the current one as a no-op', async () => {
    const unknown = await server.request('POST', '/api/db/switch', { as: server.admin, body: { provider: 'oracle' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].field).toBe('provider');
    const notSet = target.provider === 'postgres' ? MONGODB : POSTGRES;
    const unconfigured = await server.request('POST', '/api/db/switch', { as: server.admin, body: { provider: notSet.provider } });
    expect(unconfigured.status).toBe(400);
    expect(unconfigured.body.error).toContain(notSet.variable);
    const same = await server.request('POST', '/api/db/switch', { as: server.admin, body: { provider: 'sqlite' } });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ success: true, provider: 'sqlite' });
    expect(same.body.message).toMatch(/already sqlite/);
  });

  it(`moves every record to ${target.provider} while messages keep arriving, and stays there after a restart`, async () => {
    const before = await status();
    expect(await pendingDeliveries()).toBeGreaterThan(0);

    const res = await switchUnderTraffic(target.provider);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: `Database provider switched to ${target.provider}`, provider: target.provider });
    expect(res.body.copied.users).toBe(before.counts.users);
    expect(res.body.copied.authState).toBeGreaterThan(0);
    expect(res.body.copied.limits).toBe(before.counts.limits);

    const after = await status();
    expect(after).toMatchObject({ provider: target.provider, healthy: true });
    expect(after.url.startsWith(`${target.provider}:`)).toBe(true);
    for (const name of ['users', 'instances', 'webhookSettings', 'limits']) expect(after.counts[name]).toBe(before.counts[name]);
    for (const name of ['events', 'usage', 'activity', 'contacts']) expect(after.counts[name]).toBeGreaterThanOrEqual(before.counts[name]);
    await expectEveryMessageThere();
    await expectConnected();

    // The receiver comes back: what queued up on SQLite, and during the switch, goes out from the new provider.
    await receiver.up();
    await eventually(async () => (await pendingDeliveries()) === 0, 20_000, 'pending deliveries drained');
    const delivered = new Set(receiver.of('message_received').map((h) => h.body.data?.messageId));
    for (const m of inbound.filter((x) => x.instanceId === hooked.id)) expect(delivered.has(m.id)).toBe(true);

    server = await server.restart();
    const restarted = await status();
    expect(restarted.provider).toBe(target.provider);
    await expectEveryMessageThere();
    await expectConnected();
  }, 60_000);

  it('moves everything back to SQLite the same way', async () => {
    const before = await status();
    const res = await switchUnderTraffic('sqlite');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, provider: 'sqlite' });
    const after = await status();
    expect(after.provider).toBe('sqlite');
    for (const name of ['users', 'instances', 'webhookSettings', 'limits']) expect(after.counts[name]).toBe(before.counts[name]);
    await expectEveryMessageThere();
    await expectConnected();

    server = await server.restart();
    expect((await status()).provider).toBe('sqlite');
    await expectConnected();
    await receive(hooked.id, inbound.length);
    await expectEveryMessageThere();
    await eventually(async () => (await pendingDeliveries()) === 0, 20_000, 'deliveries after the switch back');
  }, 60_000);

  it(`carries the webhook outbox both ways: delivered, failed and pending deliveries list the same on ${target.provider}`, async () => {
    const strict = await linkInstance(server, user, { body: { webhookUrl: receiver.url(), webhookEnabled: true, maxRetries: 0, retryInterval: 100 } });
    const deliveries = async (instanceId: string, status = '') => {
      const res = await server.request('GET', `/api/instances/${instanceId}/webhook/deliveries?limit=100${status && `&status=${status}`}`, { as: user });
      expect(res.status).toBe(200);
      return res.body.deliveries as Array<{ id: string; eventId: string; event: string; status: string; deliveredAt: string | null; lastStatusCode: number | null }>;
    };
    // The receiver is up since the first switch.
    for (let n = 0; n < 2; n++) await receive(strict.id, inbound.length);
    // Its qr_received and connected are delivered too: wait for the two messages themselves.
    const deliveredMessages = async () => (await deliveries(strict.id, 'delivered')).filter((d) => d.event === 'message_received').length;
    await eventually(async () => (await deliveredMessages()) === 2, 10_000, 'delivered before the switch');
    await receiver.down();
    await receive(strict.id, inbound.length);
    await eventually(async () => (await deliveries(strict.id, 'failed')).length === 1, 10_000, 'given up before the switch');
    for (let n = 0; n < 2; n++) await receive(hooked.id, inbound.length);
    await eventually(async () => (await pendingDeliveries()) >= 2, 10_000, 'queued before the switch');
    const seen = async () => ({
      strict: (await deliveries(strict.id)).map(({ id, eventId, status, deliveredAt, lastStatusCode }) => ({ id, eventId, status, deliveredAt, lastStatusCode })),
      hooked: (await deliveries(hooked.id)).map(({ id, eventId, status }) => ({ id, eventId, status })),
    });
    const before = await seen();

    for (const provider of [target.provider, 'sqlite']) {
      const res = await server.request('POST', '/api/db/switch', { as: server.admin, body: { provider } });
      expect(res.status).toBe(200);
      expect(res.body.copied.webhookCursors).toBeGreaterThan(0);
      expect(await seen()).toEqual(before);
    }
    await receiver.up();
    await eventually(async () => (await pendingDeliveries()) === 0, 20_000, 'the queue drained after the switches');
  }, 60_000);
}

describe('database switch to an unreachable server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { POSTGRES_URL: 'postgres://gateway:very-secret-pw@127.0.0.1:1/nowhere' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 503 naming the variable, never the password, and stays on the old provider', async () => {
    const res = await server.request('POST', '/api/db/switch', { as: server.admin, body: { provider: 'postgres' } });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatch(/POSTGRES_URL/);
    expect(res.body.error).toMatch(/unreachable/);
    expect(JSON.stringify(res.body)).not.toContain('very-secret-pw');
    const status = await server.request('GET', '/api/db/status', { as: server.admin });
    expect(status.body).toMatchObject({ provider: 'sqlite', healthy: true });
  });
});
