import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventually, linkInstance, multipart, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';

/*
 * Issue 18, sending: replies, mentions and every new kind of message, sent through the API by
 * one simulator instance and seen by another (the peer) in its own history.
 */

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(100, 7)]);
const CAROL = '79001230002';
const CAROL_JID = `${CAROL}@s.whatsapp.net`;

let server: TestServer;
let user: TestUser;
let alice: { id: string; jid: string };
let bob: { id: string; jid: string };
beforeAll(async () => {
  server = await startServer();
  user = await createUser(server);
  alice = await linkInstance(server, user, { phone: '79001120001', pushName: 'Alice' });
  bob = await linkInstance(server, user, { phone: '79001120002', pushName: 'Bob' });
});
afterAll(() => server.close());

const post = (path: string, body: Record<string, unknown>) => server.request('POST', `/api/whatsapp/${alice.id}/${path}`, { as: user, body });

async function send(path: string, body: Record<string, unknown>): Promise<string> {
  const res = await post(path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id;
}

/** The row of `messageId` in the chat `chat` of `instanceId`, once it is there. */
async function messageOf(instanceId: string, chat: string, messageId: string): Promise<Record<string, any>> {
  return eventually(async () => {
    const res = await server.request('GET', `/api/instances/${instanceId}/chats/${chat}/messages?limit=100`, { as: user });
    return (res.body.messages as Array<Record<string, any>>).find((m) => m.messageId === messageId);
  }, 5000, `message ${messageId} in ${instanceId}`);
}

/** What the peer (Bob's instance) got for a message Alice sent. */
const bobGot = (messageId: string) => messageOf(bob.id, alice.jid, messageId);

describe('replies and mentions', () => {
  it('a text reply quotes a message of the chat and mentions numbers, on both sides', async () => {
    const question = await receiveMessage(server, user, alice.id, { from: bob.jid, text: 'which one?' });
    await messageOf(alice.id, bob.jid, question);
    const reply = await send('send', { phone: bob.jid, message: 'this one, @79001230002', quotedMessageId: question, mentions: ['+7 900 123-00-02'] });
    expect(await messageOf(alice.id, bob.jid, reply)).toMatchObject({ fromMe: true, content: 'this one, @79001230002', quotedMessageId: question, mentions: [CAROL_JID] });
    expect(await bobGot(reply)).toMatchObject({ fromMe: false, content: 'this one, @79001230002', quotedMessageId: question, mentions: [CAROL_JID] });
    const sent = await server.request('GET', `/api/instances/${alice.id}/events?types=message_sent&limit=100`, { as: user });
    expect(sent.body.events.find((e: { data: { messageId: string } }) => e.data.messageId === reply).data).toMatchObject({ quotedMessageId: question, mentions: [CAROL_JID] });
  });

  it('media by URL and by upload reply and mention too', async () => {
    const first = await send('send', { phone: bob.jid, message: 'the plan' });
    const upload = await server.request('POST', `/api/whatsapp/${alice.id}/send-file`, {
      as: user,
      ...multipart({ phone: bob.jid, caption: 'drawn', quotedMessageId: first, mentions: `${CAROL}, ${bob.jid}` }, { name: 'plan.png', type: 'image/png', data: PNG }),
    });
    expect(upload.status, JSON.stringify(upload.body)).toBe(200);
    expect(await bobGot(upload.body.id)).toMatchObject({ messageType: 'image', caption: 'drawn', quotedMessageId: first, mentions: [CAROL_JID, bob.jid] });
    expect(await messageOf(alice.id, bob.jid, upload.body.id)).toMatchObject({ quotedMessageId: first, mentions: [CAROL_JID, bob.jid] });
  });

  it('answers 404 naming a quoted message that is not in the chat, and 400 naming a bad mention', async () => {
    const unknown = await post('send', { phone: bob.jid, message: 'hm', quotedMessageId: 'NOPE' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toContain('NOPE');
    const elsewhere = await send('send', { phone: CAROL, message: 'to carol' });
    const otherChat = await post('send', { phone: bob.jid, message: 'hm', quotedMessageId: elsewhere });
    expect(otherChat.status).toBe(404);
    expect(otherChat.body.error).toContain(elsewhere);
    const badMention = await post('send', { phone: bob.jid, message: 'hm', mentions: [CAROL, 'not a phone'] });
    expect(badMention.status).toBe(400);
    expect(JSON.stringify(badMention.body)).toContain('mentions[1]');
    const upload = await server.request('POST', `/api/whatsapp/${alice.id}/send-file`, {
      as: user,
      ...multipart({ phone: bob.jid, quotedMessageId: 'NOPE' }, { name: 'a.png', type: 'image/png', data: PNG }),
    });
    expect(upload.status).toBe(404);
  });
});
