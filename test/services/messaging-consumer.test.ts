import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedMessage } from '../../src/engines/engine.js';
import type { InstanceRecord } from '../../src/store/store.js';
import { createInstance, createUser, startServer, type TestServer, type TestUser } from '../support/app.js';

/**
 * The engine-event consumer fed directly through its port (what the session supervisor calls),
 * observed through HTTP: history, contacts and the events feed.
 */
let server: TestServer;
let user: TestUser;
let instance: InstanceRecord;
let counter = 0;

beforeAll(async () => {
  server = await startServer();
  user = await createUser(server);
  const created = await createInstance(server, user);
  instance = (await server.ctx.store.instances.findById(created.id))!;
});
afterAll(() => server.close());

const feed = (event: Parameters<TestServer['ctx']['services']['messaging']['onEngineEvent']>[1]) => server.ctx.services.messaging.onEngineEvent(instance, event);

function message(fields: Partial<NormalizedMessage> = {}): NormalizedMessage {
  counter += 1;
  return { messageId: `MSG${counter}`, chatJid: '79001234567@s.whatsapp.net', fromMe: false, pushName: 'Ivan', type: 'text', text: `hello ${counter}`, timestamp: 1_700_000_000 + counter, ...fields };
}

async function history(chat = '79001234567') {
  const res = await server.request('GET', `/api/instances/${instance.id}/chats/${chat}/messages`, { as: user });
  expect(res.status).toBe(200);
  return res.body.messages as Array<Record<string, any>>;
}

async function events(types: string) {
  const res = await server.request('GET', `/api/instances/${instance.id}/events?limit=1000&types=${types}`, { as: user });
  return res.body.events as Array<{ type: string; data: Record<string, any> }>;
}

