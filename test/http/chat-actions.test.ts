import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventually, linkInstance, startServer, type TestServer, type TestUser } from '../support/app.js';

/*
 * Issue 18: read receipts, presence and number checks. Alice acts; Bob, another simulator
 * instance, is the peer. Virtual phones never read on their own here, so a `read` status on
 * Bob's side comes only from Alice's receipts.
 */

let server: TestServer;
let user: TestUser;
let alice: { id: string; jid: string };
let bob: { id: string; jid: string };
beforeAll(async () => {
  server = await startServer({ env: { SIMULATOR_READ_DELAY_MS: '600000' } });
  user = await createUser(server);
  alice = await linkInstance(server, user, { phone: '79001140001', pushName: 'Alice' });
  bob = await linkInstance(server, user, { phone: '79001140002', pushName: 'Bob' });
});
afterAll(() => server.close());

const post = (path: string, body: Record<string, unknown>, instanceId = alice.id) => server.request('POST', `/api/whatsapp/${instanceId}/${path}`, { as: user, body });

async function statusAtBob(messageId: string): Promise<string> {
  const res = await server.request('GET', `/api/instances/${bob.id}/chats/${alice.jid}/messages?limit=100`, { as: user });
  return (res.body.messages as Array<{ messageId: string; status: string }>).find((m) => m.messageId === messageId)?.status ?? 'missing';
}

async function aliceChat(): Promise<{ unreadCount: number }> {
  const res = await server.request('GET', `/api/instances/${alice.id}/chats?limit=100`, { as: user });
  return (res.body.chats as Array<{ chatId: string; unreadCount: number }>).find((c) => c.chatId === bob.jid)!;
}

describe('read receipts', () => {
  it('marks named messages read at the sender, then the rest of the unread, and zeroes the unread count', async () => {
    const ids: string[] = [];
    for (const message of ['one', 'two', 'three']) ids.push((await post('send', { phone: alice.jid, message }, bob.id)).body.id);
    await eventually(async () => (await aliceChat())?.unreadCount === 3, 5000, 'three unread at Alice');
    await eventually(async () => (await statusAtBob(ids[2])) === 'delivered', 5000, 'delivered to Alice');

    const first = await post('read', { chatId: bob.jid, messageIds: [ids[0]] });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ chatId: bob.jid, messageIds: [ids[0]] });
    await eventually(async () => (await statusAtBob(ids[0])) === 'read', 5000, 'the first read at Bob');
    expect(await statusAtBob(ids[1])).toBe('delivered');
    expect((await aliceChat()).unreadCount).toBe(0);

    const rest = await post('read', { chatId: '+7 900 114-00-02' });
    expect(rest.status).toBe(200);
    expect(rest.body.messageIds).toHaveLength(0);
    const another = (await post('send', { phone: alice.jid, message: 'four' }, bob.id)).body.id;
    await eventually(async () => (await aliceChat()).unreadCount === 1, 5000, 'one unread');
    expect((await post('read', { chatId: bob.jid })).body.messageIds).toEqual([another]);
    await eventually(async () => (await statusAtBob(another)) === 'read', 5000, 'the new one read at Bob');
  });

  it('answers 404 for a chat with no messages or a message of another chat', async () => {
    const noChat = await post('read', { chatId: '79001239999' });
    expect(noChat.status).toBe(404);
    expect(JSON.stringify(noChat.body)).toContain('chatId');
    const wrong = await post('read', { chatId: bob.jid, messageIds: ['NOT-HERE'] });
    expect(wrong.status).toBe(404);
    expect(JSON.stringify(wrong.body)).toContain('messageIds[0]');
  });
});

describe('presence', () => {
  const presencesAtBob = async () => (await server.request('GET', `/api/simulator/instances/${bob.id}/presences`, { as: user })).body.presences;

  it('shows typing in a chat and online to everyone', async () => {
    expect((await post('presence', { chatId: bob.jid, state: 'composing' })).status).toBe(200);
    expect(await presencesAtBob()).toEqual({ [alice.jid]: 'composing' });
    expect((await post('presence', { chatId: bob.jid, state: 'recording' })).status).toBe(200);
    expect(await presencesAtBob()).toEqual({ [alice.jid]: 'recording' });
    expect((await post('presence', { state: 'available' })).status).toBe(200);
    expect(await presencesAtBob()).toEqual({ [alice.jid]: 'available' });
  });

  it('answers 400 naming chatId for typing without a chat, and the allowed states for another', async () => {
    const noChat = await post('presence', { state: 'composing' });
    expect(noChat.status).toBe(400);
    expect(JSON.stringify(noChat.body)).toContain('chatId');
    const bad = await post('presence', { state: 'dancing' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('state');
  });
});

describe('number checks', () => {
  it('tells accounts from numbers not on WhatsApp, keeping the input as given', async () => {
    const res = await post('check-numbers', { phones: ['+7 900 114-00-02', '79001230000', bob.jid] });
    expect(res.status).toBe(200);
    const lid = expect.stringMatching(/^\d{15}@lid$/);
    expect(res.body).toEqual({
      results: [
        { phone: '+7 900 114-00-02', exists: true, jid: bob.jid, lid },
        { phone: '79001230000', exists: false, jid: '79001230000@s.whatsapp.net' },
        { phone: bob.jid, exists: true, jid: bob.jid, lid },
      ],
    });
    // One account, one LID.
    expect(res.body.results[2].lid).toBe(res.body.results[0].lid);
  });

  it('answers 400 for no numbers, more than 100, or one that is not a number', async () => {
    expect((await post('check-numbers', { phones: [] })).status).toBe(400);
    expect((await post('check-numbers', { phones: Array(101).fill('79001234567') })).status).toBe(400);
    const bad = await post('check-numbers', { phones: ['79001234567', 'abc'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('phones[1]');
  });
});
