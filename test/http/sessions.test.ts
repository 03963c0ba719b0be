import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, eventually, linkInstance, startServer, type TestServer, type TestUser } from '../support/app.js';
import { TEST_POSTGRES_URL } from '../support/postgres.js';

const QR_FORMAT = /^2@[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+$/;

let server: TestServer;
let alice: TestUser;
beforeAll(async () => {
  server = await startServer({ env: { RECONNECT_MAX_ATTEMPTS: '3' } });
  alice = await createUser(server);
});
afterAll(() => server.close());

async function status(id: string, as: TestUser = alice): Promise<string> {
  return (await server.request('GET', `/api/instances/${id}/status`, { as })).body.status;
}

function waitForStatus(id: string, expected: string, as: TestUser = alice): Promise<true> {
  return eventually(async () => (await status(id, as)) === expected, 5000, `status ${expected}`);
}

async function activity(id: string, query = ''): Promise<Array<{ action: string; details: Record<string, unknown> }>> {
  const res = await server.request('GET', `/api/instances/${id}/activity${query}`, { as: alice });
  expect(res.status).toBe(200);
  return res.body.logs;
}

async function events(id: string, types = 'connected,disconnected,qr_received'): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  const res = await server.request('GET', `/api/instances/${id}/events?types=${types}&limit=100`, { as: alice });
  expect(res.status).toBe(200);
  return res.body.events;
}

/** The live status changes first; the change's event and activity rows commit together a moment later. */
function eventsOnceStored(id: string, types: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  return eventually(async () => {
    const feed = await events(id, types);
    return feed.length > 0 && feed;
  }, 5000, `${types} events`);
}