describe('incoming messages', () => {
  it('stores a received text once, however often the engine delivers it, with one event', async () => {
    const m = message();
    await feed({ type: 'message', message: m });
    await feed({ type: 'message', message: m });
    const rows = (await history()).filter((r) => r.messageId === m.messageId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ fromMe: false, messageType: 'text', content: m.text, status: 'received', metadata: { pushName: 'Ivan', timestamp: m.timestamp } });
    const received = (await events('message_received')).filter((e) => e.data.messageId === m.messageId);
    expect(received).toHaveLength(1);
    expect(received[0].data).toEqual({
      instanceId: instance.id,
      messageId: m.messageId,
      from: m.chatJid,
      body: m.text,
      type: 'conversation',
      timestamp: m.timestamp,
      hasMedia: false,
      pushName: 'Ivan',
      remoteJid: m.chatJid,
      fromMe: false,
      status: 'received',
      metadata: { pushName: 'Ivan', timestamp: m.timestamp },
    });
  });

  it('keeps a message whose media could not be downloaded, noting why', async () => {
    const m = message({ type: 'image', text: undefined, caption: 'look', media: { kind: 'image', mimeType: 'image/jpeg', download: async () => { throw new Error('media expired'); } } });
    await feed({ type: 'message', message: m });
    const row = (await history()).find((r) => r.messageId === m.messageId)!;
    expect(row).toMatchObject({ hasMedia: true, mediaUrl: null, caption: 'look', mimeType: 'image/jpeg' });
    expect(row.metadata.mediaError).toMatch(/media expired/);
  });

  it('does not download media above the size limit', async () => {
    let downloaded = false;
    const size = server.config.media.maxBytes + 1;
    const m = message({ type: 'video', text: undefined, media: { kind: 'video', mimeType: 'video/mp4', size, download: async () => { downloaded = true; return Buffer.alloc(1); } } });
    await feed({ type: 'message', message: m });
    expect(downloaded).toBe(false);
    expect((await history()).find((r) => r.messageId === m.messageId)!.metadata.mediaError).toMatch(/exceeds/);
  });

  it('stores a document named ../../etc/passwd under a generated name and serves it back', async () => {
    const m = message({ type: 'document', text: undefined, media: { kind: 'document', mimeType: 'text/plain', fileName: '../../etc/passwd', download: async () => Buffer.from('root:x:0:0') } });
    await feed({ type: 'message', message: m });
    const row = (await history()).find((r) => r.messageId === m.messageId)!;
    expect(row.fileName).toBe('passwd');
    expect(row.mediaUrl).toMatch(new RegExp(`^/api/instances/${instance.id}/media/[0-9a-f-]{36}\\.txt$`));
    const files = readdirSync(path.join(server.dataDir, 'media', instance.id));
    expect(files).toContain(path.basename(row.mediaUrl));
    const file = await server.request('GET', row.mediaUrl, { as: user });
    expect(file.status).toBe(200);
    expect(file.raw.toString()).toBe('root:x:0:0');
    expect(file.headers['content-type']).toMatch(/^text\/plain/);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="passwd"; filename*=UTF-8''passwd`);
    const other = await createUser(server);
    expect((await server.request('GET', row.mediaUrl, { as: other })).status).toBe(404);
  });

  it('records messages sent from the phone as fromMe with message_sent', async () => {
    const m = message({ fromMe: true, pushName: undefined, text: 'sent from my phone' });
    await feed({ type: 'message', message: m });
    expect((await history()).find((r) => r.messageId === m.messageId)).toMatchObject({ fromMe: true, content: 'sent from my phone' });
    const sent = (await events('message_sent')).find((e) => e.data.messageId === m.messageId)!;
    expect(sent.data).toMatchObject({ to: m.chatJid, body: 'sent from my phone', type: 'text', hasMedia: false });
  });
});

describe('receipts', () => {
  it('applies a receipt that arrived before its message, and never moves a status backwards', async () => {
    const m = message({ fromMe: true, chatJid: '79007654321@s.whatsapp.net', text: 'raced' });
    await feed({ type: 'message_status', messageId: m.messageId, chatJid: m.chatJid, fromMe: true, status: 'delivered' });
    await feed({ type: 'message', message: m });
    await feed({ type: 'message_status', messageId: m.messageId, chatJid: m.chatJid, fromMe: true, status: 'sent' });
    await feed({ type: 'message_status', messageId: m.messageId, chatJid: m.chatJid, fromMe: true, status: 'read' });
    await feed({ type: 'message_status', messageId: m.messageId, chatJid: m.chatJid, fromMe: true, status: 'read' });
    const row = (await history('79007654321')).find((r) => r.messageId === m.messageId)!;
    expect(row.status).toBe('read');
    expect(row.statusUpdatedAt).toEqual(expect.any(String));
    const statuses = (await events('message_status')).filter((e) => e.data.messageId === m.messageId).map((e) => e.data);
    expect(statuses).toEqual([
      { instanceId: instance.id, messageId: m.messageId, status: 'delivered', from: m.chatJid, fromMe: true },
      { instanceId: instance.id, messageId: m.messageId, status: 'read', from: m.chatJid, fromMe: true },
    ]);
  });
});

describe('contacts from the engine', () => {
  it('stores a batch with one contacts_updated event and skips non-chat JIDs', async () => {
    const before = (await events('contacts_updated')).length;
    await feed({
      type: 'contacts',
      contacts: [
        { jid: '79005550001@s.whatsapp.net', name: 'Anna', isGroup: false },
        { jid: '120363000000000001@g.us', name: 'Team', isGroup: true },
        { jid: 'status@broadcast', isGroup: false },
      ],
    });
    const after = await events('contacts_updated');
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.data.count).toBe(2);
    const groups = await server.request('GET', `/api/instances/${instance.id}/contacts/db?onlyGroups=true`, { as: user });
    expect(groups.body.contacts.map((c: { remoteJid: string }) => c.remoteJid)).toEqual(['120363000000000001@g.us']);
  });

  it('upserts the sender of a received message with its push name', async () => {
    await feed({ type: 'message', message: message({ chatJid: '79005550002@s.whatsapp.net', pushName: 'Boris' }) });
    const res = await server.request('GET', `/api/whatsapp/${instance.id}/contacts/db?search=boris`, { as: user });
    expect(res.body.contacts).toHaveLength(1);
    expect(res.body.contacts[0]).toMatchObject({ remoteJid: '79005550002@s.whatsapp.net', number: '79005550002', pushName: 'Boris', isGroup: false, lastActivity: expect.any(String) });
  });
});
