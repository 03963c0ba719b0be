import { describe, expect, it } from 'vitest';
import { createUser, eventually, linkInstance, receiveMessage, startServer, type TestServer } from '../support/app.js';
import { useWebhookReceiver } from '../support/webhooks.js';

/*
 * Issue 18, receiving: every kind of message a virtual peer sends arrives in history with its
 * fields, and a reaction, edit, delete or poll vote changes the message it targets, with its
 * event and its signed webhook.
 */

const SECRET = 'rich-receive-secret';
const BOB = '79001230001';
const BOB_JID = `${BOB}@s.whatsapp.net`;
const CAROL = '79001230002';
const CAROL_JID = `${CAROL}@s.whatsapp.net`;

const env = useWebhookReceiver(SECRET);

const inbound = (id: string, body: Record<string, unknown>) => receiveMessage(env.server, env.user, id, body);

async function history(id: string, chat = BOB_JID): Promise<Array<Record<string, any>>> {
  const res = await env.server.request('GET', `/api/instances/${id}/chats/${chat}/messages?limit=100`, { as: env.user });
  expect(res.status).toBe(200);
  return res.body.messages;
}

async function messageOf(id: string, messageId: string, chat = BOB_JID): Promise<Record<string, any>> {
  return eventually(async () => (await history(id, chat)).find((m) => m.messageId === messageId), 5000, `message ${messageId} in history`);
}

async function events(id: string, types: string): Promise<Array<Record<string, any>>> {
  const res = await env.server.request('GET', `/api/instances/${id}/events?types=${types}&limit=100`, { as: env.user });
  expect(res.status).toBe(200);
  return res.body.events;
}

function hooks(id: string, event: string) {
  return env.hooks(id, event);
}

