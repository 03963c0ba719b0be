import { describe, expect, it } from 'vitest';
import { createUser, eventually, linkInstance, type TestUser } from '../support/app.js';
import { useWebhookReceiver } from '../support/webhooks.js';

/*
 * Issue 18: a peer's presence (typing, recording, online) reaches webhooks as presence_update,
 * signed like every event but never stored in the event log, and the dashboard reads a chat's
 * last one through GET /api/whatsapp/:id/presence/:chatId.
 */

const SECRET = 'presence-secret';
const BOB = '79001250001';
const BOB_JID = `${BOB}@s.whatsapp.net`;

const env = useWebhookReceiver(SECRET);

const type = (id: string, from: string, presence: string) => env.server.request('POST', `/api/simulator/instances/${id}/inbound`, { as: env.user, body: { from, presence } });
const presenceOf = (id: string, chatId: string, as: TestUser = env.user) => env.server.request('GET', `/api/whatsapp/${id}/presence/${chatId}`, { as });
const hooks = (id: string, event = 'presence_update') => env.hooks(id, event);

describe('a peer typing', () => {
  it('reaches the webhook signed, shows in the chat presence, and is not stored as an event', async () => {
    const { id } = await linkInstance(env.server, env.user, { body: env.webhook() });
    const nothing = await presenceOf(id, BOB);
    expect(nothing.status).toBe(200);
    expect(nothing.body).toEqual({ chatId: BOB_JID, state: null, from: null, at: null });

    const typed = await type(id, BOB, 'composing');
    expect(typed.status).toBe(200);
    expect(typed.body).toEqual({});
    const [hook] = await eventually(() => (hooks(id).length > 0 ? hooks(id) : undefined), 5000, 'the presence_update webhook');
    expect(hook.body).toMatchObject({ event: 'presence_update', data: { instanceId: id, chatId: BOB_JID, from: BOB_JID, state: 'composing' } });
    expect(env.signed(hook)).toBe(true);

    const shown = await presenceOf(id, `+${BOB}`);
    expect(shown.body).toMatchObject({ chatId: BOB_JID, state: 'composing', from: BOB_JID });
    expect(Math.abs(Date.parse(shown.body.at) - Date.now())).toBeLessThan(5000);

    await type(id, BOB, 'recording');
    await eventually(async () => (await presenceOf(id, BOB)).body.state === 'recording', 5000, 'recording shown');
    await eventually(() => hooks(id).length === 2, 5000, 'the second presence_update');
    expect(hooks(id).map((h) => h.body.data.state)).toEqual(['composing', 'recording']);

    // Not in the event log: the feed has nothing of it, and cannot be asked for it.
    const feed = await env.server.request('GET', `/api/instances/${id}/events?limit=100`, { as: env.user });
    expect(feed.body.events.map((e: { type: string }) => e.type)).not.toContain('presence_update');
    expect((await env.server.request('GET', `/api/instances/${id}/events?types=presence_update`, { as: env.user })).status).toBe(400);
  });

  it('goes out exactly when subscribed in webhookSettings.events, and with notifyReceived otherwise', async () => {
    const { id } = await linkInstance(env.server, env.user, { body: env.webhook({ notifyReceived: false }) });
    await type(id, BOB, 'composing');
    // The chat presence proves it was heard; with notifyReceived off nothing goes out.
    await eventually(async () => (await presenceOf(id, BOB)).body.state === 'composing', 5000, 'composing heard');

    const put = await env.server.request('PUT', `/api/instances/${id}`, { as: env.user, body: { webhookSettings: { events: ['presence_update'] } } });
    expect(put.status).toBe(200);
    expect((await env.server.request('GET', `/api/instances/${id}`, { as: env.user })).body.webhookSettings.events).toEqual(['presence_update']);
    await type(id, BOB, 'paused');
    await eventually(() => hooks(id).length === 1, 5000, 'the subscribed presence_update');
    expect(hooks(id)[0].body.data.state).toBe('paused');

    await env.server.request('PUT', `/api/instances/${id}`, { as: env.user, body: { webhookSettings: { events: ['message_received'] } } });
    await type(id, BOB, 'available');
    await eventually(async () => (await presenceOf(id, BOB)).body.state === 'available', 5000, 'available heard');
    await env.server.request('POST', `/api/simulator/instances/${id}/inbound`, { as: env.user, body: { from: BOB, text: 'after the presence' } });
    await eventually(() => hooks(id, 'message_received').length === 1, 5000, 'the message after it');
    expect(hooks(id).map((h) => h.body.data.state)).toEqual(['paused']);
  });

  it('holds one request per instance in flight; meanwhile a newer update of a chat replaces the older', async () => {
    const { id } = await linkInstance(env.server, env.user, { body: env.webhook() });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    env.receiver.respond = async (hook) => {
      if (hook.body.event === 'presence_update' && hook.body.data.instanceId === id && hook.body.data.state === 'composing') await held;
      return 200;
    };
    try {
      await type(id, BOB, 'composing');
      await eventually(() => hooks(id).length === 1, 5000, 'the first update in flight');
      await type(id, BOB, 'paused');
      await type(id, BOB, 'recording');
      await type(id, '79001250009', 'composing');
      await eventually(async () => (await presenceOf(id, '79001250009')).body.state === 'composing', 5000, 'the last update heard');
      release();
      await eventually(() => hooks(id).length === 3, 5000, 'the waiting updates');
      expect(hooks(id).map((h) => [h.body.data.chatId, h.body.data.state])).toEqual([
        [BOB_JID, 'composing'],
        [BOB_JID, 'recording'],
        ['79001250009@s.whatsapp.net', 'composing'],
      ]);
    } finally {
      release();
      env.receiver.respond = () => 200;
    }
  });

  it("reports another simulator instance's typing, and records what we showed a virtual peer", async () => {
    const alice = await linkInstance(env.server, env.user, { phone: '79001250002' });
    const bob = await linkInstance(env.server, env.user, { phone: '79001250003' });
    expect((await env.server.request('POST', `/api/whatsapp/${bob.id}/presence`, { as: env.user, body: { chatId: alice.jid, state: 'composing' } })).status).toBe(200);
    await eventually(async () => (await presenceOf(alice.id, bob.jid)).body.state === 'composing', 5000, "Bob's typing at Alice");

    expect((await env.server.request('POST', `/api/whatsapp/${alice.id}/presence`, { as: env.user, body: { chatId: BOB, state: 'recording' } })).status).toBe(200);
    expect((await env.server.request('POST', `/api/whatsapp/${alice.id}/presence`, { as: env.user, body: { state: 'available' } })).status).toBe(200);
    const seen = await env.server.request('GET', `/api/simulator/instances/${alice.id}/presences`, { as: env.user });
    expect(seen.body).toEqual({ presences: { [bob.jid]: 'composing' }, shown: { everyone: 'available', chats: { [BOB_JID]: 'recording' } } });
  });

  it("answers 404 for another user's instance, 401 without credentials, and 400 naming a bad presence", async () => {
    const { id } = await linkInstance(env.server, env.user);
    const stranger = await createUser(env.server);
    expect((await presenceOf(id, BOB, stranger)).status).toBe(404);
    expect((await env.server.request('GET', `/api/whatsapp/${id}/presence/${BOB}`)).status).toBe(401);
    expect((await presenceOf(id, 'not-a-phone')).status).toBe(400);
    const bad = await type(id, BOB, 'dancing');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('presence');
    const both = await env.server.request('POST', `/api/simulator/instances/${id}/inbound`, { as: env.user, body: { from: BOB, presence: 'composing', text: 'x' } });
    expect(both.status).toBe(400);
  });
});
