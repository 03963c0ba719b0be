import { describe, expect, it } from 'vitest';
import { eventually, linkInstance, receiveMessage } from '../support/app.js';
import { useWebhookReceiver } from '../support/webhooks.js';

/*
 * Issue 18, phone numbers, not only LIDs: a virtual peer that writes from its LID is reported by
 * its phone number (from, remoteJid) with the LID beside it (lid), in history, the events feed
 * and signed webhooks; sends, reads and presence take a LID; number checks answer the LID.
 */

const SECRET = 'lid-secret';
const BOB = '79001240001';
const BOB_JID = `${BOB}@s.whatsapp.net`;
const BOB_LID = '205000000000001@lid';

const env = useWebhookReceiver(SECRET);

const inbound = (id: string, body: Record<string, unknown>) => receiveMessage(env.server, env.user, id, body);
const post = (id: string, action: string, body: Record<string, unknown>) => env.server.request('POST', `/api/whatsapp/${id}/${action}`, { as: env.user, body });

async function history(id: string, chat: string): Promise<Array<Record<string, any>>> {
  const res = await env.server.request('GET', `/api/instances/${id}/chats/${chat}/messages?limit=100`, { as: env.user });
  expect(res.status).toBe(200);
  return res.body.messages;
}

async function events(id: string, types: string): Promise<Array<Record<string, any>>> {
  const res = await env.server.request('GET', `/api/instances/${id}/events?types=${types}&limit=100`, { as: env.user });
  expect(res.status).toBe(200);
  return res.body.events;
}

describe('a peer that writes from its LID', () => {
  it('is its phone number in history, the chat list, the events feed and signed webhooks, with the LID beside it', async () => {
    const { id } = await linkInstance(env.server, env.user, { body: env.webhook() });
    const first = await inbound(id, { from: BOB, lid: BOB_LID, pushName: 'Bob', text: 'from my LID, with my number' });
    // WhatsApp names the number once; the instance keeps the mapping.
    const second = await inbound(id, { from: BOB_LID, text: 'from my LID alone' });
    await inbound(id, { from: BOB_LID, reaction: { messageId: first, emoji: '👍' } });

    const rows = await eventually(async () => {
      const found = await history(id, BOB_JID);
      return found.length === 2 && found.some((m) => m.reactions?.length) ? found : undefined;
    }, 5000, 'both messages and the reaction in the phone chat');
    for (const messageId of [first, second]) {
      expect(rows.find((m) => m.messageId === messageId)).toMatchObject({ remoteJid: BOB_JID, lid: BOB_LID, fromMe: false });
    }
    expect(rows.find((m) => m.messageId === first)?.reactions).toEqual([expect.objectContaining({ from: BOB_JID, emoji: '👍' })]);
    // One chat, not a LID chat beside the phone chat: asked for by LID, history reads the phone chat.
    expect((await history(id, BOB_LID)).map((m) => m.messageId)).toEqual(rows.map((m) => m.messageId));
    const chats = await env.server.request('GET', `/api/instances/${id}/chats`, { as: env.user });
    expect(chats.body.chats.map((c: { chatId: string }) => c.chatId)).toEqual([BOB_JID]);

    const contacts = await env.server.request('GET', `/api/instances/${id}/contacts/db`, { as: env.user });
    expect(contacts.body.contacts).toEqual([expect.objectContaining({ remoteJid: BOB_JID, number: BOB, lid: BOB_LID, pushName: 'Bob' })]);
    const live = await env.server.request('GET', `/api/whatsapp/${id}/contacts`, { as: env.user });
    expect(live.body.contacts).toEqual([{ id: BOB_JID, name: 'Bob', number: BOB, isGroup: false, lid: BOB_LID }]);

    const received = await events(id, 'message_received');
    expect(received.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ messageId: first, from: BOB_JID, remoteJid: BOB_JID, lid: BOB_LID }),
        expect.objectContaining({ messageId: second, from: BOB_JID, remoteJid: BOB_JID, lid: BOB_LID }),
      ]),
    );
    const [reaction] = await events(id, 'message_reaction');
    expect(reaction.data).toMatchObject({ messageId: first, from: BOB_JID, lid: BOB_LID, emoji: '👍' });

    const hooks = await eventually(() => {
      const got = env.hooks(id, 'message_received', 'message_reaction');
      return got.length === 3 ? got : undefined;
    }, 5000, 'three webhooks');
    for (const hook of hooks) {
      expect(env.signed(hook)).toBe(true);
      expect(hook.body.data).toMatchObject({ from: BOB_JID, lid: BOB_LID });
    }
  });

  it('is still known by its phone number after a server restart: the mapping is kept with the credentials', async () => {
    const { id } = await linkInstance(env.server, env.user);
    await inbound(id, { from: BOB, lid: BOB_LID, text: 'before the restart' });
    env.server = await env.server.restart();
    await eventually(async () => (await env.server.request('GET', `/api/instances/${id}/status`, { as: env.user })).body.ready === true, 5000, 'reconnected');
    const messageId = await inbound(id, { from: BOB_LID, text: 'after the restart' });
    const row = await eventually(async () => (await history(id, BOB_JID)).find((m) => m.messageId === messageId), 5000, 'the message in the phone chat');
    expect(row).toMatchObject({ remoteJid: BOB_JID, lid: BOB_LID });
  });

  it('a LID the instance was never told the number of is its own chat', async () => {
    const { id } = await linkInstance(env.server, env.user);
    const lid = '205000000000009@lid';
    const messageId = await inbound(id, { from: lid, text: 'a stranger by LID' });
    const [row] = await eventually(async () => {
      const found = await history(id, lid);
      return found.length === 1 ? found : undefined;
    }, 5000, 'the message in the LID chat');
    expect(row).toMatchObject({ messageId, remoteJid: lid, lid });
    const live = await env.server.request('GET', `/api/whatsapp/${id}/contacts`, { as: env.user });
    expect(live.body.contacts).toEqual([expect.objectContaining({ id: lid, lid })]);
  });

  it('refuses a lid that is no LID, and a lid beside a from that already is one', async () => {
    const { id } = await linkInstance(env.server, env.user);
    const notLid = await env.server.request('POST', `/api/simulator/instances/${id}/inbound`, { as: env.user, body: { from: BOB, lid: BOB, text: 'x' } });
    expect(notLid.status).toBe(400);
    expect(JSON.stringify(notLid.body)).toContain('lid');
    const twice = await env.server.request('POST', `/api/simulator/instances/${id}/inbound`, { as: env.user, body: { from: BOB_LID, lid: BOB_LID, text: 'x' } });
    expect(twice.status).toBe(400);
    expect(JSON.stringify(twice.body)).toContain('lid');
  });
});

