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

describe('locations, contact cards and polls', () => {
  it('send-location: the peer gets the place; history keeps it', async () => {
    const id = await send('send-location', { phone: bob.jid, latitude: 55.7539, longitude: 37.6208, name: 'Red Square', address: 'Moscow' });
    const location = { latitude: 55.7539, longitude: 37.6208, name: 'Red Square', address: 'Moscow' };
    expect(await messageOf(alice.id, bob.jid, id)).toMatchObject({ fromMe: true, messageType: 'location', content: 'Red Square', location });
    expect(await bobGot(id)).toMatchObject({ fromMe: false, messageType: 'location', location });
    const bare = await send('send-location', { phone: bob.jid, latitude: -33.9, longitude: 151.2 });
    expect(await bobGot(bare)).toMatchObject({ location: { latitude: -33.9, longitude: 151.2 }, content: '-33.9,151.2' });
  });

  it('send-location answers 400 naming a latitude or longitude out of range', async () => {
    const lat = await post('send-location', { phone: bob.jid, latitude: 91, longitude: 0 });
    expect(lat.status).toBe(400);
    expect(JSON.stringify(lat.body)).toContain('latitude');
    const lon = await post('send-location', { phone: bob.jid, latitude: 0, longitude: -180.5 });
    expect(lon.status).toBe(400);
    expect(JSON.stringify(lon.body)).toContain('longitude');
  });

  it('send-contact: the peer gets every card as a vCard with the account number', async () => {
    const id = await send('send-contact', {
      phone: bob.jid,
      contacts: [
        { name: 'Carol', phone: '+7 900 123-00-02', organization: 'Acme', email: 'carol@example.com' },
        { name: 'Dave', phone: '79001230003' },
      ],
    });
    const got = await bobGot(id);
    expect(got).toMatchObject({ messageType: 'contact', content: 'Carol, Dave', contacts: [{ name: 'Carol', phone: CAROL }, { name: 'Dave', phone: '79001230003' }] });
    expect(got.contacts[0].vcard).toContain(`TEL;type=CELL;waid=${CAROL}:+${CAROL}`);
    expect(got.contacts[0].vcard).toContain('ORG:Acme');
    expect(got.contacts[0].vcard).toContain('EMAIL:carol@example.com');
    expect(await messageOf(alice.id, bob.jid, id)).toMatchObject({ messageType: 'contact', contacts: got.contacts });
  });

  it('send-contact answers 400 for no cards, eleven cards, or a card without a valid phone', async () => {
    const none = await post('send-contact', { phone: bob.jid, contacts: [] });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body)).toContain('contacts');
    const card = { name: 'X', phone: CAROL };
    expect((await post('send-contact', { phone: bob.jid, contacts: Array(11).fill(card) })).status).toBe(400);
    const badPhone = await post('send-contact', { phone: bob.jid, contacts: [card, { name: 'Y', phone: 'abc' }] });
    expect(badPhone.status).toBe(400);
    expect(JSON.stringify(badPhone.body)).toContain('contacts[1].phone');
  });

  it("send-poll: the peer gets the poll; the peer's vote tallies on our message", async () => {
    const id = await send('send-poll', { phone: bob.jid, question: 'Lunch?', options: ['Pizza', 'Sushi', 'Soup'], multipleAnswers: true });
    const poll = { question: 'Lunch?', options: ['Pizza', 'Sushi', 'Soup'], multipleAnswers: true };
    expect(await bobGot(id)).toMatchObject({ messageType: 'poll', content: 'Lunch?', poll });
    await receiveMessage(server, user, alice.id, { from: bob.jid, pollVote: { messageId: id, options: ['Pizza', 'Soup'] } });
    const voted = await eventually(async () => {
      const row = await messageOf(alice.id, bob.jid, id);
      return row.poll.votes.Pizza.length > 0 ? row : undefined;
    }, 5000, 'the vote on our poll');
    expect(voted.poll).toEqual({ ...poll, votes: { Pizza: [bob.jid], Sushi: [], Soup: [bob.jid] } });
    const single = await send('send-poll', { phone: bob.jid, question: 'Tea or coffee?', options: ['Tea', 'Coffee'] });
    expect(await bobGot(single)).toMatchObject({ poll: { multipleAnswers: false } });
  });

  it('send-poll answers 400 for one option, thirteen, or the same option twice', async () => {
    const one = await post('send-poll', { phone: bob.jid, question: 'Q', options: ['A'] });
    expect(one.status).toBe(400);
    expect(JSON.stringify(one.body)).toContain('options');
    const options = Array.from({ length: 13 }, (_, i) => `o${i}`);
    expect((await post('send-poll', { phone: bob.jid, question: 'Q', options })).status).toBe(400);
    expect((await post('send-poll', { phone: bob.jid, question: 'Q', options: ['A', 'A'] })).status).toBe(400);
    const padded = await post('send-poll', { phone: bob.jid, question: 'Q', options: ['A', ' A '] });
    expect(padded.status).toBe(400);
    expect(JSON.stringify(padded.body)).toContain('options[1]');
  });

  it('counts each as one sent message, not as media', async () => {
    const dave = await linkInstance(server, user, { phone: '79001120004' });
    const as = (path: string, body: Record<string, unknown>) => server.request('POST', `/api/whatsapp/${dave.id}/${path}`, { as: user, body });
    expect((await as('send-location', { phone: bob.jid, latitude: 1, longitude: 2 })).status).toBe(200);
    expect((await as('send-contact', { phone: bob.jid, contacts: [{ name: 'Carol', phone: CAROL }] })).status).toBe(200);
    expect((await as('send-poll', { phone: bob.jid, question: 'Q', options: ['A', 'B'] })).status).toBe(200);
    const stats = await eventually(async () => {
      const res = await server.request('GET', `/api/stats/instances/${dave.id}`, { as: user });
      return res.body.usage.messagesSent === 3 ? res : undefined;
    }, 5000, 'three sends counted');
    expect(stats.body.usage).toMatchObject({ messagesSent: 3, mediaSent: 0 });
  });
});