describe('receiving every kind of message', () => {
  it('keeps each kind in history with the fields it needs', async () => {
    const { id } = await linkInstance(env.server, env.user);
    const text = await inbound(id, { from: BOB, text: 'hi @Carol', mentions: [CAROL] });
    const voice = await inbound(id, { from: BOB, media: { kind: 'voice', base64: Buffer.from('opus').toString('base64'), mimeType: 'audio/ogg; codecs=opus' } });
    const cards = await inbound(id, { from: BOB, contacts: [{ name: 'Carol', phone: CAROL }, { name: 'Dave', phone: '+7 900 123-00-03' }] });
    const poll = await inbound(id, { from: BOB, poll: { question: 'Lunch?', options: ['Pizza', 'Sushi', 'Soup'], multipleAnswers: true } });
    const oldCard = await inbound(id, { from: BOB, contact: { name: 'Eve', phone: '79001230004' } });
    const place = await inbound(id, { from: BOB, location: { latitude: 37.5665, longitude: 126.978, name: 'Seoul City Hall', address: '110 Sejong-daero' } });
    const reply = await inbound(id, { from: BOB, text: 'see above', quotedMessageId: text });

    expect(await messageOf(id, text)).toMatchObject({ messageType: 'text', content: 'hi @Carol', mentions: [CAROL_JID] });
    expect(await messageOf(id, voice)).toMatchObject({ messageType: 'voice', hasMedia: true, mimeType: 'audio/ogg; codecs=opus' });
    const contactRow = await messageOf(id, cards);
    expect(contactRow).toMatchObject({ messageType: 'contact', content: 'Carol, Dave', contacts: [{ name: 'Carol', phone: CAROL }, { name: 'Dave', phone: '79001230003' }] });
    expect(contactRow.contacts[0].vcard).toContain(`waid=${CAROL}`);
    expect(await messageOf(id, oldCard)).toMatchObject({ messageType: 'contact', contacts: [{ name: 'Eve', phone: '79001230004' }] });
    expect(await messageOf(id, place)).toMatchObject({
      messageType: 'location',
      content: 'Seoul City Hall',
      location: { latitude: 37.5665, longitude: 126.978, name: 'Seoul City Hall', address: '110 Sejong-daero' },
    });
    expect(await messageOf(id, reply)).toMatchObject({ messageType: 'text', content: 'see above', quotedMessageId: text });
    expect(await messageOf(id, poll)).toMatchObject({
      messageType: 'poll',
      content: 'Lunch?',
      poll: { question: 'Lunch?', options: ['Pizza', 'Sushi', 'Soup'], multipleAnswers: true, votes: { Pizza: [], Sushi: [], Soup: [] } },
    });
    const received = await events(id, 'message_received');
    expect(received.find((e) => e.data.messageId === cards)?.data).toMatchObject({ type: 'contact', contacts: [{ name: 'Carol' }, { name: 'Dave' }], contact: { name: 'Carol' } });
    expect(received.find((e) => e.data.messageId === poll)?.data).toMatchObject({ type: 'poll', poll: { question: 'Lunch?' } });
  });

  it('applies reactions, edits, deletes and votes to their message, with events and signed webhooks', async () => {
    const { id } = await linkInstance(env.server, env.user, { body: env.webhook() });
    const hello = await inbound(id, { from: BOB, text: 'helo' });
    const poll = await inbound(id, { from: BOB, poll: { question: 'Lunch?', options: ['Pizza', 'Sushi', 'Soup'], multipleAnswers: true } });

    await inbound(id, { from: BOB, reaction: { messageId: hello, emoji: '👍' } });
    await inbound(id, { from: BOB, reaction: { messageId: hello, emoji: '❤️' } });
    await inbound(id, { from: BOB, edit: { messageId: hello, text: 'hello' } });
    await inbound(id, { from: BOB, pollVote: { messageId: poll, options: ['Pizza', 'Soup'] } });
    await inbound(id, { from: BOB, pollVote: { messageId: poll, options: ['Sushi'] } });
    await inbound(id, { from: CAROL, pollVote: { messageId: poll, options: ['Sushi'] } });

    const edited = await eventually(async () => {
      const row = await messageOf(id, hello);
      return row.editedAt ? row : undefined;
    }, 5000, 'the edit');
    expect(edited).toMatchObject({ content: 'hello', edits: ['helo'], reactions: [{ from: BOB_JID, emoji: '❤️', at: expect.any(String) }] });
    const voted = await eventually(async () => {
      const row = await messageOf(id, poll);
      return row.poll.votes.Sushi.length === 2 ? row : undefined;
    }, 5000, 'the votes');
    // Bob's second vote replaced his first.
    expect(voted.poll.votes).toEqual({ Pizza: [], Sushi: [BOB_JID, CAROL_JID], Soup: [] });
    expect(JSON.stringify(voted)).not.toContain('pollVotes');

    await inbound(id, { from: BOB, reaction: { messageId: hello, emoji: '' } });
    await inbound(id, { from: BOB, delete: { messageId: hello } });
    const deleted = await eventually(async () => {
      const row = await messageOf(id, hello);
      return row.deletedAt ? row : undefined;
    }, 5000, 'the delete');
    expect(deleted).toMatchObject({ content: null, messageType: 'text' });
    expect(deleted.reactions).toBeUndefined();
    expect(deleted.edits).toBeUndefined();
    expect(JSON.stringify(deleted)).not.toContain('helo');
    expect((await history(id)).filter((m) => m.messageId !== hello && m.messageId !== poll)).toEqual([]);
    const chats = await env.server.request('GET', `/api/instances/${id}/chats`, { as: env.user });
    expect(chats.body.chats[0].lastMessage).toMatchObject({ id: poll, type: 'poll', deleted: false });

    const reactions = (await events(id, 'message_reaction')).map((e) => e.data);
    expect(reactions.map((r) => r.emoji)).toEqual(['👍', '❤️', '']);
    expect(reactions[0]).toMatchObject({ messageId: hello, from: BOB_JID, chatId: BOB_JID, fromMe: false });
    expect((await events(id, 'message_edited'))[0].data).toMatchObject({ messageId: hello, from: BOB_JID, body: 'hello' });
    expect((await events(id, 'message_deleted'))[0].data).toMatchObject({ messageId: hello, from: BOB_JID });
    expect((await events(id, 'poll_vote')).map((e) => e.data)).toMatchObject([
      { messageId: poll, from: BOB_JID, selectedOptions: ['Pizza', 'Soup'] },
      { messageId: poll, from: BOB_JID, selectedOptions: ['Sushi'] },
      { messageId: poll, from: CAROL_JID, selectedOptions: ['Sushi'] },
    ]);

    await eventually(() => hooks(id, 'message_deleted').length === 1 && hooks(id, 'poll_vote').length === 3, 5000, 'webhooks');
    expect(hooks(id, 'message_reaction').map((h) => h.body.data.emoji)).toEqual(['👍', '❤️', '']);
    expect(hooks(id, 'message_edited')[0].body.data).toMatchObject({ messageId: hello, from: BOB_JID, body: 'hello' });
    expect(hooks(id, 'poll_vote')[2].body.data).toMatchObject({ messageId: poll, from: CAROL_JID, selectedOptions: ['Sushi'] });
    for (const event of ['message_reaction', 'message_edited', 'message_deleted', 'poll_vote']) {
      for (const hook of hooks(id, event)) expect(env.signed(hook)).toBe(true);
    }
  });

  it('shows a deleted last message as deleted in the chat list', async () => {
    const { id } = await linkInstance(env.server, env.user);
    const oops = await inbound(id, { from: BOB, text: 'wrong chat' });
    await inbound(id, { from: BOB, delete: { messageId: oops } });
    const last = await eventually(async () => {
      const res = await env.server.request('GET', `/api/instances/${id}/chats`, { as: env.user });
      return res.body.chats[0]?.lastMessage?.deleted ? res.body.chats[0].lastMessage : undefined;
    }, 5000, 'deleted last message');
    expect(last).toMatchObject({ id: oops, preview: null, deleted: true });
  });

  it('keeps a change to a message it does not have as an event, and ignores one that does not apply', async () => {
    const { id } = await linkInstance(env.server, env.user);
    await inbound(id, { from: BOB, reaction: { messageId: 'NOT-STORED', emoji: '🔥' } });
    const text = await inbound(id, { from: BOB, text: 'no poll here' });
    await inbound(id, { from: BOB, pollVote: { messageId: text, options: ['Yes'] } });
    // Someone else cannot edit Bob's message.
    await inbound(id, { from: CAROL, edit: { messageId: text, text: 'forged' } });
    await eventually(async () => (await events(id, 'message_edited')).length === 1, 5000, 'the refused edit announced');
    expect((await events(id, 'message_reaction'))[0].data).toMatchObject({ messageId: 'NOT-STORED', emoji: '🔥', from: BOB_JID });
    const row = await messageOf(id, text);
    expect(row.content).toBe('no poll here');
    expect(row.editedAt).toBeUndefined();
    expect(row.poll).toBeUndefined();
    expect((await history(id)).map((m) => m.messageId)).toEqual([text]);
  });

  it('announces a reaction or a vote WhatsApp delivers twice once, and a change back again', async () => {
    const { id } = await linkInstance(env.server, env.user, { body: env.webhook() });
    const text = await inbound(id, { from: BOB, text: 'react twice' });
    const poll = await inbound(id, { from: BOB, poll: { question: 'Tea?', options: ['Yes', 'No'] } });
    for (let copy = 0; copy < 2; copy++) {
      await inbound(id, { from: BOB, reaction: { messageId: text, emoji: '👍' } });
      await inbound(id, { from: BOB, pollVote: { messageId: poll, options: ['Yes'] } });
    }
    await inbound(id, { from: BOB, reaction: { messageId: text, emoji: '' } });
    await inbound(id, { from: BOB, reaction: { messageId: text, emoji: '👍' } });
    await eventually(async () => (await events(id, 'message_reaction')).length === 3, 5000, 'the reactions announced');
    expect((await events(id, 'message_reaction')).map((e) => e.data.emoji)).toEqual(['👍', '', '👍']);
    expect((await events(id, 'poll_vote')).map((e) => e.data.selectedOptions)).toEqual([['Yes']]);
    await eventually(() => hooks(id, 'message_reaction').length === 3, 5000, 'the reaction webhooks');
    expect(hooks(id, 'poll_vote')).toHaveLength(1);
    expect((await messageOf(id, text)).reactions).toEqual([{ from: BOB_JID, emoji: '👍', at: expect.any(String) }]);
    expect((await messageOf(id, poll)).poll.votes).toEqual({ Yes: [BOB_JID], No: [] });
  });

  it('sends exactly the subscribed events when webhookSettings.events is set, and the flags decide again when it is null', async () => {
    const { id } = await linkInstance(env.server, env.user, { body: env.webhook({ notifyReceived: false }) });
    const put = await env.server.request('PUT', `/api/instances/${id}`, { as: env.user, body: { webhookSettings: { events: ['message_reaction', 'poll_vote', 'poll_vote'] } } });
    expect(put.status).toBe(200);
    const shown = await env.server.request('GET', `/api/instances/${id}`, { as: env.user });
    expect(shown.body.webhookSettings.events).toEqual(['message_reaction', 'poll_vote']);

    const text = await inbound(id, { from: BOB, text: 'react to me' });
    await inbound(id, { from: BOB, reaction: { messageId: text, emoji: '👍' } });
    await inbound(id, { from: BOB, edit: { messageId: text, text: 'react to this' } });
    await eventually(() => hooks(id, 'message_reaction').length === 1, 5000, 'the subscribed reaction');
    await eventually(async () => (await events(id, 'message_edited')).length === 1, 5000, 'the edit stored');

    expect((await env.server.request('PUT', `/api/instances/${id}`, { as: env.user, body: { webhookSettings: { events: null } } })).status).toBe(200);
    await inbound(id, { from: BOB, reaction: { messageId: text, emoji: '😂' } });
    await eventually(async () => (await events(id, 'message_reaction')).length === 2, 5000, 'the second reaction stored');
    // notifyReceived is off, so with no subscription the second reaction is not sent either.
    const messageEvents = ['message_received', 'message_reaction', 'message_edited', 'message_deleted', 'poll_vote'];
    const sent = env.hooks(id, ...messageEvents).map((h) => h.body.event);
    expect(sent).toEqual(['message_reaction']);
    // Of the two settings changes, only the one that ended the subscription went out (the flags send it).
    await eventually(() => hooks(id, 'webhook_updated').length > 0, 5000, 'webhook_updated after the subscription ended');
    expect(hooks(id, 'webhook_updated')).toHaveLength(1);
  });

  it('refuses bad inbound input naming the field, and an unknown event name in the subscription', async () => {
    const { id } = await linkInstance(env.server, env.user);
    const send = (body: Record<string, unknown>) => env.server.request('POST', `/api/simulator/instances/${id}/inbound`, { as: env.user, body });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ from: BOB, poll: { question: 'Q', options: ['only one'] } }, 'poll.options'],
      [{ from: BOB, poll: { question: 'Q', options: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'] } }, 'poll.options'],
      [{ from: BOB, poll: { question: 'Q', options: ['a', 'a'] } }, 'poll.options'],
      [{ from: BOB, contacts: [] }, 'contacts'],
      [{ from: BOB, contacts: [{ name: 'X', phone: 'nope' }] }, 'contacts[0].phone'],
      [{ from: BOB, reaction: { emoji: '👍' } }, 'reaction.messageId'],
      [{ from: BOB, text: 'x', reaction: { messageId: 'M', emoji: '👍' } }, 'text'],
      [{ from: BOB, delete: { messageId: 'M' }, mentions: [CAROL] }, 'mentions'],
      [{ from: BOB, media: { kind: 'ptt', base64: '', mimeType: 'audio/ogg' } }, 'media.kind'],
      [{ from: BOB, location: { latitude: 91, longitude: 0 } }, 'location.latitude'],
      [{ from: BOB, poll: { question: 'Q', options: ['a', 'b'] }, quotedMessageId: 'M' }, 'quotedMessageId'],
      [{ from: BOB, edit: { messageId: 'M', text: 'x' }, quotedMessageId: 'M' }, 'quotedMessageId'],
    ];
    for (const [body, field] of cases) {
      const res = await send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body), JSON.stringify(body)).toContain(field);
    }
    const bad = await env.server.request('PUT', `/api/instances/${id}`, { as: env.user, body: { webhookSettings: { events: ['message_reaction', 'message_exploded'] } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('events');
  });
});

describe('after a restart', () => {
  it('keeps reactions, edits, deletes and votes', async () => {
    let restarted = await startServer();
    try {
      const owner = await createUser(restarted);
      const { id } = await linkInstance(restarted, owner);
      const send = (body: Record<string, unknown>) => receiveMessage(restarted, owner, id, body);
      const text = await send({ from: BOB, text: 'first' });
      const gone = await send({ from: BOB, text: 'gone' });
      const poll = await send({ from: BOB, poll: { question: 'Q?', options: ['A', 'B'] } });
      await send({ from: BOB, reaction: { messageId: text, emoji: '👍' } });
      await send({ from: BOB, edit: { messageId: text, text: 'second' } });
      await send({ from: BOB, delete: { messageId: gone } });
      await send({ from: CAROL, pollVote: { messageId: poll, options: ['B'] } });
      const votes = async (s: TestServer) => (await s.request('GET', `/api/instances/${id}/chats/${BOB_JID}/messages`, { as: owner })).body.messages;
      await eventually(async () => (await votes(restarted)).find((m: any) => m.messageId === poll)?.poll.votes.B.length === 1, 5000, 'the vote');

      restarted = await restarted.restart();

      const rows: Array<Record<string, any>> = await votes(restarted);
      expect(rows.find((m) => m.messageId === text)).toMatchObject({ content: 'second', edits: ['first'], reactions: [{ from: BOB_JID, emoji: '👍' }] });
      expect(rows.find((m) => m.messageId === gone)).toMatchObject({ content: null, deletedAt: expect.any(String) });
      expect(rows.find((m) => m.messageId === poll)?.poll.votes).toEqual({ A: [], B: [CAROL_JID] });
    } finally {
      await restarted.close();
    }
  });
});
