import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, eventually, linkInstance, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  server = await startServer();
  alice = await createUser(server);
  bob = await createUser(server);
});
afterAll(() => server.close());

const specBody = {
  name: '주요 WhatsApp',
  description: '회사 계정',
  webhookUrl: 'https://example.com/webhook',
  webhookEnabled: true,
  notifyReceived: true,
  notifySent: true,
  notifyDelivery: false,
  notifyRead: false,
  maxRetries: 3,
  retryInterval: 60000,
  webhookSecret: 'optional-secret-key',
  headers: { 'Custom-Header': 'custom-value' },
};

describe('POST /api/instances', () => {
  it('creates an instance with the spec body and answers 201 with the spec shape', async () => {
    const res = await server.request('POST', '/api/instances', { as: { apiKey: alice.apiKey }, body: specBody });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: '주요 WhatsApp',
      description: '회사 계정',
      userId: alice.id,
      webhookUrl: 'https://example.com/webhook',
      webhookEnabled: true,
      engine: 'simulator',
    });
    expect(typeof res.body.id).toBe('string');
    expect(typeof res.body.status).toBe('string');
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
    expect(res.body).not.toHaveProperty('webhookSecret');
  });

  it('applies the spec defaults to webhook settings', async () => {
    const created = await createInstance(server, alice, { name: 'defaults' });
    const res = await server.request('GET', `/api/instances/${created.id}`, { as: alice });
    expect(res.body.webhookSettings).toEqual({
      instanceId: created.id,
      notifyReceived: true,
      notifySent: true,
      notifyDelivery: false,
      notifyRead: false,
      maxRetries: 3,
      retryInterval: 60000,
      secret: null,
      headers: {},
      events: null,
    });
    expect(res.body.webhookEnabled).toBe(false);
  });

  it('answers 400 naming the field for missing, wrong-typed and invalid fields', async () => {
    const missing = await server.request('POST', '/api/instances', { as: alice, body: { description: 'no name' } });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toContainEqual({ field: 'name', message: 'is required' });
    const wrongType = await server.request('POST', '/api/instances', { as: alice, body: { name: 'x', maxRetries: 'three' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.details[0].field).toBe('maxRetries');
    const badUrl = await server.request('POST', '/api/instances', { as: alice, body: { name: 'x', webhookUrl: 'ftp://example.com/hook' } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.details[0].field).toBe('webhookUrl');
    const badEngine = await server.request('POST', '/api/instances', { as: alice, body: { name: 'x', engine: 'selenium' } });
    expect(badEngine.status).toBe(400);
    expect(badEngine.body.details[0].field).toBe('engine');
    const blank = await server.request('POST', '/api/instances', { as: alice, body: { name: '   ' } });
    expect(blank.status).toBe(400);
  });

  it('refuses private webhook URLs unless the operator allows them', async () => {
    const strict = await startServer({ env: { ALLOW_PRIVATE_URLS: 'false' } });
    try {
      for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://10.1.2.3/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest']) {
        const res = await strict.request('POST', '/api/instances', { as: strict.admin, body: { name: 'x', webhookUrl: url } });
        expect(res.status, url).toBe(400);
        expect(res.body.details[0].field).toBe('webhookUrl');
      }
      const ok = await strict.request('POST', '/api/instances', { as: strict.admin, body: { name: 'x', webhookUrl: 'https://example.com/hook' } });
      expect(ok.status).toBe(201);
    } finally {
      await strict.close();
    }
  });
});

describe('GET /api/instances', () => {
  it('lists only the caller’s instances, with connectionStatus and no secrets', async () => {
    const mine = await createInstance(server, bob, { name: 'bob-1', webhookSecret: 'bob-secret' });
    const res = await server.request('GET', '/api/instances', { as: bob });
    expect(res.status).toBe(200);
    expect(res.body.instances.map((i: { id: string }) => i.id)).toEqual([mine.id]);
    expect(res.body.instances[0].connectionStatus).toEqual({ ready: expect.any(Boolean), status: expect.any(String), hasQr: expect.any(Boolean) });
    expect(JSON.stringify(res.body)).not.toContain('bob-secret');
  });

  it('lists every instance for an admin', async () => {
    const res = await server.request('GET', '/api/instances', { as: server.admin });
    const owners = new Set(res.body.instances.map((i: { userId: string }) => i.userId));
    expect(owners.has(alice.id) && owners.has(bob.id)).toBe(true);
  });

  it('names the engine a new instance gets when none is asked for', async () => {
    const res = await server.request('GET', '/api/instances', { as: bob });
    expect(res.body.defaultEngine).toBe('simulator');
    const made = await server.request('POST', '/api/instances', { as: bob, body: { name: 'default-engine' } });
    expect(made.body.engine).toBe(res.body.defaultEngine);
  });
});

describe('GET /api/instances/:id and /status', () => {
  it('returns the instance with webhookSettings (secret included for its owner) and connectionStatus', async () => {
    const created = await createInstance(server, alice, specBody);
    const res = await server.request('GET', `/api/instances/${created.id}`, { as: alice });
    expect(res.status).toBe(200);
    expect(res.body.webhookSettings).toMatchObject({ secret: 'optional-secret-key', headers: { 'Custom-Header': 'custom-value' } });
    const status = await server.request('GET', `/api/instances/${created.id}/status`, { as: alice });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ instanceId: created.id, status: expect.any(String), ready: expect.any(Boolean), hasQr: expect.any(Boolean) });
    expect(status.body.connectionDetails).toEqual({ ready: status.body.ready, status: status.body.status, hasQr: status.body.hasQr });
  });
});

