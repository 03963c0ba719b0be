import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, eventually, linkInstance, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';

let server: TestServer;
let alice: TestUser;
let files: Server;
let filesUrl: string;
beforeAll(async () => {
  server = await startServer({ env: { MEDIA_MAX_BYTES: '4096' } });
  alice = await createUser(server);
  files = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(req.url === '/big.png' ? Buffer.alloc(5000) : Buffer.from('tiny png'));
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => files.close(resolve));
  await server.close();
});

async function received(instanceId: string, count = 1): Promise<Array<Record<string, unknown>>> {
  return eventually(async () => {
    const res = await server.request('GET', `/api/instances/${instanceId}/events?types=message_received&limit=100`, { as: alice });
    return res.body.events?.length >= count ? res.body.events.map((e: { data: Record<string, unknown> }) => e.data) : undefined;
  }, 5000, 'message_received');
}

describe('POST /api/simulator/instances/:id/inbound', () => {
  it('delivers text, media and contact messages from a virtual phone', async () => {
    const { id } = await linkInstance(server, alice);
    const textId = await receiveMessage(server, alice, id, { from: '+7 900 123-45-67', pushName: 'Bob', text: 'hello' });
    expect(textId).toMatch(/^3EB0[0-9A-F]{16}$/);
    const [text] = await received(id);
    expect(text).toMatchObject({ messageId: textId, from: '79001234567@s.whatsapp.net', body: 'hello', pushName: 'Bob', hasMedia: false });

    const mediaId = await receiveMessage(server, alice, id, {
      from: '79001234567',
      media: { kind: 'image', base64: Buffer.from('fake image').toString('base64'), mimeType: 'image/png', caption: 'pic' },
    });
    const fromUrl = await receiveMessage(server, alice, id, { from: '79001234567', media: { kind: 'image', url: `${filesUrl}/small.png`, mimeType: 'image/png' } });
    const contactId = await receiveMessage(server, alice, id, { from: '79001234567', contact: { name: 'Carol', phone: '+7 900 555 11 11' } });
    const all = await received(id, 4);
    expect(all.find((e) => e.messageId === mediaId)).toMatchObject({ hasMedia: true });
    expect(all.find((e) => e.messageId === fromUrl)).toMatchObject({ hasMedia: true });
    expect(all.find((e) => e.messageId === contactId)).toBeDefined();
  });

  it('answers once the message is stored, as WhatsApp keeps a message until the device has it', async () => {
    const { id } = await linkInstance(server, alice);
    const ids: string[] = [];
    for (const text of ['one', 'two', 'three']) {
      ids.push(await receiveMessage(server, alice, id, { from: '79001234567', text }));
      // No waiting: the answer itself says the message is in history.
      const page = await server.request('GET', `/api/instances/${id}/chats/79001234567/messages?limit=10`, { as: alice });
      expect(page.body.messages.map((m: { messageId: string }) => m.messageId).reverse()).toEqual(ids);
    }
  });

  it('refuses bad input with the field named, and media over MEDIA_MAX_BYTES with 413', async () => {
    const { id } = await linkInstance(server, alice);
    const send = (body: Record<string, unknown>) => server.request('POST', `/api/simulator/instances/${id}/inbound`, { as: alice, body });
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ from: 'not a phone', text: 'x' }, 400, 'from'],
      [{ from: '79001234567' }, 400, 'text'],
      [{ from: '79001234567', text: 'x', contact: { name: 'C', phone: '79001112233' } }, 400, 'text'],
      [{ from: '79001234567', media: { kind: 'image', base64: '***', mimeType: 'image/png' } }, 400, 'media.base64'],
      [{ from: '79001234567', media: { kind: 'image', mimeType: 'image/png' } }, 400, 'media.base64'],
      [{ from: '79001234567', media: { kind: 'gif', base64: 'AAAA', mimeType: 'image/gif' } }, 400, 'media.kind'],
      [{ from: '79001234567', media: { kind: 'image', base64: Buffer.alloc(5000).toString('base64'), mimeType: 'image/png' } }, 413, 'media.base64'],
      [{ from: '79001234567', media: { kind: 'image', url: `${filesUrl}/big.png`, mimeType: 'image/png' } }, 413, 'url'],
    ];
    for (const [body, status, field] of cases) {
      const res = await send(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.body.details?.[0]?.field, JSON.stringify(res.body)).toBe(field);
    }
  });

  it('answers 409 when the instance is not connected or not a simulator instance', async () => {
    const { id } = await createInstance(server, alice);
    await eventually(async () => (await server.request('GET', `/api/instances/${id}/status`, { as: alice })).body.status === 'qr');
    const notLinked = await server.request('POST', `/api/simulator/instances/${id}/inbound`, { as: alice, body: { from: '79001234567', text: 'x' } });
    expect(notLinked.status).toBe(409);
    await server.request('POST', `/api/instances/${id}/logout`, { as: alice });
    const stopped = await server.request('POST', `/api/simulator/instances/${id}/scan`, { as: alice, body: {} });
    expect(stopped.status).toBe(409);
    expect(stopped.body.error).toMatch(/reconnect/);

    const now = Date.now();
    const real = { ...(await server.ctx.store.instances.findById(id))!, id: `baileys-${now}`, engine: 'baileys', status: 'disconnected' as const };
    await server.ctx.store.instances.insert(real);
    const wrongEngine = await server.request('POST', `/api/simulator/instances/${real.id}/scan`, { as: alice, body: {} });
    expect(wrongEngine.status).toBe(409);
    expect(wrongEngine.body.error).toMatch(/baileys engine/);
  });
});

describe('event order', () => {
  it('keeps the order in which a phone sent its messages', async () => {
    const { id } = await linkInstance(server, alice);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await receiveMessage(server, alice, id, { from: '79001234567', text: `message ${i}` }));
    const events = await received(id, 20);
    expect(events.map((e) => e.messageId)).toEqual(ids);
  });
});

describe('two simulator instances', () => {
  it('talk to each other', async () => {
    const a = await linkInstance(server, alice, { pushName: 'Alice' });
    const b = await linkInstance(server, alice);
    const sent = await server.request('POST', `/api/whatsapp/${a.id}/send`, { as: alice, body: { phone: b.jid, message: 'hi b' } });
    expect(sent.status).toBe(200);
    const [message] = await received(b.id);
    expect(message).toMatchObject({ messageId: sent.body.id, from: a.jid, body: 'hi b', pushName: 'Alice' });
  });
});

describe('auto link', () => {
  it('links a new instance by itself when SIMULATOR_AUTO_LINK_MS is set', async () => {
    const auto = await startServer({ env: { SIMULATOR_AUTO_LINK_MS: '30' } });
    try {
      const user = await createUser(auto);
      const { id } = await createInstance(auto, user);
      await eventually(async () => (await auto.request('GET', `/api/instances/${id}/status`, { as: user })).body.status === 'connected');
    } finally {
      await auto.close();
    }
  });
});

describe('SIMULATOR_ENABLED=false', () => {
  it('has no simulator routes', async () => {
    const off = await startServer({ env: { SIMULATOR_ENABLED: 'false' } });
    try {
      const user = await createUser(off);
      const { id } = await createInstance(off, user);
      for (const path of ['scan', 'inbound', 'disconnect']) {
        const res = await off.request('POST', `/api/simulator/instances/${id}/${path}`, { as: user, body: {} });
        expect(res.status).toBe(404);
        expect(res.body.error).toMatch(/^Route POST/);
      }
    } finally {
      await off.close();
    }
  });
});
