import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventually, linkInstance, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';

/*
 * Issue 18: profiles and blocking on the simulator. Alice acts; Bob is another simulator
 * instance (his profile is his own account's); 79001150009 is a virtual phone whose profile the
 * simulator control API sets.
 */

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 7)]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(64, 3)]);
const VIRTUAL = '79001150009';

let files: Server;
let filesBase: string;
let server: TestServer;
let user: TestUser;
let alice: { id: string; jid: string };
let bob: { id: string; jid: string };
beforeAll(async () => {
  files = createServer((req, res) => {
    if (req.url === '/me.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG);
    if (req.url === '/page.html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<p>not an image</p>');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesBase = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  server = await startServer({ env: { MEDIA_MAX_BYTES: '4096' } });
  user = await createUser(server);
  alice = await linkInstance(server, user, { phone: '79001150001', pushName: 'Alice' });
  bob = await linkInstance(server, user, { phone: '79001150002', pushName: 'Bob' });
});
afterAll(async () => {
  await server.close();
  await new Promise<void>((resolve) => files.close(() => resolve()));
});

const call = (method: 'GET' | 'POST' | 'PUT', path: string, body?: Record<string, unknown>, as: TestUser = user) =>
  server.request(method, `/api/whatsapp/${alice.id}/${path}`, { as, body });
const dataUrl = (mimeType: string, data: Buffer) => `data:${mimeType};base64,${data.toString('base64')}`;
const usage = async () => (await server.request('GET', `/api/stats/instances/${alice.id}`, { as: user })).body.usage;

describe('reading a profile', () => {
  it("shows a virtual phone's name, about and picture, by phone number or phone JID", async () => {
    const set = await server.request('PUT', `/api/simulator/instances/${alice.id}/peers/${VIRTUAL}/profile`, {
      as: user,
      body: { name: 'Vera', about: 'At the gym', picture: { base64: PNG.toString('base64'), mimeType: 'image/png' } },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const expected = { jid: `${VIRTUAL}@s.whatsapp.net`, exists: true, name: 'Vera', about: 'At the gym', pictureUrl: dataUrl('image/png', PNG) };
    expect(set.body).toEqual(expected);
    expect((await call('GET', `profile/+${VIRTUAL}`)).body).toEqual(expected);
    expect((await call('GET', `profile/${VIRTUAL}@s.whatsapp.net`)).body).toEqual(expected);

    const renamed = await server.request('PUT', `/api/simulator/instances/${alice.id}/peers/${VIRTUAL}/profile`, { as: user, body: { about: 'Home' } });
    expect(renamed.body).toMatchObject({ name: 'Vera', about: 'Home' });
  });

  it('shows the name this account knows a peer by, and another instance its own profile', async () => {
    const other = '79001150008';
    await receiveMessage(server, user, alice.id, { from: other, pushName: 'Oleg', text: 'hi' });
    await eventually(async () => (await call('GET', `profile/${other}`)).body.name === 'Oleg', 5000, 'the push name learned');
    expect((await call('GET', `profile/${other}`)).body).toEqual({ jid: `${other}@s.whatsapp.net`, exists: true, name: 'Oleg' });
    expect((await call('GET', `profile/${bob.jid}`)).body).toEqual({ jid: bob.jid, exists: true, name: 'Bob' });
  });

  it('refreshes the stored contact’s name from a profile that has one, keeping every other field', async () => {
    const phone = '79001150031';
    const lid = '205000000150031@lid';
    await receiveMessage(server, user, alice.id, { from: phone, lid, pushName: 'Old push', text: 'hi' });
    await server.request('POST', `/api/instances/${alice.id}/contacts/save`, { as: user, body: { number: phone, about: 'kept from before' } });
    await server.request('PUT', `/api/simulator/instances/${alice.id}/peers/${phone}/profile`, { as: user, body: { name: 'Nora New' } });
    const stored = async () => (await server.request('GET', `/api/instances/${alice.id}/contacts/db?search=${phone}`, { as: user })).body.contacts;

    expect((await call('GET', `profile/${phone}`)).body).toMatchObject({ exists: true, name: 'Nora New' });
    expect(await stored()).toEqual([expect.objectContaining({ remoteJid: `${phone}@s.whatsapp.net`, name: 'Nora New', pushName: 'Old push', lid, about: 'kept from before' })]);
    const updates = async () => (await server.request('GET', `/api/instances/${alice.id}/events?types=contacts_updated&limit=100`, { as: user })).body.events.length;
    const announced = await updates();
    expect(announced).toBeGreaterThan(0);
    await call('GET', `profile/${phone}`);
    expect(await updates(), 'the same name again is no update').toBe(announced);

    const own = alice.jid.split('@')[0];
    expect((await call('GET', `profile/${own}`)).body).toMatchObject({ exists: true, name: 'Alice' });
    const ownContacts = await server.request('GET', `/api/instances/${alice.id}/contacts/db?search=${own}`, { as: user });
    expect(ownContacts.body.contacts, 'our own account is no contact').toEqual([]);
  });

  it('answers exists: false, with 200, for a number that is no WhatsApp account', async () => {
    const res = await call('GET', 'profile/79001230000');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ jid: '79001230000@s.whatsapp.net', exists: false });
  });
});

describe("setting the account's own profile", () => {
  it('sets name, about and a base64 picture, answers the profile, and others see it; nothing counts as sent', async () => {
    const before = await usage();
    const res = await call('PUT', 'profile', { name: 'Alice B.', about: 'Available', picture: { base64: JPEG.toString('base64'), mimeType: 'image/jpeg' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const expected = { jid: alice.jid, exists: true, name: 'Alice B.', about: 'Available', pictureUrl: dataUrl('image/jpeg', JPEG) };
    expect(res.body).toEqual(expected);
    expect((await call('GET', `profile/${alice.jid}`)).body).toEqual(expected);
    const seenByBob = await server.request('GET', `/api/whatsapp/${bob.id}/profile/${alice.jid}`, { as: user });
    expect(seenByBob.body).toMatchObject({ about: 'Available', pictureUrl: dataUrl('image/jpeg', JPEG) });
    expect((await usage()).messagesSent).toBe(before.messagesSent);
  });

  it('fetches a picture by url, and keeps what a later update does not name', async () => {
    const res = await call('PUT', 'profile', { picture: { url: `${filesBase}/me.jpg` } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ name: 'Alice B.', about: 'Available', pictureUrl: dataUrl('image/jpeg', JPEG) });
  });

  it('keeps the profile and blocklist over a restart', async () => {
    await call('PUT', 'profile', { about: 'Kept' });
    await call('POST', 'block', { phone: '79001150007' });
    server = await server.restart();
    await eventually(async () => (await server.request('GET', `/api/instances/${alice.id}/status`, { as: user })).body.ready === true, 5000, 'alice back');
    expect((await call('GET', `profile/${alice.jid}`)).body).toMatchObject({ name: 'Alice B.', about: 'Kept' });
    expect((await call('GET', 'blocklist')).body.blocked).toContainEqual({ jid: '79001150007@s.whatsapp.net', phone: '79001150007' });
    await call('POST', 'unblock', { phone: '79001150007' });
  });

  it('answers 400 for no field, a bad picture or unknown fields', async () => {
    const none = await call('PUT', 'profile', {});
    expect(none.status).toBe(400);
    expect(none.body.error).toContain('name, about, picture');
    const both = await call('PUT', 'profile', { picture: { url: `${filesBase}/me.jpg`, base64: 'AAAA', mimeType: 'image/png' } });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body)).toContain('picture');
    const noType = await call('PUT', 'profile', { picture: { base64: 'AAAA' } });
    expect(noType.status).toBe(400);
    expect(JSON.stringify(noType.body)).toContain('picture.mimeType');
    const notBase64 = await call('PUT', 'profile', { picture: { base64: 'not base64!', mimeType: 'image/png' } });
    expect(notBase64.status).toBe(400);
    expect(JSON.stringify(notBase64.body)).toContain('picture.base64');
    const extra = await call('PUT', 'profile', { name: 'X', nickname: 'Y' });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body)).toContain('nickname');
    const longName = await call('PUT', 'profile', { name: 'N'.repeat(26) });
    expect(longName.status).toBe(400);
    expect(JSON.stringify(longName.body)).toContain('name');
  });

  it('answers 415 naming the allowed types for a picture that is no JPEG, PNG or WebP, and 413 past the size cap', async () => {
    const gif = await call('PUT', 'profile', { picture: { base64: 'R0lGODlh', mimeType: 'image/gif' } });
    expect(gif.status).toBe(415);
    expect(JSON.stringify(gif.body)).toContain('image/jpeg, image/png, image/webp');
    const html = await call('PUT', 'profile', { picture: { url: `${filesBase}/page.html` } });
    expect(html.status).toBe(415);
    expect(JSON.stringify(html.body)).toContain('text/html');
    const big = await call('PUT', 'profile', { picture: { base64: Buffer.alloc(5000).toString('base64'), mimeType: 'image/png' } });
    expect(big.status).toBe(413);
  });
});

describe('blocking', () => {
  it('blocks and unblocks, lists the blocked, refuses sends to them and drops what they send', async () => {
    const blocked = await call('POST', 'block', { phone: `+${bob.jid.split('@')[0]}` });
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(200);
    expect(blocked.body).toEqual({ jid: bob.jid, phone: bob.jid.split('@')[0], blocked: true });
    expect((await call('POST', 'block', { phone: VIRTUAL })).status).toBe(200);
    expect((await call('GET', 'blocklist')).body).toEqual({
      blocked: [
        { jid: bob.jid, phone: bob.jid.split('@')[0] },
        { jid: `${VIRTUAL}@s.whatsapp.net`, phone: VIRTUAL },
      ],
    });

    const before = (await usage()).messagesSent;
    const send = await call('POST', 'send', { phone: bob.jid, message: 'hello?' });
    expect(send.status).toBe(409);
    expect(send.body.error).toContain('unblock');
    expect(send.body.details).toEqual([{ field: 'phone', message: expect.stringMatching(/blocked.*unblock it first/) }]);
    expect((await call('POST', 'send-location', { phone: bob.jid, latitude: 1, longitude: 2 })).status).toBe(409);
    expect((await usage()).messagesSent).toBe(before);
    const inbound = await server.request('POST', `/api/simulator/instances/${alice.id}/inbound`, { as: user, body: { from: VIRTUAL, text: 'let me in' } });
    expect(inbound.status).toBe(409);
    expect(inbound.body.error).toContain('blocks');

    const unblocked = await call('POST', 'unblock', { phone: bob.jid });
    expect(unblocked.body).toEqual({ jid: bob.jid, phone: bob.jid.split('@')[0], blocked: false });
    await call('POST', 'unblock', { phone: VIRTUAL });
    expect((await call('GET', 'blocklist')).body).toEqual({ blocked: [] });
    expect((await call('POST', 'send', { phone: bob.jid, message: 'hello again' })).status).toBe(200);
  });

  it('answers 404 naming phone for a number that is no WhatsApp account, and blocks nothing', async () => {
    const res = await call('POST', 'block', { phone: '79001230000' });
    expect(res.status, JSON.stringify(res.body)).toBe(404);
    expect(res.body.details).toEqual([{ field: 'phone', message: 'is not a WhatsApp account' }]);
    expect((await call('GET', 'blocklist')).body).toEqual({ blocked: [] });
  });

  it('answers 400 naming phone for a group, a LID or no number', async () => {
    for (const phone of ['120363000000000001@g.us', '123456789012345@lid', 'abc']) {
      const res = await call('POST', 'block', { phone });
      expect(res.status, phone).toBe(400);
      expect(JSON.stringify(res.body)).toContain('phone');
    }
    const group = await call('GET', 'profile/120363000000000001@g.us');
    expect(group.status).toBe(400);
    const missing = await call('POST', 'block', {});
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('phone');
  });
});

describe('access', () => {
  it("answers 404 for an unknown instance and for another user's, 401 without credentials", async () => {
    const stranger = await createUser(server);
    for (const [method, path, body] of [
      ['GET', `profile/${VIRTUAL}`],
      ['PUT', 'profile', { about: 'x' }],
      ['POST', 'block', { phone: VIRTUAL }],
      ['POST', 'unblock', { phone: VIRTUAL }],
      ['GET', 'blocklist'],
    ] as const) {
      expect((await call(method, path, body, stranger)).status, `${method} ${path} as a stranger`).toBe(404);
      expect((await server.request(method, `/api/whatsapp/no-such-instance/${path}`, { as: user, body })).status, `${method} ${path} unknown`).toBe(404);
      expect((await server.request(method, `/api/whatsapp/${alice.id}/${path}`, { body })).status, `${method} ${path} anonymous`).toBe(401);
    }
  });
});
