import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppEmulator } from '../../emulator/emulator.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createInstance, createUser, eventually, startServer, testEnv, type TestServer, type TestUser } from '../support/app.js';
import { TEST_POSTGRES_URL } from '../support/postgres.js';
import { Receiver, verifyWebhookSignature } from '../webhooks/receiver.js';
import { authStateRows } from './auth-state-rows.js';
import { CountingProxy } from './counting-proxy.js';

const PEER = '79001234567';
const PEER_JID = `${PEER}@s.whatsapp.net`;
/** A second peer, which writes from its LID: the gateway learns its number only from WhatsApp. */
const LID_PEER = '79007654321';
const LID_PEER_JID = `${LID_PEER}@s.whatsapp.net`;
const SECRET = 'e2e-webhook-secret';
/** Not a valid PNG on purpose: the bytes must come back exactly as the peer sent them. */
const IMAGE = Buffer.from(Array.from({ length: 7000 }, (_, i) => (i * 31) % 256));

type FeedEvent = { id: string; type: string; data: Record<string, any> };

/** The peer's poll secret: its phone encrypts every vote with it. */
const POLL_SECRET = randomBytes(32);
const voteOn = (pollMsgId: string) => ({ pollMsgId, pollCreatorJid: PEER_JID, voterJid: PEER_JID, secret: POLL_SECRET });

describe('the emulator hook', () => {
  const hook = { WA_WEBSOCKET_URL: 'ws://127.0.0.1:9/ws/chat', WA_EMULATOR_ROOT_KEY: 'cm9vdA==' };

  it('is ignored unless WA_EMULATOR_ENABLED=true', () => {
    const { baileys } = loadConfig(testEnv('/tmp/unused', { ...hook, WA_EMULATOR_MEDIA_CA: '/nonexistent.pem' }));
    expect([baileys.websocketUrl, baileys.emulatorRootKey, baileys.emulatorMediaCa]).toEqual([undefined, undefined, undefined]);
  });

  it('needs the root key and a readable CA file once enabled', () => {
    expect(() => loadConfig(testEnv('/tmp/unused', { WA_EMULATOR_ENABLED: 'true', WA_WEBSOCKET_URL: hook.WA_WEBSOCKET_URL }))).toThrow(
      new ConfigError('WA_EMULATOR_ROOT_KEY: required'),
    );
    expect(() => loadConfig(testEnv('/tmp/unused', { WA_EMULATOR_ENABLED: 'true', ...hook, WA_EMULATOR_MEDIA_CA: '/nonexistent.pem' }))).toThrow(
      /^WA_EMULATOR_MEDIA_CA: cannot read/,
    );
  });
});

const PROVIDERS = ['sqlite' as const, ...(TEST_POSTGRES_URL ? ['postgres' as const] : [])];

/**
 * One linked instance's life through our HTTP API, on the real Baileys engine against the local
 * WhatsApp emulator. The steps build on each other, in order.
 */
