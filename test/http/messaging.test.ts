import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_POSTGRES_URL } from '../support/postgres.js';
import { createUser, eventually, linkInstance, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(200, 7)]);

let files: Server;
let filesBase: string;
let server: TestServer;
let user: TestUser;
let alice: { id: string; jid: string };
let bob: { id: string; jid: string };

beforeAll(async () => {
  files = createServer((req, res) => {
    if (req.url === '/cat.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesBase = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  server = await startServer();
  user = await createUser(server);
  alice = await linkInstance(server, user, { phone: '79001110001', pushName: 'Alice' });
  bob = await linkInstance(server, user, { phone: '79001110002', pushName: 'Bob' });
});
afterAll(async () => {
  await server.close();
  await new Promise<void>((resolve) => files.close(() => resolve()));
});

const history = async (instanceId: string, chat: string, query = '') =>
  (await server.request('GET', `/api/instances/${instanceId}/chats/${chat}/messages${query}`, { as: user })).body;
const events = async (instanceId: string, types: string) =>
  (await server.request('GET', `/api/instances/${instanceId}/events?limit=1000&types=${types}`, { as: user })).body.events as Array<{ id: string; type: string; timestamp: string; data: Record<string, any> }>;

describe('sending text', () => {
  it('answers {id}, stores the message and follows its status to read', async () => {
    const res = await server.request('POST', `/api/whatsapp/${alice.id}/send`, { as: user, body: { phone: '+7 900 555-00-01', message: 'Hello there' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.any(String) });
    const id = res.body.id;
    const row = await eventually(async () => {
      const page = await history(alice.id, '79005550001');
      const found = page.messages.find((m: { messageId: string }) => m.messageId === id);
      return found?.status === 'read' ? found : undefined;
    }, 5000, 'status read');
    expect(row).toMatchObject({ instanceId: alice.id, remoteJid: '79005550001@s.whatsapp.net', fromMe: true, messageType: 'text', content: 'Hello there', hasMedia: false, mediaUrl: null });
    expect(Date.parse(row.statusUpdatedAt)).toBeGreaterThanOrEqual(Date.parse(row.createdAt));
    const sent = (await events(alice.id, 'message_sent')).find((e) => e.data.messageId === id)!;
    expect(sent.data).toEqual({
      instanceId: alice.id,
      messageId: id,
      to: '79005550001@s.whatsapp.net',
      body: 'Hello there',
      type: 'text',
      timestamp: expect.any(Number),
      hasMedia: false,
      remoteJid: '79005550001@s.whatsapp.net',
      fromMe: true,
      status: 'pending',
      metadata: { timestamp: sent.data.timestamp },
    });
    const statuses = (await events(alice.id, 'message_status')).filter((e) => e.data.messageId === id).map((e) => e.data.status);
    expect(statuses).toEqual(['sent', 'delivered', 'read']);
  });

  it("shows a send WhatsApp's server accepted as sent, in history and events", async () => {
    // Not on WhatsApp: the server acknowledges the send and nothing comes after it.
    const res = await server.request('POST', `/api/whatsapp/${alice.id}/send`, { as: user, body: { phone: '79001230000', message: 'Anyone there?' } });
    expect(res.status).toBe(200);
    const row = await eventually(async () => {
      const page = await history(alice.id, '79001230000');
      return page.messages.find((m: { messageId: string; status: string }) => m.messageId === res.body.id && m.status !== 'pending');
    }, 5000, 'the server ack');
    expect(row).toMatchObject({ status: 'sent', fromMe: true, content: 'Anyone there?' });
    const statuses = (await events(alice.id, 'message_status')).filter((e) => e.data.messageId === res.body.id).map((e) => e.data.status);
    expect(statuses).toEqual(['sent']);
  });

  it('reaches another simulator instance as a received message', async () => {
    const res = await server.request('POST', `/api/whatsapp/${alice.id}/send`, { as: user, body: { phone: bob.jid, message: 'Hi Bob' } });
    expect(res.status).toBe(200);
    const received = await eventually(async () => (await events(bob.id, 'message_received')).find((e) => e.data.messageId === res.body.id), 5000, 'bob receives');
    expect(received.data).toMatchObject({ from: alice.jid, body: 'Hi Bob', type: 'conversation', hasMedia: false, pushName: 'Alice' });
    const page = await history(bob.id, '79001110001');
    expect(page.messages[0]).toMatchObject({ messageId: res.body.id, fromMe: false, content: 'Hi Bob', status: 'received' });
    const contact = (await server.request('GET', `/api/instances/${bob.id}/contacts/db?search=alice`, { as: user })).body.contacts[0];
    expect(contact).toMatchObject({ remoteJid: alice.jid, pushName: 'Alice' });
  });
});

describe('media URLs', () => {
  let guarded: TestServer;
  beforeAll(async () => {
    guarded = await startServer({ env: { ALLOW_PRIVATE_URLS: 'false' } });
  });
  afterAll(() => guarded.close());

  it('answers 400 for a URL that is not there', async () => {
    const res = await server.request('POST', `/api/whatsapp/${alice.id}/send-media`, { as: user, body: { phone: bob.jid, url: `${filesBase}/missing.png` } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/HTTP 404/);
  });

  it('refuses a loopback URL when private URLs are not allowed', async () => {
    const owner = await createUser(guarded);
    const { id } = await linkInstance(guarded, owner);
    for (const url of [`${filesBase}/cat.png`, `http://localhost:${new URL(filesBase).port}/cat.png`]) {
      const res = await guarded.request('POST', `/api/whatsapp/${id}/send-media`, { as: owner, body: { phone: '79005550001', url } });
      expect(res.status).toBe(400);
      expect(res.body.details[0]).toMatchObject({ field: 'url', message: expect.stringMatching(/private/) });
    }
  });
});

describe('incoming messages', () => {
  it('stores text, image, document and contact cards in history, contacts and events', async () => {
    const from = '79002220001';
    const text = await receiveMessage(server, user, bob.id, { from, pushName: 'Carol', text: 'Hi from Carol' });
    const image = await receiveMessage(server, user, bob.id, { from, pushName: 'Carol', media: { kind: 'image', base64: PNG.toString('base64'), mimeType: 'image/png', caption: 'me' } });
    const doc = await receiveMessage(server, user, bob.id, { from, media: { kind: 'document', base64: Buffer.from('root:x:0:0').toString('base64'), mimeType: 'text/plain', fileName: '../../etc/passwd' } });
    const card = await receiveMessage(server, user, bob.id, { from, contact: { name: 'Dave', phone: '79002220002' } });
    const rows = await eventually(async () => {
      const page = await history(bob.id, `${from}@c.us`);
      return page.messages.length === 4 ? page.messages : undefined;
    }, 5000, 'four messages');
    expect(rows.map((m: { messageId: string }) => m.messageId).sort()).toEqual([text, image, doc, card].sort());
    const byId = Object.fromEntries(rows.map((m: { messageId: string }) => [m.messageId, m]));
    expect(byId[text]).toMatchObject({ messageType: 'text', content: 'Hi from Carol', metadata: { pushName: 'Carol' } });
    expect(byId[image]).toMatchObject({ messageType: 'image', hasMedia: true, caption: 'me', mimeType: 'image/png' });
    expect(byId[card]).toMatchObject({ messageType: 'contact', content: 'Dave', metadata: { contacts: [{ name: 'Dave', phone: '79002220002' }] } });

    const passwd = byId[doc];
    expect(passwd).toMatchObject({ messageType: 'document', fileName: 'passwd', mimeType: 'text/plain' });
    const stored = path.basename(passwd.mediaUrl);
    expect(stored).toMatch(/^[0-9a-f-]{36}\.txt$/);
    expect(readdirSync(path.join(server.dataDir, 'media', bob.id))).toContain(stored);
    const served = await server.request('GET', passwd.mediaUrl, { as: user });
    expect(served.raw.toString()).toBe('root:x:0:0');
    expect(served.headers['content-disposition']).toMatch(/^attachment; filename="passwd"/);
    const traversal = await server.request('GET', `/api/instances/${bob.id}/media/..%2F..%2Fetc%2Fpasswd`, { as: user });
    expect(traversal.status).toBe(404);

    const received = (await events(bob.id, 'message_received')).filter((e) => e.data.from === `${from}@s.whatsapp.net`);
    expect(received.map((e) => e.data.type)).toEqual(['conversation', 'image', 'document', 'contact']);
    expect(received[3].data.contact).toMatchObject({ name: 'Dave', phone: '79002220002' });
    const contact = (await server.request('GET', `/api/instances/${bob.id}/contacts/db?search=${from}`, { as: user })).body.contacts[0];
    expect(contact).toMatchObject({ remoteJid: `${from}@s.whatsapp.net`, pushName: 'Carol', lastActivity: expect.any(String) });
  });

  it('pages history newest first within a date range', async () => {
    const from = '79002220003';
    for (let n = 0; n < 5; n++) await receiveMessage(server, user, bob.id, { from, text: `n${n}` });
    const all = await eventually(async () => {
      const page = await history(bob.id, from);
      return page.pagination.total === 5 ? page : undefined;
    }, 5000, 'five messages');
    expect(all.messages.map((m: { content: string }) => m.content)).toEqual(['n4', 'n3', 'n2', 'n1', 'n0']);
    const paged = await history(bob.id, from, '?limit=2&skip=1');
    expect(paged.pagination).toEqual({ total: 5, limit: 2, skip: 1, hasMore: true });
    expect(paged.messages.map((m: { content: string }) => m.content)).toEqual(['n3', 'n2']);
    const future = await history(bob.id, from, `?startDate=${new Date(Date.now() + 3_600_000).toISOString()}`);
    expect(future.pagination.total).toBe(0);
  });
});

/** 200 inbound messages injected at once while a client polls `since = latestTimestamp`. */
async function pollDuringBurst(target: TestServer): Promise<void> {
  const owner = await createUser(target);
  const { id } = await linkInstance(target, owner);
  const start = await target.request('GET', `/api/instances/${id}/events?limit=1`, { as: owner });
  let since: string = start.body.latestTimestamp;
  const seen: string[] = [];
  let injecting = true;
  const poller = (async () => {
    for (;;) {
      const res = await target.request('GET', `/api/instances/${id}/events?since=${encodeURIComponent(since)}&limit=17&types=message_received`, { as: owner });
      expect(res.status).toBe(200);
      for (const event of res.body.events) seen.push(event.data.messageId);
      if (res.body.count > 0) since = res.body.latestTimestamp;
      if (!injecting && !res.body.hasMore && seen.length >= 200) return;
      if (res.body.count === 0) await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const sent = await Promise.all(Array.from({ length: 200 }, (_, n) => receiveMessage(target, owner, id, { from: `7900333${String(n % 7).padStart(4, '0')}`, text: `burst ${n}` })));
  injecting = false;
  await poller;
  expect(seen).toHaveLength(200);
  expect(new Set(seen)).toEqual(new Set(sent));
}

describe('the events feed', () => {
  it('gives every event exactly once to a poller following latestTimestamp under concurrent traffic', () => pollDuringBurst(server));

  it.runIf(TEST_POSTGRES_URL)('does so on PostgreSQL too', async () => {
    const pgServer = await startServer({ provider: 'postgres' });
    try {
      await pollDuringBurst(pgServer);
    } finally {
      await pgServer.close();
    }
  });

  it('shows the spec envelope', async () => {
    const res = await server.request('GET', `/api/instances/${bob.id}/events?limit=3`, { as: user });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    expect(res.body.hasMore).toBe(true);
    expect(res.body.latestTimestamp).toBe(res.body.events[2].timestamp);
    expect(res.body.events[0]).toEqual({ id: expect.any(String), type: expect.any(String), timestamp: expect.any(String), data: expect.objectContaining({ instanceId: bob.id }) });
  });
});

describe('contacts from WhatsApp', () => {
  it('lists, adds without messaging anyone, and imports', async () => {
    const live = await server.request('GET', `/api/whatsapp/${bob.id}/contacts`, { as: user });
    expect(live.status).toBe(200);
    expect(live.body.contacts).toContainEqual({ id: alice.jid, name: 'Alice', number: '79001110001', isGroup: false });

    const eventsBefore = (await events(alice.id, 'message_sent')).length;
    const added = await server.request('POST', `/api/whatsapp/${alice.id}/contacts/add`, { as: user, body: { phone: '+7 900 444-00-01', name: 'Erin' } });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ success: true, message: expect.any(String), contact: { id: '79004440001@s.whatsapp.net', number: '79004440001', name: 'Erin' } });
    expect((await events(alice.id, 'message_sent')).length).toBe(eventsBefore);
    expect((await history(alice.id, '79004440001')).pagination.total).toBe(0);
    const stored = (await server.request('GET', `/api/instances/${alice.id}/contacts/db?search=erin`, { as: user })).body.contacts;
    expect(stored).toMatchObject([{ remoteJid: '79004440001@s.whatsapp.net', name: 'Erin' }]);

    const unknown = await server.request('POST', `/api/whatsapp/${alice.id}/contacts/add`, { as: user, body: { phone: '79001230000', name: 'Nobody' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.details[0].field).toBe('phone');
    expect((await server.request('GET', `/api/instances/${alice.id}/contacts/db?search=nobody`, { as: user })).body.contacts).toEqual([]);

    const imported = await server.request('POST', `/api/instances/${bob.id}/contacts/import`, { as: user });
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({ success: true, message: `${imported.body.importedCount} contacts imported successfully`, importedCount: live.body.contacts.length });
  });
});
