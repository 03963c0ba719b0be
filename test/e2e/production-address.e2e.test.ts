import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/app.js';
import { controlClient, Netns, NetnsGateway, RUN_NETNS_TESTS } from '../support/netns.js';

/**
 * The Baileys engine the way users run it: `src/server.ts` configured by its environment alone,
 * with no WA_WEBSOCKET_URL, in a network namespace (no route out, no DNS server) so the outcome
 * does not depend on this machine's network. See docs/BAILEYS-EMULATOR.md, "WhatsApp's own address".
 */
type Activity = { action: string; details: Record<string, unknown> };

async function activity(gateway: NetnsGateway, id: string, actions: string): Promise<Activity[]> {
  const res = await gateway.request('GET', `/api/instances/${id}/activity?actions=${actions}`, { as: gateway.admin });
  expect(res.status).toBe(200);
  return res.body.logs;
}

async function firstDisconnect(gateway: NetnsGateway, id: string): Promise<Activity> {
  return eventually(async () => (await activity(gateway, id, 'disconnected'))[0], 20_000, 'the first disconnect');
}

async function createInstance(gateway: NetnsGateway): Promise<string> {
  const res = await gateway.request('POST', '/api/instances', { as: gateway.admin, body: { name: 'alice-phone' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.engine).toBe('baileys');
  return res.body.id;
}

describe.runIf(RUN_NETNS_TESTS)('with no emulator variables', () => {
  let ns: Netns;
  let gateway: NetnsGateway;
  beforeAll(async () => {
    ns = Netns.create();
    gateway = await NetnsGateway.start(ns, {});
  }, 120_000);
  afterAll(async () => {
    try {
      await gateway?.stop();
    } finally {
      await ns?.remove();
    }
  });

  it("reaches for web.whatsapp.com, and says so as a network problem when it cannot be found", async () => {
    const id = await createInstance(gateway);
    const dns = /^Cannot reach web\.whatsapp\.com: DNS lookup failed \(getaddrinfo (ENOTFOUND|EAI_AGAIN) web\.whatsapp\.com\)$/;
    const first = await firstDisconnect(gateway, id);
    expect(first.details).toMatchObject({ reason: 'network' });
    expect(first.details.message).toMatch(dns);

    const status = await gateway.request('GET', `/api/instances/${id}/status`, { as: gateway.admin });
    expect(status.body.status).toBe('reconnecting');
    expect(status.body.connectionDetails.lastDisconnect.reason).toBe('network');
    expect(status.body.connectionDetails.lastDisconnect.message).toMatch(dns);

    const reconnect = await gateway.request('POST', `/api/instances/${id}/reconnect`, { as: gateway.admin });
    expect(reconnect.status).toBe(502);
    expect(reconnect.body.success).toBe(false);
    expect(reconnect.body.message).toMatch(new RegExp(`^Instance ${id} did not reconnect: Cannot reach web\\.whatsapp\\.com: DNS lookup failed .*\\(network; it keeps retrying with backoff\\)$`));

    const logs = gateway.logLines();
    expect(logs.filter((l) => Number(l.level) >= 50)).toEqual([]);
    expect(JSON.stringify(logs)).not.toContain('bad_session');
  });
});

describe.runIf(RUN_NETNS_TESTS)("the emulator at WhatsApp's own address", () => {
  let ns: Netns;
  let rootPublicKey: string;
  let caPath: string;
  let control: ReturnType<typeof controlClient>;
  const gateways: NetnsGateway[] = [];

  beforeAll(async () => {
    ns = Netns.create({ 'web.whatsapp.com': '127.0.0.1' });
    // A test CA, and a certificate it signs for web.whatsapp.com: what a TLS client checks.
    const ca = await generate([{ name: 'commonName', value: 'Gateway test CA' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }],
    });
    const leaf = await generate([{ name: 'commonName', value: 'web.whatsapp.com' }], {
      keySize: 2048,
      algorithm: 'sha256',
      ca: { key: ca.private, cert: ca.cert },
      extensions: [{ name: 'basicConstraints', cA: false }, { name: 'subjectAltName', altNames: [{ type: 2, value: 'web.whatsapp.com' }] }],
    });
    const tls = path.join(ns.dir, 'tls');
    mkdirSync(tls);
    caPath = path.join(tls, 'ca.pem');
    writeFileSync(caPath, ca.cert);
    writeFileSync(path.join(tls, 'tls.key'), leaf.private);
    writeFileSync(path.join(tls, 'tls.pem'), leaf.cert);
    const controlSocket = path.join(ns.dir, 'control.sock');
    ({ rootPublicKey = '' } = await ns.startFixture(['--emulator', tls, '--control', controlSocket]));
    control = controlClient(controlSocket);
  }, 120_000);
  afterAll(async () => {
    try {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
      await control?.close();
    } finally {
      await ns?.remove();
    }
  });

  async function linkByQr(gateway: NetnsGateway): Promise<void> {
    const before = (await control.call<{ connections: number }>('GET', '/')).connections;
    const id = await createInstance(gateway);
    const qr = await eventually(async () => {
      const res = await gateway.request('GET', `/api/instances/${id}/qr`, { as: gateway.admin });
      return res.status === 200 ? (res.body.qrCode as string) : undefined;
    }, 20_000, 'a QR code').catch(async (error: Error) => {
      const logs = (await gateway.request('GET', `/api/instances/${id}/activity`, { as: gateway.admin })).body.logs;
      throw new Error(`${error.message}; activity: ${JSON.stringify(logs)}; log: ${readFileSync(gateway.logPath, 'utf8').slice(-3000)}`);
    });
    const { jid } = await control.call<{ jid: string }>('POST', '/scan', { qr });
    const status = await eventually(async () => {
      const res = await gateway.request('GET', `/api/instances/${id}/status`, { as: gateway.admin });
      return res.body.ready === true && res.body;
    }, 20_000, 'connected');
    expect(status).toMatchObject({ status: 'connected', connectionDetails: { ready: true, status: 'connected', hasQr: false } });
    const instance = await gateway.request('GET', `/api/instances/${id}`, { as: gateway.admin });
    expect(instance.body.phone).toBe(jid.replace(/:\d+@/, '@'));
    // The QR connection, and the login after pairing's 515 restart.
    expect((await control.call<{ connections: number }>('GET', '/')).connections).toBeGreaterThanOrEqual(before + 2);
  }

  it("verifies web.whatsapp.com's TLS certificate: one no trusted CA signed is a network problem", async () => {
    const gateway = await NetnsGateway.start(ns, {});
    gateways.push(gateway);
    const id = await createInstance(gateway);
    const first = await firstDisconnect(gateway, id);
    expect(first.details).toEqual({
      reason: 'network',
      // Node 24 appends a hint about --use-system-ca to the same error.
      message: expect.stringMatching(/^Cannot reach web\.whatsapp\.com: its TLS certificate is not trusted \(unable to verify the first certificate(;[^)]*)?\)$/),
    });
    await gateway.stop();
  });

  it('links a phone by QR code in the production configuration, with no WA_* variable at all', async () => {
    const gateway = await NetnsGateway.start(ns, { NODE_EXTRA_CA_CERTS: caPath });
    gateways.push(gateway);
    await linkByQr(gateway);
    expect(gateway.logLines().some((l) => String(l.msg).includes('TEST ONLY'))).toBe(false);
    await gateway.stop();
  });

  it('links with the emulator root key as the only hook (no WA_WEBSOCKET_URL)', async () => {
    const gateway = await NetnsGateway.start(ns, { NODE_EXTRA_CA_CERTS: caPath, WA_EMULATOR_ENABLED: 'true', WA_EMULATOR_ROOT_KEY: rootPublicKey });
    gateways.push(gateway);
    await linkByQr(gateway);
    expect(gateway.logLines().some((l) => String(l.msg).includes('TEST ONLY')), readFileSync(gateway.logPath, 'utf8')).toBe(true);
  });
});