async function disconnect(id: string, body: Record<string, unknown>): Promise<void> {
  const res = await server.request('POST', `/api/simulator/instances/${id}/disconnect`, { as: alice, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('linking by QR code', () => {
  it('shows a QR code, links on scan and then refuses the QR with 409', async () => {
    const { id } = await createInstance(server, alice);
    const qr = await eventually(async () => {
      const res = await server.request('GET', `/api/instances/${id}/qr`, { as: alice });
      expect([200, 202]).toContain(res.status);
      return res.status === 200 ? res.body : undefined;
    });
    expect(qr.qrCode).toMatch(QR_FORMAT);
    expect((await server.request('GET', `/api/whatsapp/${id}/qr`, { as: alice })).body.qrCode).toMatch(QR_FORMAT);

    const png = await server.request('GET', `/api/instances/${id}/qr?format=png`, { as: alice });
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.raw.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const svg = await server.request('GET', `/api/instances/${id}/qr?format=svg`, { as: alice });
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.raw.toString()).toContain('<svg');
    const image = await server.request('GET', `/api/instances/${id}/qr?format=image`, { as: alice });
    expect(image.body.image).toMatch(/^data:image\/png;base64,/);
    expect((await server.request('GET', `/api/instances/${id}/qr?format=gif`, { as: alice })).status).toBe(400);

    expect((await server.request('GET', `/api/whatsapp/${id}/status`, { as: { apiKey: alice.apiKey } })).body).toEqual({ ready: false, status: 'qr', hasQr: true });

    const scan = await server.request('POST', `/api/simulator/instances/${id}/scan`, { as: alice, body: { phone: '+7 900 555 00 11', pushName: 'Alice phone' } });
    expect(scan.status).toBe(200);
    expect(scan.body).toEqual({ success: true, phone: '79005550011@s.whatsapp.net' });
    await waitForStatus(id, 'connected');

    expect((await server.request('GET', `/api/whatsapp/${id}/status`, { as: { apiKey: alice.apiKey } })).body).toEqual({ ready: true, status: 'connected', hasQr: false });
    const detail = await server.request('GET', `/api/instances/${id}`, { as: alice });
    expect(detail.body).toMatchObject({ status: 'connected', phone: '79005550011@s.whatsapp.net', connectionStatus: { ready: true, status: 'connected', hasQr: false } });
    expect(detail.body.lastActivity).toEqual(expect.any(String));

    const again = await server.request('GET', `/api/instances/${id}/qr`, { as: alice });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/already connected/);
    expect((await server.request('POST', `/api/simulator/instances/${id}/scan`, { as: alice, body: {} })).status).toBe(409);

    const logs = await activity(id);
    expect(logs.find((l) => l.action === 'qr_received')?.details).toEqual({ attempt: 1 });
    expect(logs.find((l) => l.action === 'connected')?.details).toMatchObject({ phone: '79005550011@s.whatsapp.net', pushName: 'Alice phone' });
    const feed = await events(id);
    expect(feed.find((e) => e.type === 'qr_received')?.data).toEqual({ instanceId: id, qrCode: expect.stringMatching(QR_FORMAT) });
    expect(feed.find((e) => e.type === 'connected')?.data).toMatchObject({ instanceId: id });
  });

  it('links with a pairing code typed on the phone', async () => {
    const { id } = await createInstance(server, alice);
    await waitForStatus(id, 'qr');
    const bad = await server.request('POST', `/api/instances/${id}/pairing-code`, { as: alice, body: { phone: 'call me' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('phone');

    const res = await server.request('POST', `/api/instances/${id}/pairing-code`, { as: alice, body: { phone: '+7 900 555-22-33' } });
    expect(res.status).toBe(200);
    expect(res.body.code).toMatch(/^[1-9A-Z]{4}-[1-9A-Z]{4}$/);
    const scan = await server.request('POST', `/api/simulator/instances/${id}/scan`, { as: alice, body: {} });
    expect(scan.body.phone).toBe('79005552233@s.whatsapp.net');
    await waitForStatus(id, 'connected');
    expect((await server.request('POST', `/api/instances/${id}/pairing-code`, { as: alice, body: { phone: '79005552233' } })).status).toBe(409);
  });

  it('gives up after six unscanned QR codes and shows a new one only after a reconnect', async () => {
    const quick = await startServer({ env: { SIMULATOR_QR_REFRESH_MS: '100' } });
    try {
      const user = await createUser(quick);
      const { id } = await createInstance(quick, user);
      await eventually(async () => (await quick.request('GET', `/api/instances/${id}/status`, { as: user })).body.status === 'disconnected');
      const qr = await quick.request('GET', `/api/instances/${id}/qr`, { as: user });
      expect(qr.status).toBe(409);
      expect(qr.body.error).toMatch(/reconnect/);
      // The live status changes first; the change's event and activity rows commit a moment later.
      const feed = await eventually(async () => {
        const events = (await quick.request('GET', `/api/instances/${id}/events?types=disconnected`, { as: user })).body.events;
        return events.length > 0 && events;
      }, 5000, 'the disconnected event');
      const logs = (await quick.request('GET', `/api/instances/${id}/activity?actions=qr_received`, { as: user })).body.logs;
      expect(logs.map((l: { details: { attempt: number } }) => l.details.attempt).sort()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(feed.map((e: { data: unknown }) => e.data)).toEqual([{ instanceId: id, reason: 'qr_timeout', willReconnect: false }]);

      expect((await quick.request('POST', `/api/instances/${id}/reconnect`, { as: user })).body).toEqual({ success: true, message: `Instance ${id} reconnected` });
      await eventually(async () => (await quick.request('GET', `/api/instances/${id}/qr`, { as: user })).status === 200);
    } finally {
      await quick.close();
    }
  });
});

describe('disconnects', () => {
  it('reconnects by itself after a lost connection', async () => {
    const { id } = await linkInstance(server, alice);
    await disconnect(id, { reason: 'connection_lost' });
    await waitForStatus(id, 'connected');
    const feed = await events(id, 'connected,disconnected');
    expect(feed.map((e) => [e.type, e.data.reason, e.data.willReconnect])).toEqual([
      ['connected', undefined, undefined],
      ['disconnected', 'connection_lost', true],
      ['connected', undefined, undefined],
    ]);
    const actions = (await activity(id)).map((l) => l.action);
    expect(actions).toEqual(expect.arrayContaining(['disconnected', 'reconnecting']));
    expect(actions.filter((a) => a === 'qr_received')).toHaveLength(1);
  });

  it('fails after the reconnect attempts run out, and comes back on an explicit reconnect without a scan', async () => {
    const { id } = await linkInstance(server, alice);
    await disconnect(id, { reason: 'connection_lost', failReconnects: 3 });
    await waitForStatus(id, 'failed');
    const failed = await activity(id, '?actions=failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].details).toMatchObject({ reason: 'connection_lost', attempts: 3 });
    expect(await activity(id, '?actions=reconnecting')).toHaveLength(3);
    const feed = await events(id, 'disconnected');
    expect(feed.map((e) => e.data.willReconnect)).toEqual([true, false]);
    expect((await server.request('POST', `/api/whatsapp/${id}/send`, { as: alice, body: { phone: '79001234567', message: 'hi' } })).status).toBe(409);

    await server.request('POST', `/api/instances/${id}/reconnect`, { as: alice });
    await waitForStatus(id, 'connected');
  });

  it('202 while reconnecting without a QR code yet', async () => {
    const { id } = await createInstance(server, alice);
    await waitForStatus(id, 'qr');
    await disconnect(id, { reason: 'connection_lost', failReconnects: 1000 });
    await waitForStatus(id, 'reconnecting');
    const res = await server.request('GET', `/api/instances/${id}/qr`, { as: alice });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: 'QR code generation in progress. Please try again in a few seconds.', status: 'generating' });
    await server.request('DELETE', `/api/instances/${id}`, { as: alice });
  });

  it('stays logged out when the phone removes the device', async () => {
    const { id } = await linkInstance(server, alice);
    await disconnect(id, { reason: 'logged_out' });
    await waitForStatus(id, 'logged_out');
    const feed = await eventsOnceStored(id, 'disconnected');
    expect(feed.map((e) => e.data)).toEqual([{ instanceId: id, reason: 'logout', willReconnect: false }]);
    expect(await server.ctx.store.authState.get(id, 'creds', ['creds'])).toEqual({});
    expect((await server.request('GET', `/api/instances/${id}`, { as: alice })).body.phone).toBeNull();
    expect((await activity(id, '?actions=logged_out'))[0].details).toMatchObject({ by: 'phone' });
    expect(await activity(id, '?actions=reconnecting')).toHaveLength(0);
    expect((await server.request('GET', `/api/instances/${id}/qr`, { as: alice })).status).toBe(409);

    await server.request('POST', `/api/instances/${id}/reconnect`, { as: alice });
    await eventually(async () => (await server.request('GET', `/api/instances/${id}/qr`, { as: alice })).status === 200);
  });

  it('does not fight another client over the session (conflict)', async () => {
    const { id } = await linkInstance(server, alice);
    await disconnect(id, { reason: 'conflict' });
    await waitForStatus(id, 'disconnected');
    const feed = await eventsOnceStored(id, 'disconnected');
    expect(feed.map((e) => e.data)).toEqual([{ instanceId: id, reason: 'conflict', willReconnect: false }]);
    expect(await activity(id, '?actions=reconnecting')).toHaveLength(0);
  });
});

describe('logout', () => {
  it('unlinks the device and wipes its credentials', async () => {
    const { id } = await linkInstance(server, alice);
    const res = await server.request('POST', `/api/instances/${id}/logout`, { as: alice });
    expect(res.body).toEqual({ success: true, message: `Instance ${id} logged out` });
    expect(await status(id)).toBe('logged_out');
    expect(await server.ctx.store.authState.get(id, 'creds', ['creds'])).toEqual({});
    expect((await activity(id, '?actions=logged_out'))[0].details).toEqual({ by: 'api' });
    expect((await events(id, 'disconnected')).map((e) => e.data.reason)).toEqual(['logout']);

    const other = await linkInstance(server, alice);
    expect((await server.request('POST', `/api/whatsapp/${other.id}/logout`, { as: { apiKey: alice.apiKey } })).body).toEqual({ success: true });
    expect(await status(other.id)).toBe('logged_out');
  });

  it('DELETE logs the device out and stops the session', async () => {
    const { id, jid } = await linkInstance(server, alice);
    expect((await server.request('DELETE', `/api/instances/${id}`, { as: alice })).status).toBe(200);
    // The phone number is free again: nothing of the deleted session is online.
    const next = await linkInstance(server, alice, { phone: jid.split('@')[0] });
    expect(next.jid).toBe(jid);
  });
});

describe('activity log', () => {
  it('filters by action and date and pages', async () => {
    const { id } = await linkInstance(server, alice);
    const all = await server.request('GET', `/api/instances/${id}/activity`, { as: alice });
    expect(all.body.pagination).toMatchObject({ limit: 100, skip: 0, hasMore: false });
    expect(all.body.logs[0]).toEqual({ id: expect.any(String), instanceId: id, action: expect.any(String), details: expect.any(Object), createdAt: expect.any(String) });

    const page = await server.request('GET', `/api/instances/${id}/activity?limit=1`, { as: alice });
    expect(page.body.logs).toHaveLength(1);
    expect(page.body.pagination).toMatchObject({ total: all.body.pagination.total, limit: 1, hasMore: true });

    const filtered = await activity(id, '?actions=connected,qr_received');
    expect(new Set(filtered.map((l) => l.action))).toEqual(new Set(['connected', 'qr_received']));
    expect(await activity(id, `?startDate=${new Date(Date.now() + 60_000).toISOString()}`)).toHaveLength(0);
    expect((await activity(id, `?endDate=${new Date().toISOString()}`)).length).toBe(all.body.pagination.total);

    const bad = await server.request('GET', `/api/instances/${id}/activity?startDate=yesterday`, { as: alice });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('startDate');
  });
});

const providers: Array<'sqlite' | 'postgres'> = TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

for (const provider of providers) {
  describe(`restart on ${provider}`, () => {
    it('reconnects linked instances without a new scan', async () => {
      let current = await startServer({ provider });
      try {
        const user = await createUser(current);
        const a = await linkInstance(current, user);
        const b = await linkInstance(current, user);
        const waiting = await createInstance(current, user);
        current = await current.restart();
        for (const { id, jid } of [a, b]) {
          await eventually(async () => (await current.request('GET', `/api/instances/${id}/status`, { as: user })).body.ready === true);
          expect((await current.request('GET', `/api/instances/${id}`, { as: user })).body.phone).toBe(jid);
          const qrs = (await current.request('GET', `/api/instances/${id}/activity?actions=qr_received`, { as: user })).body.logs;
          expect(qrs).toHaveLength(1);
        }
        // An unlinked instance is not restored: it waits for a reconnect instead of showing stale state.
        expect((await current.request('GET', `/api/instances/${waiting.id}/status`, { as: user })).body.status).toBe('disconnected');
      } finally {
        await current.close();
      }
    });
  });
}

describe('ownership', () => {
  it("answers 404 for another user's instance on every route", async () => {
    const bob = await createUser(server);
    const { id } = await createInstance(server, alice);
    const routes: Array<[string, string, unknown?]> = [
      ['POST', `/api/instances/${id}/reconnect`],
      ['POST', `/api/instances/${id}/logout`],
      ['GET', `/api/instances/${id}/qr`],
      ['GET', `/api/instances/${id}/activity`],
      ['POST', `/api/instances/${id}/pairing-code`, { phone: '79001234567' }],
      ['GET', `/api/whatsapp/${id}/qr`],
      ['GET', `/api/whatsapp/${id}/status`],
      ['POST', `/api/whatsapp/${id}/logout`],
      ['POST', `/api/simulator/instances/${id}/scan`, {}],
      ['POST', `/api/simulator/instances/${id}/inbound`, { from: '79001234567', text: 'hi' }],
      ['POST', `/api/simulator/instances/${id}/disconnect`, { reason: 'conflict' }],
    ];
    for (const [method, url, body] of routes) {
      const res = await server.request(method, url, { as: bob, body });
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.error).toMatch(/not found/);
      expect((await server.request(method, url, { body })).status, `${method} ${url} without auth`).toBe(401);
    }
    expect((await server.request('GET', `/api/instances/${id}/activity`, { as: server.admin })).status).toBe(200);
    expect(await status(id)).not.toBe('logged_out');
  });
});
