import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventually, linkInstance, multipart, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';

/*
 * Issue 18, acting on messages already in a chat: react, edit, delete, forward. Alice acts; Bob,
 * another simulator instance, is the peer whose history shows what reached him.
 */

const MINUTE = 60_000;
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 9)]);

let server: TestServer;
let user: TestUser;
let alice: { id: string; jid: string };
let bob: { id: string; jid: string };
let carol: { id: string; jid: string };
/** How far the server's clock is ahead of real time (messages are stamped in real time). */
let ahead = 0;
beforeAll(async () => {
  server = await startServer({ clock: () => Date.now() + ahead });
  user = await createUser(server);
  alice = await linkInstance(server, user, { phone: '79001130001', pushName: 'Alice' });
  bob = await linkInstance(server, user, { phone: '79001130002', pushName: 'Bob' });
  carol = await linkInstance(server, user, { phone: '79001130003', pushName: 'Carol' });
});
afterAll(() => server.close());

const url = (messageId: string, tail = '') => `/api/whatsapp/${alice.id}/messages/${messageId}${tail}`;

async function send(message: string): Promise<string> {
  const res = await server.request('POST', `/api/whatsapp/${alice.id}/send`, { as: user, body: { phone: bob.jid, message } });
  expect(res.status).toBe(200);
  return res.body.id;
}

/** The row of `messageId` in `chat` of `instanceId` once `ready` says it is as expected. */
async function rowOf(instanceId: string, chat: string, messageId: string, ready: (row: Record<string, any>) => boolean = () => true): Promise<Record<string, any>> {
  return eventually(async () => {
    const res = await server.request('GET', `/api/instances/${instanceId}/chats/${chat}/messages?limit=100`, { as: user });
    const row = (res.body.messages as Array<Record<string, any>>).find((m) => m.messageId === messageId);
    return row && ready(row) ? row : undefined;
  }, 5000, `message ${messageId} in ${instanceId}`);
}

const eventsOf = async (instanceId: string, types: string) =>
  (await server.request('GET', `/api/instances/${instanceId}/events?types=${types}&limit=100`, { as: user })).body.events as Array<{ data: Record<string, any> }>;

describe('reactions', () => {
  it("reacts to the peer's message, shows it on our copy and on the peer's; \"\" takes it back", async () => {
    const theirs = await receiveMessage(server, user, alice.id, { from: bob.jid, text: 'we shipped it' });
    await rowOf(alice.id, bob.jid, theirs);
    const res = await server.request('POST', url(theirs, '/reaction'), { as: user, body: { emoji: '🎉' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.any(String) });
    expect((await rowOf(alice.id, bob.jid, theirs, (r) => !!r.reactions?.length)).reactions).toEqual([{ from: alice.jid, emoji: '🎉', at: expect.any(String) }]);
    expect((await eventsOf(alice.id, 'message_reaction')).at(-1)?.data).toMatchObject({ messageId: theirs, from: alice.jid, emoji: '🎉', fromMe: true });

    const ours = await send('lunch?');
    await rowOf(bob.id, alice.jid, ours);
    expect((await server.request('POST', url(ours, '/reaction'), { as: user, body: { emoji: '👍' } })).status).toBe(200);
    expect((await rowOf(bob.id, alice.jid, ours, (r) => !!r.reactions?.length)).reactions).toEqual([{ from: alice.jid, emoji: '👍', at: expect.any(String) }]);
    expect((await server.request('POST', url(ours, '/reaction'), { as: user, body: { emoji: '' } })).status).toBe(200);
    await rowOf(bob.id, alice.jid, ours, (r) => !r.reactions?.length);
    await rowOf(alice.id, bob.jid, ours, (r) => !r.reactions?.length);
  });
});

describe('edits', () => {
  it('replaces the text of our message, here and at the peer', async () => {
    const id = await send('see you at 5');
    await rowOf(bob.id, alice.jid, id);
    const res = await server.request('PUT', url(id), { as: user, body: { message: 'see you at 6' } });
    expect(res.status).toBe(200);
    expect(await rowOf(alice.id, bob.jid, id, (r) => r.content === 'see you at 6')).toMatchObject({ edits: ['see you at 5'], editedAt: expect.any(String) });
    expect(await rowOf(bob.id, alice.jid, id, (r) => r.content === 'see you at 6')).toMatchObject({ edits: ['see you at 5'] });
  });
});

describe('deletes', () => {
  it('deletes our message for everyone; forMe only marks it here', async () => {
    const id = await send('oops');
    await rowOf(bob.id, alice.jid, id);
    const res = await server.request('DELETE', url(id), { as: user });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.any(String) });
    await rowOf(alice.id, bob.jid, id, (r) => !!r.deletedAt);
    await rowOf(bob.id, alice.jid, id, (r) => !!r.deletedAt);

    const theirs = await receiveMessage(server, user, alice.id, { from: bob.jid, text: 'spam' });
    await rowOf(alice.id, bob.jid, theirs);
    expect((await server.request('DELETE', url(theirs), { as: user })).status).toBe(403);
    const forMe = await server.request('DELETE', url(theirs, '?forMe=true'), { as: user });
    expect(forMe.status).toBe(200);
    expect(forMe.body).toEqual({ id: null });
    await rowOf(alice.id, bob.jid, theirs, (r) => !!r.deletedAt);
    expect((await server.request('DELETE', url(theirs, '?forMe=true'), { as: user })).status).toBe(409);
  });
});