describe('sending to a LID', () => {
  it('goes to the phone number the LID belongs to: one chat, with the LID beside it; read and presence take the LID too', async () => {
    const { id, jid: me } = await linkInstance(env.server, env.user);
    const peer = await linkInstance(env.server, env.user);
    const peerPhone = peer.jid.split('@')[0];
    const check = await post(id, 'check-numbers', { phones: [peerPhone] });
    expect(check.status).toBe(200);
    const [{ lid, jid }] = check.body.results;
    expect(jid).toBe(peer.jid);
    expect(lid).toMatch(/^\d{15}@lid$/);

    const sent = await post(id, 'send', { phone: lid, message: 'to your LID' });
    expect(sent.status).toBe(200);
    const rows = await eventually(async () => {
      const found = await history(id, peer.jid);
      return found.find((m) => m.messageId === sent.body.id && m.status === 'read') ? found : undefined;
    }, 5000, 'the send read in the phone chat');
    expect(rows.find((m) => m.messageId === sent.body.id)).toMatchObject({ remoteJid: peer.jid, lid, fromMe: true, content: 'to your LID' });
    // The peer's phone got it, from our number.
    expect((await history(peer.id, me)).find((m) => m.messageId === sent.body.id)).toMatchObject({ fromMe: false, content: 'to your LID' });
    const [sentEvent] = (await events(id, 'message_sent')).filter((e) => e.data.messageId === sent.body.id);
    expect(sentEvent.data).toMatchObject({ to: peer.jid, lid });

    const rich = await post(id, 'send-location', { phone: lid, latitude: 1, longitude: 2 });
    expect(rich.status).toBe(200);
    expect((await history(id, peer.jid)).find((m) => m.messageId === rich.body.id)).toMatchObject({ remoteJid: peer.jid, lid, messageType: 'location' });

    const presence = await post(id, 'presence', { chatId: lid, state: 'composing' });
    expect(presence.status).toBe(200);
    const reply = await inbound(id, { from: peerPhone, text: 'read me' });
    await eventually(async () => (await history(id, peer.jid)).some((m) => m.messageId === reply), 5000, 'the reply stored');
    const read = await post(id, 'read', { chatId: lid });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ chatId: peer.jid, messageIds: [reply] });
  });
});
