import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppEmulator } from '../../emulator/emulator.js';
import { createInstance, createUser, eventually, multipart, startServer, type TestServer, type TestUser } from '../support/app.js';
import { Receiver, verifyWebhookSignature } from '../webhooks/receiver.js';

/*
 * Issue 19 end to end: groups through our HTTP API on the real Baileys engine against the
 * WhatsApp emulator, which keeps the groups as WhatsApp's server does. Ivan and Lida are emulated
 * members with real Signal keys; PRIVATE (…7777) accepts invites only; NOBODY is not on WhatsApp.
 */
const IVAN = '79001234567';
const LIDA = '79007654321';
const OLEG = '79005550001';
const PRIVATE = '79001237777';
const NOBODY = '79001230000';
const jidOf = (phone: string) => `${phone}@s.whatsapp.net`;
const SECRET = 'e2e-groups-secret';
/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let emulator: WhatsAppEmulator;
let server: TestServer;
let receiver: Receiver;
let user: TestUser;
let id: string;
let me: string;

beforeAll(async () => {
  emulator = await WhatsAppEmulator.start();
  for (const [phone, name] of [[IVAN, 'Ivan'], [LIDA, 'Lida'], [OLEG, 'Oleg'], [PRIVATE, 'Priya']] as const) emulator.addPeer(phone, name);
  receiver = await Receiver.start();
  server = await startServer({
    env: { WA_EMULATOR_ENABLED: 'true', WA_WEBSOCKET_URL: emulator.url, WA_EMULATOR_ROOT_KEY: emulator.rootPublicKey, WA_EMULATOR_MEDIA_CA: emulator.mediaCaPath },
  });
  user = await createUser(server);
  ({ id } = await createInstance(server, user, { name: 'Groups e2e', engine: 'baileys', webhookUrl: receiver.url(), webhookEnabled: true, webhookSecret: SECRET }));
  const qr = await eventually(async () => {
    const res = await server.request('GET', `/api/instances/${id}/qr`, { as: user });
    return res.status === 200 && (res.body.qrCode as string);
  }, 10_000, 'a QR code');
  await emulator.scanQr(qr);
  await eventually(async () => (await server.request('GET', `/api/instances/${id}/status`, { as: user })).body.ready === true, 10_000, 'connected');
  me = jidOf(emulator.defaultPhone);
});

afterAll(async () => {
  await server?.close();
  await receiver?.down();
  await emulator?.close();
});

const api = (method: string, path: string, body?: Record<string, unknown>) => server.request(method, `/api/whatsapp/${id}/${path}`, { as: user, body });

async function events(type: string, groupId: string): Promise<Array<Record<string, any>>> {
  const res = await server.request('GET', `/api/instances/${id}/events?types=${type}&limit=1000`, { as: user });
  expect(res.status).toBe(200);
  return res.body.events.map((e: { data: Record<string, any> }) => e.data).filter((d: { groupId?: string }) => d.groupId === groupId);
}

const hooks = (event: string, groupId: string) => receiver.received.filter((h) => h.body.event === event && h.body.data.groupId === groupId);

async function history(chat: string): Promise<Array<Record<string, any>>> {
  const res = await server.request('GET', `/api/instances/${id}/chats/${chat}/messages?limit=100`, { as: user });
  expect(res.status).toBe(200);
  return res.body.messages;
}

async function createGroup(subject: string, participants: string[] = [IVAN, LIDA]): Promise<string> {
  const res = await api('POST', 'groups', { subject, participants });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.group.id;
}

/** What an emulated member decrypted of the message `messageId` we sent to a group. */
async function memberGot(phone: string, messageId: string) {
  return eventually(() => emulator.received(phone).find((m) => m.id === messageId), 5000, `${phone} got ${messageId}`);
}

