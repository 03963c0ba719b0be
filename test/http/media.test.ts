import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventually, linkInstance, multipart, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';
import { MEDIA_STORES, testMediaStore, type TestMediaStore } from '../support/media-stores.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(200, 7)]);

let files: Server;
let filesBase: string;
beforeAll(async () => {
  files = createServer((req, res) => {
    if (req.url === '/cat.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    if (req.url === '/big.bin') return res.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.alloc(5000));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesBase = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => files.close(() => resolve())));

describe.each(MEDIA_STORES)('media on the %s store', (kind) => {
  let media: TestMediaStore;
  let server: TestServer;
  let user: TestUser;
  let alice: { id: string; jid: string };
  let bob: { id: string; jid: string };
  beforeAll(async () => {
    media = await testMediaStore(kind);
    server = await startServer({ env: media.env });
    user = await createUser(server);
    alice = await linkInstance(server, user, { phone: '79001110001', pushName: 'Alice' });
    bob = await linkInstance(server, user, { phone: '79001110002', pushName: 'Bob' });
  });
  afterAll(async () => {
    await server.close();
    await media.close();
  });

  const history = async (instanceId: string, chat: string) =>
    (await server.request('GET', `/api/instances/${instanceId}/chats/${chat}/messages?limit=100`, { as: user })).body;
  const rowOf = (instanceId: string, chat: string, messageId: string) =>
    eventually(async () => (await history(instanceId, chat)).messages.find((m: { messageId: string }) => m.messageId === messageId), 5000, `message ${messageId}`);
  const storedPath = (row: { mediaUrl: string }, instanceId: string) => `${instanceId}/${path.basename(row.mediaUrl)}`;

  it('fetches a URL, sends it and keeps a copy that history serves, on both ends', async () => {
    const res = await server.request('POST', `/api/whatsapp/${alice.id}/send-media`, { as: user, body: { phone: bob.jid, url: `${filesBase}/cat.png`, caption: 'A cat' } });
    expect(res.status).toBe(200);
    const row = await rowOf(alice.id, bob.jid, res.body.id);
    expect(row).toMatchObject({ messageType: 'image', hasMedia: true, caption: 'A cat', mimeType: 'image/png', fileName: 'cat.png', mediaSize: PNG.length });
    expect(await media.paths(server.dataDir, alice.id)).toContain(storedPath(row, alice.id));
    const file = await server.request('GET', row.mediaUrl, { as: user });
    expect(file.status).toBe(200);
    expect(file.raw.equals(PNG)).toBe(true);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['content-length']).toBe(String(PNG.length));
    const received = await rowOf(bob.id, alice.jid, res.body.id);
    expect(received).toMatchObject({ fromMe: false, messageType: 'image', mimeType: 'image/png' });
    const copy = await server.request('GET', received.mediaUrl, { as: user });
    expect(copy.raw.equals(PNG)).toBe(true);
  });

  it('sends an uploaded file larger than the JSON body limit and serves it back', async () => {
    const data = Buffer.alloc(1_500_000, 3);
    const res = await server.request('POST', `/api/whatsapp/${alice.id}/send-file`, { as: user, ...multipart({ phone: bob.jid, caption: 'Report' }, { name: 'report.pdf', type: 'application/pdf', data }) });
    expect(res.status).toBe(200);
    const row = await rowOf(alice.id, bob.jid, res.body.id);
    expect(row).toMatchObject({ messageType: 'document', caption: 'Report', mimeType: 'application/pdf', fileName: 'report.pdf', mediaSize: data.length });
    const file = await server.request('GET', row.mediaUrl, { as: user });
    expect(file.raw.equals(data)).toBe(true);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
  });

  it("stores a phone's media under a name of ours and serves it; other names are 404", async () => {
    const from = '79002220001';
    const id = await receiveMessage(server, user, bob.id, { from, media: { kind: 'document', base64: Buffer.from('root:x:0:0').toString('base64'), mimeType: 'text/plain', fileName: '../../etc/passwd' } });
    const row = await rowOf(bob.id, `${from}@c.us`, id);
    expect(row).toMatchObject({ messageType: 'document', fileName: 'passwd', mimeType: 'text/plain', mediaSize: 10 });
    expect(path.basename(row.mediaUrl)).toMatch(/^[0-9a-f-]{36}\.txt$/);
    expect(await media.paths(server.dataDir, bob.id)).toContain(storedPath(row, bob.id));
    const served = await server.request('GET', row.mediaUrl, { as: user });
    expect(served.raw.toString()).toBe('root:x:0:0');
    expect(served.headers['content-disposition']).toMatch(/^attachment; filename="passwd"/);
    const file = path.basename(row.mediaUrl);
    const neighbour = `${file.startsWith('0') ? '1' : '0'}${file.slice(1)}`;
    for (const name of ['..%2F..%2Fetc%2Fpasswd', '3f1c2a7e-0000-4000-8000-000000000000.txt', neighbour]) {
      const missing = await server.request('GET', `/api/instances/${bob.id}/media/${name}`, { as: user });
      expect(missing.status, name).toBe(404);
      expect(missing.body.error).toMatch(/not found/);
    }
    // Another instance's file is not reached through this one's URL.
    expect((await server.request('GET', `/api/instances/${alice.id}/media/${file}`, { as: user })).status).toBe(404);
    const stranger = await createUser(server);
    expect((await server.request('GET', row.mediaUrl, { as: stranger })).status).toBe(404);
  });

  it('stores a safe media type whatever the sender declared, so the file can always be served', async () => {
    const from = '79002220011';
    const declared = [
      { mimeType: 'image/png\r\nX-Injected: yes', stored: 'application/octet-stream' },
      { mimeType: 'Text/Plain; charset=utf-8; name=файл; x="a\r\nb"', stored: 'text/plain; charset=utf-8' },
    ];
    for (const { mimeType, stored } of declared) {
      const id = await receiveMessage(server, user, bob.id, { from, media: { kind: 'document', base64: PNG.toString('base64'), mimeType } });
      const row = await rowOf(bob.id, `${from}@c.us`, id);
      expect(row.mimeType, mimeType).toBe(stored);
      const served = await server.request('GET', row.mediaUrl, { as: user });
      expect(served.status, mimeType).toBe(200);
      expect(served.headers['content-type']).toBe(stored);
      expect(served.raw.equals(PNG)).toBe(true);
    }
  });

  it('forwards a stored image, read back from the store', async () => {
    const id = await receiveMessage(server, user, bob.id, { from: '79002220021', media: { kind: 'image', base64: PNG.toString('base64'), mimeType: 'image/png' } });
    await rowOf(bob.id, '79002220021@c.us', id);
    const res = await server.request('POST', `/api/whatsapp/${bob.id}/messages/${id}/forward`, { as: user, body: { phone: alice.jid } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const copy = await rowOf(alice.id, bob.jid, res.body.id);
    expect((await server.request('GET', copy.mediaUrl, { as: user })).raw.equals(PNG)).toBe(true);
  });

  it('removes the media of a deleted instance, and only its', async () => {
    const doomed = await linkInstance(server, user, { phone: '79001110009' });
    await receiveMessage(server, user, doomed.id, { from: '79002220009', media: { kind: 'image', base64: PNG.toString('base64'), mimeType: 'image/png' } });
    await eventually(async () => (await media.paths(server.dataDir, doomed.id)).length === 1, 5000, 'stored media');
    const others = await media.paths(server.dataDir, bob.id);
    expect((await server.request('DELETE', `/api/instances/${doomed.id}`, { as: user })).status).toBe(200);
    expect(await media.paths(server.dataDir, doomed.id)).toEqual([]);
    expect(await media.paths(server.dataDir, bob.id)).toEqual(others);
  });

  describe('over MEDIA_MAX_BYTES', () => {
    let limited: TestServer;
    beforeAll(async () => {
      limited = await startServer({ env: { ...media.env, MEDIA_MAX_BYTES: '2000' } });
    });
    afterAll(() => limited.close());

    it('answers 413 for URL media and uploads, and stores nothing of them', async () => {
      const owner = await createUser(limited);
      const { id } = await linkInstance(limited, owner);
      const byUrl = await limited.request('POST', `/api/whatsapp/${id}/send-media`, { as: owner, body: { phone: '79005550001', url: `${filesBase}/big.bin` } });
      expect(byUrl.status).toBe(413);
      expect(byUrl.body.error).toMatch(/2000-byte limit/);
      const upload = await limited.request('POST', `/api/whatsapp/${id}/send-file`, { as: owner, ...multipart({ phone: '79005550001' }, { name: 'big.bin', type: 'application/octet-stream', data: Buffer.alloc(3000) }) });
      expect(upload.status).toBe(413);
      expect(upload.body.error).toEqual(expect.any(String));
      expect((await limited.request('GET', `/api/instances/${id}/chats/79005550001/messages`, { as: owner })).body.messages).toEqual([]);
      expect(await media.paths(limited.dataDir, id)).toEqual([]);
    });
  });
});

describe('media on an S3 bucket out of reach', () => {
  it('still sends, receives and deletes, noting on each message that its file was not stored', async () => {
    const media = await testMediaStore('s3');
    const server = await startServer({ env: { ...media.env, S3_BUCKET: 'no-such-bucket' } });
    try {
      const user = await createUser(server);
      const { id } = await linkInstance(server, user, { phone: '79001120001' });
      const messageOf = (chat: string, messageId: string) =>
        eventually(async () => (await server.request('GET', `/api/instances/${id}/chats/${chat}/messages`, { as: user })).body.messages.find((m: { messageId: string }) => m.messageId === messageId), 5000, messageId);
      const notStored = expect.stringMatching(/^media not stored: The media store did not answer \(NoSuchBucket\)/);

      const sent = await server.request('POST', `/api/whatsapp/${id}/send-file`, { as: user, ...multipart({ phone: '79005550001' }, { name: 'a.png', type: 'image/png', data: PNG }) });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      expect(await messageOf('79005550001', sent.body.id)).toMatchObject({ hasMedia: true, mediaUrl: null, metadata: { mediaError: notStored } });

      const received = await receiveMessage(server, user, id, { from: '79005550002', media: { kind: 'image', base64: PNG.toString('base64'), mimeType: 'image/png' } });
      expect(await messageOf('79005550002', received)).toMatchObject({ hasMedia: true, mediaUrl: null, metadata: { mediaError: expect.stringMatching(/^media download failed: The media store did not answer/) } });

      expect((await server.request('DELETE', `/api/instances/${id}`, { as: user })).status).toBe(200);
    } finally {
      await server.close();
      await media.close();
    }
  });
});