describe('forwards', () => {
  it('forwards text, an image and a location to another chat, labelled forwarded, each counted as sent', async () => {
    const text = await send('pass it on');
    const upload = await server.request('POST', `/api/whatsapp/${alice.id}/send-file`, { as: user, ...multipart({ phone: bob.jid, caption: 'look' }, { name: 'a.png', type: 'image/png', data: PNG }) });
    const place = await server.request('POST', `/api/whatsapp/${alice.id}/send-location`, { as: user, body: { phone: bob.jid, latitude: 10, longitude: 20, name: 'Here' } });
    const before = (await server.request('GET', `/api/stats/instances/${alice.id}`, { as: user })).body.usage;
    for (const [id, expected] of [
      [text, { messageType: 'text', content: 'pass it on' }],
      [upload.body.id, { messageType: 'image', caption: 'look', mimeType: 'image/png' }],
      [place.body.id, { messageType: 'location', location: { latitude: 10, longitude: 20, name: 'Here' } }],
    ] as const) {
      const res = await server.request('POST', url(id, '/forward'), { as: user, body: { phone: carol.jid } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(await rowOf(carol.id, alice.jid, res.body.id)).toMatchObject({ fromMe: false, ...expected, metadata: { forwarded: true } });
      expect(await rowOf(alice.id, carol.jid, res.body.id)).toMatchObject({ fromMe: true, ...expected, metadata: { forwarded: true } });
    }
    const after = await eventually(async () => {
      const usage = (await server.request('GET', `/api/stats/instances/${alice.id}`, { as: user })).body.usage;
      return usage.messagesSent === before.messagesSent + 3 ? usage : undefined;
    }, 5000, 'forwards counted');
    expect(after.mediaSent).toBe(before.mediaSent + 1);
  });
});

describe('unknown messages and bad input', () => {
  it('answers 404 naming an unknown messageId on every action', async () => {
    for (const [method, tail, body] of [
      ['POST', '/reaction', { emoji: '👍' }],
      ['PUT', '', { message: 'x' }],
      ['DELETE', '', undefined],
      ['POST', '/forward', { phone: carol.jid }],
    ] as const) {
      const res = await server.request(method, url('NOSUCHID', tail), { as: user, body });
      expect(res.status, `${method} ${tail}`).toBe(404);
      expect(res.body.error).toContain('NOSUCHID');
    }
  });

  it('answers 400 naming the field for a missing emoji, an empty edit or a bad forward number', async () => {
    const id = await send('x');
    const noEmoji = await server.request('POST', url(id, '/reaction'), { as: user, body: {} });
    expect(noEmoji.status).toBe(400);
    expect(JSON.stringify(noEmoji.body)).toContain('emoji');
    expect((await server.request('PUT', url(id), { as: user, body: { message: '' } })).status).toBe(400);
    const badPhone = await server.request('POST', url(id, '/forward'), { as: user, body: { phone: 'nope' } });
    expect(badPhone.status).toBe(400);
    expect(JSON.stringify(badPhone.body)).toContain('phone');
  });
});

// Last: the server's clock only moves forward (event times never go back), so these run after the rest.
describe("WhatsApp's windows, by the server's clock", () => {
  it("answers 403 for the peer's message and 409 after WhatsApp's 15 minutes", async () => {
    const theirs = await receiveMessage(server, user, alice.id, { from: bob.jid, text: 'mine' });
    await rowOf(alice.id, bob.jid, theirs);
    expect((await server.request('PUT', url(theirs), { as: user, body: { message: 'yours?' } })).status).toBe(403);
    const id = await send('typo');
    ahead = 16 * MINUTE;
    const late = await server.request('PUT', url(id), { as: user, body: { message: 'fixed' } });
    expect(late.status).toBe(409);
    expect(late.body.error).toContain('15 minutes');
    expect((await rowOf(alice.id, bob.jid, id)).content).toBe('typo');
  });

  it("answers 409 for everyone after WhatsApp's window, and forMe still works", async () => {
    const id = await send('old news');
    await rowOf(bob.id, alice.jid, id);
    ahead = 3 * 24 * 60 * MINUTE;
    const late = await server.request('DELETE', url(id), { as: user });
    expect(late.status).toBe(409);
    expect(late.body.error).toContain('forMe');
    expect((await server.request('DELETE', url(id, '?forMe=true'), { as: user })).status).toBe(200);
    expect((await rowOf(bob.id, alice.jid, id)).deletedAt).toBeUndefined();
  });
});
