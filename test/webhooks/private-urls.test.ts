import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../src/core/url-guard.js';
import { createInstance, createUser, eventually, startServer, type TestServer, type TestUser } from '../support/app.js';
import { Receiver } from './receiver.js';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await Receiver.start();
});
afterAll(() => receiver.down());

async function failedDelivery(server: TestServer, user: TestUser, instanceId: string, eventId: string) {
  return eventually(async () => {
    const res = await server.request('GET', `/api/instances/${instanceId}/webhook/deliveries?status=failed`, { as: user });
    return res.body.deliveries?.find((d: { eventId: string }) => d.eventId === eventId);
  }, 5000, 'a failed delivery');
}

describe('webhooks with ALLOW_PRIVATE_URLS=false', () => {
  let server: TestServer;
  let user: TestUser;
  beforeAll(async () => {
    server = await startServer({ env: { ALLOW_PRIVATE_URLS: 'false' } });
    user = await createUser(server);
  });
  afterAll(() => server.close());

  it('refuses a loopback URL when it is set', async () => {
    const res = await server.request('POST', '/api/instances', { as: user, body: { name: 'x', webhookUrl: receiver.url(), webhookEnabled: true } });
    expect(res.status).toBe(400);
    expect(res.body.details).toContainEqual({ field: 'webhookUrl', message: expect.stringMatching(/private/) });
  });

  it('refuses IPv6 literals that embed a private IPv4 address, the IPv4-compatible ::/96 form too', async () => {
    for (const host of ['[::127.0.0.1]', '[::10.0.0.1]', '[::ffff:127.0.0.1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::]']) {
      const res = await server.request('POST', '/api/instances', { as: user, body: { name: 'x', webhookUrl: `http://${host}/hook`, webhookEnabled: true } });
      expect(res.status, host).toBe(400);
      expect(res.body).toEqual({
        error: 'webhookUrl points to a private or loopback address, which this server does not call',
        details: [{ field: 'webhookUrl', message: 'private and loopback addresses are not allowed (ALLOW_PRIVATE_URLS=false)' }],
      });
    }
  });

  it('refuses at send time a hostname that resolves to a private address, and records why', async () => {
    // This machine's own name passes the check on the URL's text but resolves to a local address.
    const name = hostname();
    const addresses = await lookup(name, { all: true });
    expect(addresses.every((a) => !isPublicAddress(a.address)), `${name} should resolve to a private address`).toBe(true);
    const port = new URL(receiver.url()).port;
    const instance = await createInstance(server, user, { webhookUrl: `http://${name}:${port}/hook`, webhookEnabled: true, maxRetries: 0 });
    const event = await server.ctx.services.events.append(instance.id, 'connected', {});

    const failed = await failedDelivery(server, user, instance.id, event.id);
    expect(failed).toMatchObject({ event: 'connected', attempts: 1, lastStatusCode: null, lastError: expect.stringMatching(/resolves to a private or loopback address/) });
    expect(receiver.received.filter((h) => h.body.data.instanceId === instance.id)).toEqual([]);
  });
});

describe('a private URL stored while allowed, sent after ALLOW_PRIVATE_URLS was turned off', () => {
  it('is refused and recorded, not sent', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wa-webhooks-'));
    try {
      const allowed = await startServer({ dataDir, env: { ALLOW_PRIVATE_URLS: 'true' } });
      const user = await createUser(allowed);
      const instance = await createInstance(allowed, user, { webhookUrl: receiver.url(), webhookEnabled: true, maxRetries: 0 });
      await allowed.close();

      const strict = await startServer({ dataDir, env: { ALLOW_PRIVATE_URLS: 'false' } });
      try {
        const login = await strict.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
        const again = { ...user, token: login.body.token };
        const event = await strict.ctx.services.events.append(instance.id, 'connected', {});
        const failed = await failedDelivery(strict, again, instance.id, event.id);
        expect(failed.lastError).toMatch(/points to a private or loopback address/);
        expect(receiver.received.filter((h) => h.body.data.instanceId === instance.id)).toEqual([]);
      } finally {
        await strict.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
