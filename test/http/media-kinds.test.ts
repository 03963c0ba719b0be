import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventually, linkInstance, multipart, startServer, type TestServer, type TestUser } from '../support/app.js';

/*
 * Issue 18: `kind` on send-file and send-media, voice notes and stickers. The machine running the
 * tests may have no ffmpeg, so one server gets a stand-in converter (it prefixes the Ogg magic)
 * and another a path where none is installed.
 */

const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(300, 1)]);
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(300, 2)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), Buffer.alloc(100, 3)]);
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(100, 7)]);

let server: TestServer;
let bare: TestServer;
let user: TestUser;
let alice: { id: string; jid: string };
let bob: { id: string; jid: string };
beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ffmpeg-'));
  const ffmpeg = path.join(dir, 'ffmpeg');
  writeFileSync(ffmpeg, "#!/bin/sh\nprintf 'OggS'\ncat\n");
  chmodSync(ffmpeg, 0o755);
  server = await startServer({ env: { FFMPEG_PATH: ffmpeg } });
  bare = await startServer({ env: { FFMPEG_PATH: path.join(dir, 'not-installed') } });
  user = await createUser(server);
  alice = await linkInstance(server, user, { phone: '79001150001', pushName: 'Alice' });
  bob = await linkInstance(server, user, { phone: '79001150002', pushName: 'Bob' });
});
afterAll(async () => {
  await server.close();
  await bare.close();
});

const upload = (on: TestServer, as: TestUser, instanceId: string, fields: Record<string, string>, file: { name: string; type: string; data: Buffer }) =>
  on.request('POST', `/api/whatsapp/${instanceId}/send-file`, { as, ...multipart(fields, file) });

async function bobGot(messageId: string): Promise<Record<string, any>> {
  return eventually(async () => {
    const res = await server.request('GET', `/api/instances/${bob.id}/chats/${alice.jid}/messages?limit=100`, { as: user });
    return (res.body.messages as Array<Record<string, any>>).find((m) => m.messageId === messageId);
  }, 5000, `Bob gets ${messageId}`);
}

describe('voice notes', () => {
  it('sends Ogg/Opus as is, and converts other audio with ffmpeg', async () => {
    const ogg = await upload(server, user, alice.id, { phone: bob.jid, kind: 'voice' }, { name: 'note.ogg', type: 'audio/ogg', data: OGG });
    expect(ogg.status, JSON.stringify(ogg.body)).toBe(200);
    const got = await bobGot(ogg.body.id);
    expect(got).toMatchObject({ messageType: 'voice', mimeType: 'audio/ogg; codecs=opus', mediaSize: OGG.length });
    expect((await server.request('GET', got.mediaUrl, { as: user })).raw.equals(OGG)).toBe(true);

    const mp3 = await upload(server, user, alice.id, { phone: bob.jid, kind: 'voice' }, { name: 'note.mp3', type: 'audio/mpeg', data: MP3 });
    expect(mp3.status, JSON.stringify(mp3.body)).toBe(200);
    const converted = await bobGot(mp3.body.id);
    expect(converted).toMatchObject({ messageType: 'voice', mimeType: 'audio/ogg; codecs=opus' });
    expect((await server.request('GET', converted.mediaUrl, { as: user })).raw.subarray(0, 4).toString()).toBe('OggS');
  });

  it('answers 415 naming the fix when other audio cannot be converted', async () => {
    const owner = await createUser(bare);
    const carol = await linkInstance(bare, owner, { phone: '79001150003' });
    const res = await upload(bare, owner, carol.id, { phone: bob.jid, kind: 'voice' }, { name: 'note.mp3', type: 'audio/mpeg', data: MP3 });
    expect(res.status).toBe(415);
    expect(res.body.error).toContain('ffmpeg is not installed');
    expect(res.body.error).toContain('FFMPEG_PATH');
    const ogg = await upload(bare, owner, carol.id, { phone: bob.jid, kind: 'voice' }, { name: 'note.ogg', type: 'audio/ogg', data: OGG });
    expect(ogg.status).toBe(200);
  });
});

describe('stickers and other kinds', () => {
  it('sends WebP as a sticker, counted as media', async () => {
    const before = (await server.request('GET', `/api/stats/instances/${bob.id}`, { as: user })).body.usage;
    const sticker = await upload(server, user, bob.id, { phone: alice.jid, kind: 'sticker' }, { name: 's.webp', type: 'image/webp', data: WEBP });
    expect(sticker.status).toBe(200);
    const after = await eventually(async () => {
      const usage = (await server.request('GET', `/api/stats/instances/${bob.id}`, { as: user })).body.usage;
      return usage.mediaSent === before.mediaSent + 1 ? usage : undefined;
    }, 5000, 'the sticker counted');
    expect(after.messagesSent).toBe(before.messagesSent + 1);
    const row = await eventually(async () => {
      const res = await server.request('GET', `/api/instances/${alice.id}/chats/${bob.jid}/messages?limit=100`, { as: user });
      return (res.body.messages as Array<Record<string, any>>).find((m) => m.messageId === sticker.body.id);
    }, 5000, 'Alice gets the sticker');
    expect(row).toMatchObject({ messageType: 'sticker', mimeType: 'image/webp' });
  });

  it('answers 415 naming kind for a file that cannot be that kind, and 400 for an unknown kind', async () => {
    const png = await upload(server, user, alice.id, { phone: bob.jid, kind: 'sticker' }, { name: 'a.png', type: 'image/png', data: PNG });
    expect(png.status).toBe(415);
    expect(JSON.stringify(png.body)).toContain('kind');
    expect(png.body.error).toContain('image/webp');
    const notAudio = await upload(server, user, alice.id, { phone: bob.jid, kind: 'voice' }, { name: 'a.png', type: 'image/png', data: PNG });
    expect(notAudio.status).toBe(415);
    const unknown = await upload(server, user, alice.id, { phone: bob.jid, kind: 'gif' }, { name: 'a.png', type: 'image/png', data: PNG });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('kind');
    const media = await server.request('POST', `/api/whatsapp/${alice.id}/send-media`, { as: user, body: { phone: bob.jid, url: 'http://127.0.0.1:1/x.png', kind: 'gif' } });
    expect(media.status).toBe(400);
    expect(JSON.stringify(media.body)).toContain('kind');
  });

  it('sends a PNG as a document when asked', async () => {
    const res = await upload(server, user, alice.id, { phone: bob.jid, kind: 'document' }, { name: 'scan.png', type: 'image/png', data: PNG });
    expect(res.status).toBe(200);
    expect(await bobGot(res.body.id)).toMatchObject({ messageType: 'document', fileName: 'scan.png', mimeType: 'image/png' });
  });
});