describe('groups on Baileys against the emulator', () => {
  it('creates a group with a result per participant, announced by group_joined and its signed webhook', async () => {
    const res = await api('POST', 'groups', { subject: 'Support', participants: [IVAN, `+${LIDA}`, PRIVATE, NOBODY], description: 'Our team' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { group, results } = res.body;
    expect(results).toEqual([
      { phone: IVAN, jid: jidOf(IVAN), status: 'ok' },
      { phone: `+${LIDA}`, jid: jidOf(LIDA), status: 'ok' },
      { phone: PRIVATE, jid: jidOf(PRIVATE), status: 'privacy' },
      { phone: NOBODY, jid: jidOf(NOBODY), status: 'not_on_whatsapp' },
    ]);
    expect(group).toMatchObject({ subject: 'Support', description: 'Our team', owner: me, size: 3, isAdmin: true });
    expect(group.participants.map((p: { jid: string; admin: string | null }) => [p.jid, p.admin])).toEqual([[me, 'superadmin'], [jidOf(IVAN), null], [jidOf(LIDA), null]]);
    expect(emulator.group(group.id)).toMatchObject({ subject: 'Support', description: 'Our team' });
    await eventually(async () => (await events('group_joined', group.id)).length === 1, 5000, 'group_joined');
    const hook = await eventually(() => hooks('group_joined', group.id)[0], 5000, 'group_joined webhook');
    expect(verifyWebhookSignature(hook.body, String(hook.headers['x-webhook-signature']), SECRET)).toBe(true);
    expect((await api('GET', 'groups?search=Support')).body.groups.map((g: { id: string }) => g.id)).toContain(group.id);
  });

  it('sends text, media, a reply with a mention and a reaction to the group: both members decrypt each', async () => {
    const groupId = await createGroup('Talk');
    const text = await api('POST', 'send', { phone: groupId, message: 'hello group' });
    expect(text.status, JSON.stringify(text.body)).toBe(200);
    const form = multipart({ phone: groupId, caption: 'a picture' }, { name: 'dot.png', type: 'image/png', data: PNG });
    const media = await server.request('POST', `/api/whatsapp/${id}/send-file`, { as: user, payload: form.payload, headers: form.headers });
    expect(media.status, JSON.stringify(media.body)).toBe(200);
    const reply = await api('POST', 'send', { phone: groupId, message: 'see above @Lida', quotedMessageId: text.body.id, mentions: [LIDA] });
    const reaction = await api('POST', `messages/${text.body.id}/reaction`, { emoji: '👍' });
    expect(reaction.status, JSON.stringify(reaction.body)).toBe(200);
    for (const member of [IVAN, LIDA]) {
      expect(await memberGot(member, text.body.id)).toMatchObject({ group: groupId, text: 'hello group' });
      expect((await memberGot(member, media.body.id)).message.imageMessage).toMatchObject({ caption: 'a picture' });
      const context = (await memberGot(member, reply.body.id)).message.extendedTextMessage?.contextInfo;
      expect(context).toMatchObject({ stanzaId: text.body.id, mentionedJid: [jidOf(LIDA)] });
      expect((await memberGot(member, reaction.body.id)).message.reactionMessage).toMatchObject({ text: '👍', key: { id: text.body.id } });
    }
    const ours = (await history(groupId)).find((m) => m.messageId === reply.body.id);
    expect(ours).toMatchObject({ fromMe: true, author: me, mentions: [jidOf(LIDA)], quotedMessageId: text.body.id });
    await eventually(async () => (await history(groupId)).find((m) => m.messageId === text.body.id)?.status === 'read', 5000, 'read by the members');
  });

  it("stores a member's message with its author, and delivers message_received with it", async () => {
    const groupId = await createGroup('Authors');
    const fromIvan = await emulator.peerGroupSend(IVAN, groupId, { text: 'hi all' });
    const fromLida = await emulator.peerGroupSend(LIDA, groupId, { text: 'hello Ivan' });
    const stored = await eventually(async () => {
      const rows = await history(groupId);
      const ivan = rows.find((m) => m.messageId === fromIvan);
      const lida = rows.find((m) => m.messageId === fromLida);
      return ivan && lida && { ivan, lida };
    }, 5000, 'both messages stored');
    expect(stored.ivan).toMatchObject({ remoteJid: groupId, fromMe: false, author: jidOf(IVAN), content: 'hi all' });
    expect(stored.lida).toMatchObject({ remoteJid: groupId, fromMe: false, author: jidOf(LIDA), content: 'hello Ivan' });
    const hook = await eventually(() => receiver.received.find((h) => h.body.event === 'message_received' && h.body.data.messageId === fromIvan), 5000, 'webhook');
    expect(hook.body.data).toMatchObject({ from: groupId, author: jidOf(IVAN) });
  });

  it("receives a member's picture, reply with a mention and reaction to our message in the group", async () => {
    const groupId = await createGroup('Rich');
    const ours = (await api('POST', 'send', { phone: groupId, message: 'lunch?' })).body.id;
    const picture = await emulator.peerGroupSend(LIDA, groupId, { image: PNG, caption: 'menu', mimetype: 'image/png' });
    const reply = await emulator.peerGroupSend(IVAN, groupId, { text: 'yes @me', quotedMessageId: ours, mentions: [me] });
    await emulator.peerGroupSend(IVAN, groupId, { reaction: { messageId: ours, emoji: '🍕' } });
    const rows = await eventually(async () => {
      const all = await history(groupId);
      const found = { picture: all.find((m) => m.messageId === picture), reply: all.find((m) => m.messageId === reply), ours: all.find((m) => m.messageId === ours) };
      return found.picture && found.reply && found.ours?.reactions?.length && found;
    }, 5000, 'the picture, the reply and the reaction');
    expect(rows.picture).toMatchObject({ author: jidOf(LIDA), messageType: 'image', caption: 'menu', hasMedia: true, mimeType: 'image/png', mediaSize: PNG.length });
    expect(rows.reply).toMatchObject({ author: jidOf(IVAN), content: 'yes @me', quotedMessageId: ours, mentions: [me] });
    expect(rows.ours.reactions).toEqual([{ from: jidOf(IVAN), emoji: '🍕', at: expect.any(String) }]);
  });

  it('adds, promotes, demotes and removes, each with its group_participants event and webhook', async () => {
    const groupId = await createGroup('Members');
    const act = async (action: string, participants: string[]) => (await api('POST', `groups/${groupId}/participants`, { action, participants })).body.results;
    expect(await act('add', [OLEG, IVAN, NOBODY])).toEqual([
      { phone: OLEG, jid: jidOf(OLEG), status: 'ok' },
      { phone: IVAN, jid: jidOf(IVAN), status: 'already_in_group' },
      { phone: NOBODY, jid: jidOf(NOBODY), status: 'not_on_whatsapp' },
    ]);
    for (const action of ['promote', 'demote', 'remove']) expect(await act(action, [OLEG])).toEqual([{ phone: OLEG, jid: jidOf(OLEG), status: 'ok' }]);
    expect(await act('remove', [OLEG])).toEqual([{ phone: OLEG, jid: jidOf(OLEG), status: 'not_in_group' }]);
    const changes = await eventually(async () => {
      const found = await events('group_participants', groupId);
      return found.length === 4 && found;
    }, 5000, 'four group_participants events');
    expect(changes.map((e) => [e.action, e.participants, e.by])).toEqual([
      ['add', [jidOf(OLEG)], me],
      ['promote', [jidOf(OLEG)], me],
      ['demote', [jidOf(OLEG)], me],
      ['remove', [jidOf(OLEG)], me],
    ]);
    await eventually(() => hooks('group_participants', groupId).length === 4, 5000, 'four webhooks');
    expect(emulator.group(groupId)?.members.map((m) => m.jid)).toEqual([me, jidOf(IVAN), jidOf(LIDA)]);
  });

  it('answers privacy for who accepts invites only, and sends them the invite link with inviteOnPrivacy', async () => {
    const groupId = await createGroup('Private');
    const invited = await api('POST', `groups/${groupId}/participants`, { action: 'add', participants: [PRIVATE], inviteOnPrivacy: true });
    expect(invited.body.results).toEqual([{ phone: PRIVATE, jid: jidOf(PRIVATE), status: 'privacy', invited: true }]);
    const { link, code } = (await api('GET', `groups/${groupId}/invite`)).body;
    expect(code).toBe(emulator.group(groupId)?.inviteCode);
    const [got] = await emulator.waitForReceived(PRIVATE, 1);
    expect(got!.text).toContain(link);
  });

  it('changes subject, description and settings: the server keeps them, group_updated tells each change', async () => {
    const groupId = await createGroup('Before');
    const res = await api('PUT', `groups/${groupId}`, { subject: 'After', description: 'Now described', announce: true, restrict: true, ephemeralSeconds: 86400 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ subject: 'After', description: 'Now described', announce: true, restrict: true, ephemeralSeconds: 86400 });
    expect(emulator.group(groupId)).toMatchObject({ subject: 'After', description: 'Now described', announce: true, restrict: true });
    const merged = await eventually(async () => {
      const found = await events('group_updated', groupId);
      const changes = Object.assign({}, ...found.map((e) => e.changes));
      return Object.keys(changes).length === 5 && { changes, by: [...new Set(found.map((e) => e.by))], count: found.length };
    }, 5000, 'five changes');
    // WhatsApp notifies each change on its own; a change reported twice would show here.
    expect(merged).toEqual({ changes: { subject: 'After', description: 'Now described', announce: true, restrict: true, ephemeralSeconds: 86400 }, by: [me], count: 5 });
    await eventually(() => hooks('group_updated', groupId).length === 5, 5000, 'a group_updated webhook per change');

    const picture = await api('PUT', `groups/${groupId}`, { picture: { base64: PNG.toString('base64'), mimeType: 'image/png' } });
    expect(picture.status, JSON.stringify(picture.body)).toBe(200);
    const changed = await eventually(async () => (await events('group_updated', groupId)).find((e) => e.changes.picture === true), 5000, 'the picture change');
    expect(changed).toMatchObject({ changes: { picture: true }, by: me });
  });

  it("tells a member's changes, by them: settings, making us no admin, removing us", async () => {
    const groupId = await createGroup('Ivan acts');
    await api('POST', `groups/${groupId}/participants`, { action: 'promote', participants: [IVAN] });
    emulator.peerGroupAct(IVAN, groupId, { action: 'update', subject: 'Ivan named it', announce: true });
    const updated = await eventually(async () => {
      const found = (await events('group_updated', groupId)).filter((e) => e.by === jidOf(IVAN));
      return found.length === 2 && found;
    }, 5000, "Ivan's two changes");
    expect(updated.map((e) => e.changes)).toEqual([{ subject: 'Ivan named it' }, { announce: true }]);
    await eventually(async () => (await api('GET', `groups/${groupId}`)).body.subject === 'Ivan named it', 5000, 'the stored group follows');
    emulator.peerGroupAct(IVAN, groupId, { action: 'remove', participants: [me] });
    const left = await eventually(async () => (await events('group_left', groupId))[0], 5000, 'group_left');
    expect(left.by).toBe(jidOf(IVAN));
    await eventually(() => hooks('group_left', groupId).length === 1, 5000, 'group_left webhook');
    expect((await api('GET', `groups/${groupId}`)).status).toBe(409);
  });

  it('gives, revokes and previews invite codes, joins by one, and leaves', async () => {
    const groupId = emulator.peerCreateGroup(IVAN, 'Ivan’s', [LIDA]);
    const code = emulator.group(groupId)!.inviteCode;
    const preview = await api('GET', `groups/invite/${code}`);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ id: groupId, subject: 'Ivan’s', size: 2 });
    const joined = await api('POST', 'groups/join', { link: `https://chat.whatsapp.com/${code}` });
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(joined.body).toMatchObject({ id: groupId, isAdmin: false, size: 3 });
    await eventually(async () => (await events('group_joined', groupId)).length === 1, 5000, 'group_joined');
    expect((await api('GET', `groups/${groupId}/invite`)).status).toBe(403);

    const ours = await createGroup('Codes');
    const first = (await api('GET', `groups/${ours}/invite`)).body;
    const revoked = await api('POST', `groups/${ours}/invite/revoke`);
    expect(revoked.body.code).not.toBe(first.code);
    expect(emulator.group(ours)?.inviteCode).toBe(revoked.body.code);
    expect((await api('GET', `groups/invite/${first.code}`)).status).toBe(404);

    expect((await api('POST', `groups/${groupId}/leave`)).status).toBe(200);
    await eventually(async () => (await events('group_left', groupId)).find((e) => e.by === me), 5000, 'group_left');
    expect(emulator.group(groupId)?.members.map((m) => m.jid)).toEqual([jidOf(IVAN), jidOf(LIDA)]);
    expect((await api('GET', 'groups?limit=100')).body.groups.map((g: { id: string }) => g.id)).not.toContain(groupId);
  });
});
