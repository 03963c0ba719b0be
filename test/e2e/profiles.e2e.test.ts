import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppEmulator } from '../../emulator/emulator.js';
import { createInstance, createUser, eventually, startServer, type TestServer, type TestUser } from '../support/app.js';

const PEER = '79001234567';
const PEER_JID = `${PEER}@s.whatsapp.net`;
/** A real 1×1 PNG: Baileys makes a JPEG of the picture with sharp, which must be able to read it. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/**
 * Profiles and blocking through our HTTP API on the real Baileys engine against the WhatsApp
 * emulator: what the emulated server keeps is what the API set.
 */
describe('profiles and blocking through the API on Baileys against the WhatsApp emulator', () => {
  let emulator: WhatsAppEmulator;
  let server: TestServer;
  let user: TestUser;
  let id: string;

  beforeAll(async () => {
    emulator = await WhatsAppEmulator.start();
    emulator.addPeer(PEER, 'Ivan');
    emulator.setPeerProfile(PEER, { about: 'Out fishing', picture: PNG });
    server = await startServer({
      env: { WA_EMULATOR_ENABLED: 'true', WA_WEBSOCKET_URL: emulator.url, WA_EMULATOR_ROOT_KEY: emulator.rootPublicKey, WA_EMULATOR_MEDIA_CA: emulator.mediaCaPath },
    });
    user = await createUser(server);
    ({ id } = await createInstance(server, user, { name: 'Profiles e2e', engine: 'baileys' }));
    const qr = await eventually(async () => {
      const res = await server.request('GET', `/api/instances/${id}/qr`, { as: user });
      return res.status === 200 && (res.body.qrCode as string);
    }, 10_000, 'a QR code');
    await emulator.scanQr(qr);
    await eventually(async () => (await server.request('GET', `/api/instances/${id}/status`, { as: user })).body.ready === true, 10_000, 'connected');
    await eventually(async () => (await server.request('GET', `/api/instances/${id}`, { as: user })).body.phone === `${emulator.defaultPhone}@s.whatsapp.net`, 5000, 'phone stored');
  });

  afterAll(async () => {
    await server?.close();
    await emulator?.close();
  });

  const call = (method: 'GET' | 'POST' | 'PUT', path: string, body?: Record<string, unknown>) => server.request(method, `/api/whatsapp/${id}/${path}`, { as: user, body });

  it("reads a peer's about and picture, and exists: false for a number that is no account", async () => {
    const res = await call('GET', `profile/+${PEER}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ jid: PEER_JID, exists: true, about: 'Out fishing' });
    expect(res.body.pictureUrl).toMatch(/^https:\/\//);
    expect((await call('GET', 'profile/79001230000')).body).toEqual({ jid: '79001230000@s.whatsapp.net', exists: false });
  });

  it("sets the account's name, about and picture: the emulated server keeps them and the answer shows them", async () => {
    const res = await call('PUT', 'profile', { name: 'Gateway', about: 'Automated', picture: { base64: PNG.toString('base64'), mimeType: 'image/png' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ jid: `${emulator.defaultPhone}@s.whatsapp.net`, exists: true, name: 'Gateway', about: 'Automated' });
    expect(res.body.pictureUrl).toMatch(/^https:\/\//);
    const kept = emulator.accountProfile();
    expect(kept).toMatchObject({ name: 'Gateway', about: 'Automated' });
    // WhatsApp keeps a square JPEG of the picture.
    expect(kept.picture?.subarray(0, 3)).toEqual(Buffer.from('ffd8ff', 'hex'));
  });

  it('blocks and unblocks the peer on the server, and lists it by phone meanwhile', async () => {
    expect((await call('POST', 'block', { phone: PEER })).body).toEqual({ jid: PEER_JID, phone: PEER, blocked: true });
    expect(emulator.blocklist()).toEqual([PEER_JID]);
    expect((await call('GET', 'blocklist')).body).toEqual({ blocked: [{ jid: PEER_JID, phone: PEER }] });
    const refused = await call('POST', 'send', { phone: PEER, message: 'while blocked' });
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body.details).toEqual([{ field: 'phone', message: expect.stringContaining('unblock it first') }]);
    expect((await call('POST', 'unblock', { phone: PEER })).body).toMatchObject({ blocked: false });
    expect(emulator.blocklist()).toEqual([]);
    expect((await call('GET', 'blocklist')).body).toEqual({ blocked: [] });
    expect((await call('POST', 'send', { phone: PEER, message: 'unblocked' })).status).toBe(200);
  });

  it('answers 404 naming phone for blocking a number that is no WhatsApp account', async () => {
    const res = await call('POST', 'block', { phone: '79001230000' });
    expect(res.status, JSON.stringify(res.body)).toBe(404);
    expect(res.body.details).toEqual([{ field: 'phone', message: 'is not a WhatsApp account' }]);
    expect(emulator.blocklist()).toEqual([]);
  });
});