describe('lastActivity', () => {
  it('moves with every sent and received message at once, though the store keeps it at most once a minute', async () => {
    let now = Date.parse('2026-03-01T10:00:00.000Z');
    const clocked = await startServer({ clock: () => now });
    try {
      const user = await createUser(clocked);
      const { id } = await linkInstance(clocked, user, { phone: '79001112233' });
      const shown = async () => {
        const detail = await clocked.request('GET', `/api/instances/${id}`, { as: user });
        const status = await clocked.request('GET', `/api/instances/${id}/status`, { as: user });
        expect(status.body.lastActivity).toBe(detail.body.lastActivity);
        return detail.body.lastActivity as string;
      };
      expect(await shown()).toBe('2026-03-01T10:00:00.000Z');

      now += 10_000;
      const sent = await clocked.request('POST', `/api/whatsapp/${id}/send`, { as: { apiKey: user.apiKey }, body: { phone: '79005550001', message: 'hi' } });
      expect(sent.status).toBe(200);
      expect(await shown()).toBe('2026-03-01T10:00:10.000Z');

      now += 10_000;
      await receiveMessage(clocked, user, id, { from: '79005550002', text: 'hello' });
      await eventually(async () => (await shown()) === '2026-03-01T10:00:20.000Z', 5000, 'activity of the received message');
      // Within the minute after connecting, message traffic was not written to the instance row.
      expect((await clocked.ctx.store.instances.findById(id))?.lastActivity).toBe(Date.parse('2026-03-01T10:00:00.000Z'));

      now += 60_000;
      await receiveMessage(clocked, user, id, { from: '79005550002', text: 'a minute later' });
      await eventually(async () => (await clocked.ctx.store.instances.findById(id))?.lastActivity === now, 5000, 'last activity stored');
    } finally {
      await clocked.close();
    }
  });
});

describe('PUT /api/instances/:id', () => {
  it('updates flat fields and webhookSettings partially', async () => {
    const created = await createInstance(server, alice, specBody);
    const res = await server.request('PUT', `/api/instances/${created.id}`, {
      as: alice,
      body: { name: '새 WhatsApp 이름', webhookSettings: { notifySent: false, notifyRead: true, maxRetries: 5, headers: { 'New-Custom-Header': 'new-value' } } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, name: '새 WhatsApp 이름', description: '회사 계정', webhookUrl: 'https://example.com/webhook', webhookEnabled: true });
    const read = await server.request('GET', `/api/instances/${created.id}`, { as: alice });
    expect(read.body.webhookSettings).toMatchObject({
      notifyReceived: true,
      notifySent: false,
      notifyDelivery: false,
      notifyRead: true,
      maxRetries: 5,
      retryInterval: 60000,
      secret: 'optional-secret-key',
      headers: { 'New-Custom-Header': 'new-value' },
    });
  });

  it('removes the secret when set to null', async () => {
    const created = await createInstance(server, alice, specBody);
    await server.request('PUT', `/api/instances/${created.id}`, { as: alice, body: { webhookSettings: { secret: null } } });
    const read = await server.request('GET', `/api/instances/${created.id}`, { as: alice });
    expect(read.body.webhookSettings.secret).toBeNull();
  });

  it('answers 400 for bad values', async () => {
    const created = await createInstance(server, alice);
    const res = await server.request('PUT', `/api/instances/${created.id}`, { as: alice, body: { webhookSettings: { maxRetries: -1 } } });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('webhookSettings.maxRetries');
  });
});

describe('DELETE /api/instances/:id', () => {
  it('deletes the instance', async () => {
    const created = await createInstance(server, alice);
    const res = await server.request('DELETE', `/api/instances/${created.id}`, { as: alice });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, message: `Instance ${created.id} deleted successfully` });
    expect((await server.request('GET', `/api/instances/${created.id}`, { as: alice })).status).toBe(404);
  });
});

describe('ownership', () => {
  it('answers 404 when a user reads, updates or deletes another user’s instance', async () => {
    const alices = await createInstance(server, alice, { name: 'private' });
    expect((await server.request('GET', `/api/instances/${alices.id}`, { as: bob })).status).toBe(404);
    expect((await server.request('GET', `/api/instances/${alices.id}/status`, { as: bob })).status).toBe(404);
    expect((await server.request('PUT', `/api/instances/${alices.id}`, { as: bob, body: { name: 'stolen' } })).status).toBe(404);
    expect((await server.request('DELETE', `/api/instances/${alices.id}`, { as: bob })).status).toBe(404);
    const still = await server.request('GET', `/api/instances/${alices.id}`, { as: alice });
    expect(still.body.name).toBe('private');
  });

  it('lets an admin read any instance', async () => {
    const alices = await createInstance(server, alice, { name: 'visible to admin' });
    expect((await server.request('GET', `/api/instances/${alices.id}`, { as: server.admin })).status).toBe(200);
  });

  it('answers 401 without credentials', async () => {
    expect((await server.request('GET', '/api/instances')).status).toBe(401);
  });
});