describe.each(PROVIDERS)('a Baileys instance through the API against the WhatsApp emulator (%s)', (provider) => {
  let emulator: WhatsAppEmulator;
  let proxy: CountingProxy;
  let receiver: Receiver;
  let server: TestServer;
  let user: TestUser;
  let id: string;
  let deviceJid: string;
  let pollId: string;
  let textId: string;
  let peerLid: string;
  let lidPeerLid: string;

  beforeAll(async () => {
    emulator = await WhatsAppEmulator.start();
    peerLid = emulator.addPeer(PEER, 'Ivan').lid;
    lidPeerLid = emulator.addPeer(LID_PEER, 'Lida').lid;
    proxy = await CountingProxy.start(new URL(emulator.url));
    receiver = await Receiver.start();
    server = await startServer({
      provider,
      env: {
        WA_EMULATOR_ENABLED: 'true',
        WA_WEBSOCKET_URL: proxy.url(new URL(emulator.url)),
        WA_EMULATOR_ROOT_KEY: emulator.rootPublicKey,
        // Baileys moves media over https only; this trusts the emulator's media host for
        // Baileys' media agents alone, not for the whole test process.
        WA_EMULATOR_MEDIA_CA: emulator.mediaCaPath,
      },
    });
    user = await createUser(server);
  });

  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await emulator?.close();
    await receiver?.down();
  });

  const status = async () => (await server.request('GET', `/api/instances/${id}/status`, { as: user })).body as { status: string; ready: boolean };
  const waitStatus = (wanted: string, timeoutMs = 10_000) => eventually(async () => (await status()).status === wanted, timeoutMs, `status ${wanted}`);
  const feed = async (types: string) =>
    (await server.request('GET', `/api/instances/${id}/events?limit=1000&types=${types}`, { as: user })).body.events as FeedEvent[];
  const history = async () =>
    (await server.request('GET', `/api/instances/${id}/chats/${PEER}/messages?limit=100`, { as: user })).body.messages as Array<Record<string, any>>;
  const hooks = (event: string) => receiver.of(event).filter((h) => h.body.data.instanceId === id);

  it('links by QR: the phone scans the code our API shows, and the instance connects', async () => {
    ({ id } = await createInstance(server, user, {
      name: 'Baileys e2e',
      engine: 'baileys',
      webhookUrl: receiver.url(),
      webhookEnabled: true,
      webhookSecret: SECRET,
      notifyDelivery: true,
      notifyRead: true,
    }));
    const qr = await eventually(async () => {
      const res = await server.request('GET', `/api/instances/${id}/qr`, { as: user });
      return res.status === 200 && (res.body.qrCode as string);
    }, 10_000, 'a QR code');
    expect(qr).toMatch(/^https:\/\/wa\.me\/settings\/linked_devices#/);

    deviceJid = await emulator.scanQr(qr);
    await waitStatus('connected');
    expect(await status()).toMatchObject({ ready: true, hasQr: false });
    // The status is live state; the stored record (phone) follows once its transaction commits.
    await eventually(async () => (await server.request('GET', `/api/instances/${id}`, { as: user })).body.phone === `${emulator.defaultPhone}@s.whatsapp.net`, 5000, 'phone stored');
    // Pairing ends with WhatsApp's 515 "restart required": the supervisor reconnects on its own.
    const activity = (await server.request('GET', `/api/instances/${id}/activity?limit=100`, { as: user })).body.logs as Array<{ action: string; details: Record<string, unknown> }>;
    expect(activity).toContainEqual(expect.objectContaining({ details: { reason: 'restart_required' } }));

    const connected = await eventually(() => hooks('connected')[0], 5000, 'connected webhook');
    expect(verifyWebhookSignature(connected.raw, String(connected.headers['x-webhook-signature']), SECRET)).toBe(true);
    expect(hooks('qr_received')[0]?.body.data.qrCode).toBe(qr);
  });

  it('sends text that the peer decrypts, and follows it to delivered and read', async () => {
    const res = await server.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: `+${PEER}`, message: 'hello from the gateway' } });
    expect(res.status).toBe(200);
    const messageId = res.body.id as string;

    const [got] = await emulator.waitForReceived(PEER, 1);
    expect(got).toMatchObject({ id: messageId, text: 'hello from the gateway', from: deviceJid });

    const row = await eventually(async () => {
      const found = (await history()).find((m) => m.messageId === messageId);
      return found?.status === 'read' && found;
    }, 10_000, 'status read in history');
    expect(row).toMatchObject({ remoteJid: PEER_JID, fromMe: true, messageType: 'text', content: 'hello from the gateway' });

    const statuses = await eventually(async () => {
      const found = hooks('message_status').filter((h) => h.body.data.messageId === messageId).map((h) => h.body.data.status);
      return found.includes('read') && found;
    }, 5000, 'read webhook');
    expect(statuses).toContain('delivered');
    expect(hooks('message_sent').map((h) => h.body.data.messageId)).toContain(messageId);
  });

  it('receives text and an image from the peer: history, events, webhooks and the media route', async () => {
    const textId = await emulator.peerSend(PEER, { text: 'hi gateway' });
    const imageId = await emulator.peerSend(PEER, { image: IMAGE, caption: 'a picture', mimetype: 'image/png' });

    const rows = await eventually(async () => {
      const page = await history();
      const text = page.find((m) => m.messageId === textId);
      const image = page.find((m) => m.messageId === imageId);
      return text && image?.mediaUrl && { text, image };
    }, 10_000, 'both messages in history');
    expect(rows.text).toMatchObject({ fromMe: false, messageType: 'text', content: 'hi gateway', status: 'received' });
    expect(rows.image).toMatchObject({ fromMe: false, messageType: 'image', caption: 'a picture', hasMedia: true, mimeType: 'image/png', mediaSize: IMAGE.length });

    const file = await server.request('GET', rows.image.mediaUrl, { as: user });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.raw.equals(IMAGE)).toBe(true);

    const received = (await feed('message_received')).map((e) => e.data);
    expect(received).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ messageId: textId, from: PEER_JID, body: 'hi gateway', hasMedia: false, pushName: 'Ivan' }),
        expect.objectContaining({ messageId: imageId, from: PEER_JID, hasMedia: true }),
      ]),
    );
    const webhooks = await eventually(() => {
      const ids = hooks('message_received').map((h) => h.body.data.messageId);
      return ids.includes(textId) && ids.includes(imageId) && ids;
    }, 5000, 'message_received webhooks');
    expect(webhooks.filter((m) => m === textId)).toHaveLength(1);
  });

  it('receives a poll, a reaction, an edit and a vote: each applied to its message, each with its signed webhook', async () => {
    pollId = await emulator.peerSend(PEER, { poll: { question: 'Lunch?', options: ['Pizza', 'Sushi'], secret: POLL_SECRET } });
    textId = await emulator.peerSend(PEER, { text: 'helo' });
    await eventually(async () => (await history()).filter((m) => m.messageId === pollId || m.messageId === textId).length === 2, 10_000, 'poll and text in history');
    await emulator.peerSend(PEER, { reaction: { messageId: textId, emoji: '👍' } });
    await emulator.peerSend(PEER, { edit: { messageId: textId, text: 'hello' } });
    await emulator.peerSend(PEER, { pollVote: { options: ['Sushi'], ...voteOn(pollId) } });

    const rows = await eventually(async () => {
      const page = await history();
      const text = page.find((m) => m.messageId === textId);
      const poll = page.find((m) => m.messageId === pollId);
      return text?.editedAt && text.reactions && poll?.poll.votes.Sushi.length === 1 && { text, poll };
    }, 10_000, 'the changes in history');
    expect(rows.text).toMatchObject({ content: 'hello', edits: ['helo'], reactions: [{ from: PEER_JID, emoji: '👍' }] });
    expect(rows.poll).toMatchObject({ messageType: 'poll', poll: { question: 'Lunch?', options: ['Pizza', 'Sushi'], multipleAnswers: false, votes: { Pizza: [], Sushi: [PEER_JID] } } });
    expect(JSON.stringify(rows.poll)).not.toContain(POLL_SECRET.toString('base64'));
    expect((await history()).map((m) => m.messageType)).not.toContain('unknown');

    const vote = await eventually(() => hooks('poll_vote')[0], 5000, 'poll_vote webhook');
    expect(vote.body.data).toMatchObject({ messageId: pollId, from: PEER_JID, selectedOptions: ['Sushi'] });
    for (const event of ['message_reaction', 'message_edited', 'poll_vote']) {
      const [hook] = await eventually(() => hooks(event).length > 0 && hooks(event), 5000, `${event} webhook`);
      expect(verifyWebhookSignature(hook.raw, String(hook.headers['x-webhook-signature']), SECRET)).toBe(true);
    }
  });

  it("typing both ways: the peer who wrote is heard typing (signed presence_update, the chat's presence), and ours reaches its phone", async () => {
    // The peer wrote in the steps before, so the session asked for its presence then.
    expect(await emulator.peerPresence(PEER, 'composing')).toBe(1);
    const typing = await eventually(() => hooks('presence_update')[0], 5000, 'presence_update webhook');
    expect(typing.body.data).toMatchObject({ chatId: PEER_JID, from: PEER_JID, state: 'composing' });
    expect(verifyWebhookSignature(typing.raw, String(typing.headers['x-webhook-signature']), SECRET)).toBe(true);
    const presence = await server.request('GET', `/api/whatsapp/${id}/presence/${PEER}`, { as: user });
    expect(presence.body).toMatchObject({ chatId: PEER_JID, state: 'composing', from: PEER_JID });
    expect((await feed('message_received')).length).toBeGreaterThan(0);
    expect((await server.request('GET', `/api/instances/${id}/events?limit=1000`, { as: user })).body.events.map((e: FeedEvent) => e.type)).not.toContain('presence_update');

    const ours = await server.request('POST', `/api/whatsapp/${id}/presence`, { as: user, body: { chatId: PEER, state: 'recording' } });
    expect(ours.status).toBe(200);
    await emulator.waitForSignal(PEER, (s) => s.kind === 'presence' && s.state === 'recording');
  });

  it('reports a peer writing from its LID by the phone number WhatsApp names once, with the LID; sends to the LID reach it', async () => {
    const lidHistory = async () =>
      (await server.request('GET', `/api/instances/${id}/chats/${LID_PEER}/messages?limit=100`, { as: user })).body.messages as Array<Record<string, any>>;
    const first = await emulator.peerSend(LID_PEER, { text: 'hi from my LID' }, undefined, 'lid');
    const second = await emulator.peerSend(LID_PEER, { text: 'my LID alone' }, undefined, 'lid-only');
    const rows = await eventually(async () => {
      const page = await lidHistory();
      return page.length === 2 && page;
    }, 10_000, 'both LID messages in the phone chat');
    for (const messageId of [first, second]) {
      expect(rows.find((m) => m.messageId === messageId)).toMatchObject({ remoteJid: LID_PEER_JID, lid: lidPeerLid, fromMe: false });
    }
    const received = (await feed('message_received')).map((e) => e.data).filter((d) => d.messageId === first || d.messageId === second);
    expect(received).toEqual([expect.objectContaining({ from: LID_PEER_JID, lid: lidPeerLid }), expect.objectContaining({ from: LID_PEER_JID, lid: lidPeerLid })]);
    const hook = await eventually(() => hooks('message_received').find((h) => h.body.data.messageId === second), 5000, 'the webhook of the bare-LID message');
    expect(hook.body.data).toMatchObject({ from: LID_PEER_JID, lid: lidPeerLid });
    expect(verifyWebhookSignature(hook.raw, String(hook.headers['x-webhook-signature']), SECRET)).toBe(true);

    const sent = await server.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: lidPeerLid, message: 'to your LID' } });
    expect(sent.status).toBe(200);
    expect((await emulator.waitForReceived(LID_PEER, 1))[0]).toMatchObject({ id: sent.body.id, text: 'to your LID' });
    expect((await lidHistory()).find((m) => m.messageId === sent.body.id)).toMatchObject({ remoteJid: LID_PEER_JID, lid: lidPeerLid, fromMe: true });

    const check = await server.request('POST', `/api/whatsapp/${id}/check-numbers`, { as: user, body: { phones: [PEER] } });
    expect(check.body.results).toEqual([{ phone: PEER, exists: true, jid: PEER_JID, lid: peerLid }]);
  });

  it('comes back after a server restart from the credentials in our database, without a new QR', async () => {
    const qrsBefore = (await feed('qr_received')).length;
    const connectionsBefore = proxy.connections;
    server = await server.restart();
    await waitStatus('connected');
    expect(proxy.connections).toBe(connectionsBefore + 1);
    expect(await feed('qr_received')).toHaveLength(qrsBefore);

    const res = await server.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: PEER, message: 'still here' } });
    expect(res.status).toBe(200);
    const got = await emulator.waitForReceived(PEER, 2);
    expect(got[1]).toMatchObject({ id: res.body.id, text: 'still here' });
  });

  it('still reports the phone number of a peer writing from its bare LID after the restart: the mapping is kept in our database', async () => {
    const messageId = await emulator.peerSend(LID_PEER, { text: 'after your restart' }, undefined, 'lid-only');
    const row = await eventually(async () => {
      const page = (await server.request('GET', `/api/instances/${id}/chats/${LID_PEER}/messages?limit=100`, { as: user })).body.messages as Array<Record<string, any>>;
      return page.find((m) => m.messageId === messageId);
    }, 10_000, 'the bare-LID message in the phone chat');
    expect(row).toMatchObject({ remoteJid: LID_PEER_JID, lid: lidPeerLid, content: 'after your restart' });
  });

  it('reads a vote on a poll from before the restart with the secret kept in our database, and applies a delete', async () => {
    await emulator.peerSend(PEER, { pollVote: { options: ['Pizza'], ...voteOn(pollId) } });
    await emulator.peerSend(PEER, { revoke: { messageId: textId } });
    const rows = await eventually(async () => {
      const page = await history();
      const poll = page.find((m) => m.messageId === pollId);
      const text = page.find((m) => m.messageId === textId);
      return poll?.poll.votes.Pizza.length === 1 && text?.deletedAt && { poll, text };
    }, 10_000, 'the vote and the delete');
    expect(rows.poll.poll.votes).toEqual({ Pizza: [PEER_JID], Sushi: [] });
    expect(rows.text).toMatchObject({ content: null });
    const deleted = await eventually(() => hooks('message_deleted')[0], 5000, 'message_deleted webhook');
    expect(deleted.body.data).toMatchObject({ messageId: textId, from: PEER_JID });
  });

  it('reconnects by itself when the network drops', async () => {
    const connectionsBefore = proxy.connections;
    expect(emulator.dropConnection(deviceJid)).toBe(1);
    await eventually(async () => proxy.connections > connectionsBefore && (await status()).status === 'connected', 10_000, 'reconnected');
    const dropped = await eventually(() => hooks('disconnected').find((h) => h.body.data.willReconnect === true), 5000, 'disconnected webhook');
    expect(dropped.body.data.reason).toBe('connection_lost');
  });

  it('stays disconnected when another client takes the session over, instead of fighting it', async () => {
    expect(emulator.conflict(deviceJid)).toBe(1);
    await waitStatus('disconnected');
    const connectionsAfterConflict = proxy.connections;
    // With RECONNECT_BASE_DELAY_MS=20 a reconnect loop would open dozens of sockets by now.
    await sleep(1500);
    expect(proxy.connections).toBe(connectionsAfterConflict);
    expect((await status()).status).toBe('disconnected');
    expect(emulator.devices(deviceJid)).toEqual([{ jid: deviceJid, removed: false, online: false }]);
    const told = await eventually(() => hooks('disconnected').find((h) => h.body.data.reason === 'conflict'), 5000, 'conflict webhook');
    expect(told.body.data.willReconnect).toBe(false);
  });

  it('logs out through the API: the phone drops the device and our credentials are wiped', async () => {
    const res = await server.request('POST', `/api/instances/${id}/logout`, { as: user });
    expect(res.status).toBe(200);
    expect(emulator.devices(deviceJid)).toEqual([{ jid: deviceJid, removed: true, online: false }]);
    expect(await authStateRows(server, id)).toBe(0);
    // Unlinking a stopped session connects first; that connection must not count as linked.
    const activity = (await server.request('GET', `/api/instances/${id}/activity?limit=1`, { as: user })).body.logs;
    expect(activity[0].action).toBe('logged_out');
    expect(await status()).toMatchObject({ status: 'logged_out', ready: false });
    const instance = (await server.request('GET', `/api/instances/${id}`, { as: user })).body;
    expect(instance).toMatchObject({ status: 'logged_out', phone: null });
  });

  it('asks the emulator for a pairing code once the instance waits to be linked again', async () => {
    const reconnect = await server.request('POST', `/api/instances/${id}/reconnect`, { as: user });
    expect(reconnect.status).toBe(200);
    await waitStatus('qr');
    const res = await server.request('POST', `/api/instances/${id}/pairing-code`, { as: user, body: { phone: '+1 555 000 2000' } });
    expect(res.status).toBe(200);
    expect(res.body.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  });
});
