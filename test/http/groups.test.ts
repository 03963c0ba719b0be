import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventually, linkInstance, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';
import { Receiver, verifyWebhookSignature } from '../webhooks/receiver.js';

/*
 * Issue 19: groups through the API on the simulator. Alice manages; Bob is another simulator
 * instance of the same network, so he sees what a member's device sees. Virtual numbers: Carol
 * and Dave are plain members, PRIVATE (…7777) accepts invites only, NOBODY (…0000) is not on
 * WhatsApp.
 */

const CAROL = '79001150003';
const DAVE = '79001150004';
const PRIVATE = '79001157777';
const NOBODY = '79001150000';
const jidOf = (phone: string) => `${phone}@s.whatsapp.net`;
const SECRET = 'groups-secret';

let server: TestServer;
let receiver: Receiver;
let user: TestUser;
let alice: { id: string; jid: string };
let bob: { id: string; jid: string };
beforeAll(async () => {
  server = await startServer();
  receiver = await Receiver.start();
  user = await createUser(server);
  alice = await linkInstance(server, user, { phone: '79001150001', pushName: 'Alice', body: { webhookUrl: receiver.url(), webhookEnabled: true, webhookSecret: SECRET } });
  bob = await linkInstance(server, user, { phone: '79001150002', pushName: 'Bob' });
});
afterAll(async () => {
  await server.close();
  await receiver.down();
});

const api = (method: string, path: string, body?: Record<string, unknown>, instanceId = alice.id) => server.request(method, `/api/whatsapp/${instanceId}/${path}`, { as: user, body });
const simulate = (path: string, body: Record<string, unknown>, instanceId = alice.id) => server.request('POST', `/api/simulator/instances/${instanceId}/${path}`, { as: user, body });

async function events(type: string, instanceId = alice.id): Promise<Array<Record<string, any>>> {
  const res = await server.request('GET', `/api/instances/${instanceId}/events?types=${type}&limit=100`, { as: user });
  expect(res.status).toBe(200);
  return res.body.events.map((e: { data: Record<string, any> }) => e.data);
}

function hooks(event: string, groupId: string) {
  return receiver.received.filter((h) => h.body.event === event && h.body.data.groupId === groupId);
}

async function history(chat: string, instanceId = alice.id): Promise<Array<Record<string, any>>> {
  const res = await server.request('GET', `/api/instances/${instanceId}/chats/${chat}/messages?limit=100`, { as: user });
  expect(res.status).toBe(200);
  return res.body.messages;
}

async function createGroup(subject: string, participants: string[] = [bob.jid, CAROL]): Promise<string> {
  const res = await api('POST', 'groups', { subject, participants });
  expect(res.status).toBe(201);
  return res.body.group.id;
}

describe('creating and reading groups', () => {
  it('creates a group with a result per participant, stores it, and announces it to every member', async () => {
    const res = await api('POST', 'groups', { subject: 'Support', participants: [bob.jid, `+${CAROL}`, PRIVATE, NOBODY], description: 'Our team' });
    expect(res.status).toBe(201);
    const { group, results } = res.body;
    expect(results).toEqual([
      { phone: bob.jid, jid: bob.jid, status: 'ok' },
      { phone: `+${CAROL}`, jid: jidOf(CAROL), status: 'ok' },
      { phone: PRIVATE, jid: jidOf(PRIVATE), status: 'privacy' },
      { phone: NOBODY, jid: jidOf(NOBODY), status: 'not_on_whatsapp' },
    ]);
    expect(group).toMatchObject({ subject: 'Support', description: 'Our team', owner: alice.jid, size: 3, announce: false, restrict: false, ephemeralSeconds: 0, isAdmin: true });
    expect(group.id).toMatch(/^\d+@g\.us$/);
    expect(group.participants).toEqual([
      { jid: alice.jid, phone: alice.jid.split('@')[0], admin: 'superadmin' },
      { jid: bob.jid, phone: bob.jid.split('@')[0], admin: null },
      { jid: jidOf(CAROL), phone: CAROL, admin: null },
    ]);

    await eventually(async () => (await events('group_joined')).find((e) => e.groupId === group.id), 5000, 'group_joined at Alice');
    expect((await events('group_joined')).find((e) => e.groupId === group.id)).toMatchObject({ subject: 'Support', by: alice.jid });
    const atBob = await eventually(async () => (await events('group_joined', bob.id)).find((e) => e.groupId === group.id), 5000, 'group_joined at Bob');
    expect(atBob.by).toBe(alice.jid);
    await eventually(() => hooks('group_joined', group.id).length === 1, 5000, 'group_joined webhook');
    const hook = hooks('group_joined', group.id)[0];
    expect(verifyWebhookSignature(hook.body, String(hook.headers['x-webhook-signature']), SECRET)).toBe(true);

    const bare = group.id.split('@')[0];
    const read = await api('GET', `groups/${bare}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(group);
    const listed = await api('GET', 'groups?search=SUPP');
    expect(listed.status).toBe(200);
    expect(listed.body.groups.map((g: { id: string }) => g.id)).toContain(group.id);
    expect(listed.body.groups[0]).not.toHaveProperty('participants');
    expect((await api('GET', 'groups?search=nothing-like-it')).body.groups).toEqual([]);
    const bobs = await api('GET', 'groups?refresh=true', undefined, bob.id);
    expect(bobs.body.groups.find((g: { id: string }) => g.id === group.id)).toMatchObject({ subject: 'Support', isAdmin: false, size: 3 });
  });

  it('lists groups in the chats list and in contacts/db?onlyGroups=true', async () => {
    const groupId = await createGroup('Listed');
    await api('POST', 'send', { phone: groupId, message: 'hello group' });
    const contacts = await eventually(async () => {
      const res = await server.request('GET', `/api/whatsapp/${alice.id}/contacts/db?onlyGroups=true&limit=100`, { as: user });
      return res.body.contacts.find((c: { number: string }) => `${c.number}@g.us` === groupId);
    }, 5000, 'the group among the stored contacts');
    expect(contacts).toMatchObject({ name: 'Listed', isGroup: true });
    const chats = await server.request('GET', `/api/instances/${alice.id}/chats?limit=100`, { as: user });
    expect(chats.body.chats.find((c: { chatId: string }) => c.chatId === groupId)).toMatchObject({ isGroup: true, name: 'Listed' });
  });
});

describe('changing a group', () => {
  it('changes subject, description, settings and picture, each with a group_updated event and webhook', async () => {
    const groupId = await createGroup('Before');
    const res = await api('PUT', `groups/${groupId}`, { subject: 'After', description: 'Now described', announce: true, restrict: true, ephemeralSeconds: 86400 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: groupId, subject: 'After', description: 'Now described', announce: true, restrict: true, ephemeralSeconds: 86400 });
    const updated = await eventually(async () => (await events('group_updated')).find((e) => e.groupId === groupId), 5000, 'group_updated');
    expect(updated).toEqual({ instanceId: alice.id, groupId, changes: { subject: 'After', description: 'Now described', announce: true, restrict: true, ephemeralSeconds: 86400 }, by: alice.jid });
    await eventually(async () => (await events('group_updated', bob.id)).find((e) => e.groupId === groupId), 5000, 'group_updated at Bob');

    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
    const picture = await api('PUT', `groups/${groupId}`, { picture: { base64: png.toString('base64'), mimeType: 'image/png' } });
    expect(picture.status).toBe(200);
    await eventually(() => hooks('group_updated', groupId).some((h) => h.body.data.changes.picture === true), 5000, 'the picture webhook');
    expect(hooks('group_updated', groupId).length).toBe(2);
  });

  it('refuses an empty change, an unknown field and a picture that is not an image (400)', async () => {
    const groupId = await createGroup('Strict');
    const empty = await api('PUT', `groups/${groupId}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error).toContain('Nothing to change');
    const unknown = await api('PUT', `groups/${groupId}`, { subject: 'x', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('colour');
    const gif = await api('PUT', `groups/${groupId}`, { picture: { base64: 'R0lGOD', mimeType: 'image/gif' } });
    expect(gif.status).toBe(400);
    expect(JSON.stringify(gif.body)).toContain('picture');
  });
});

describe('participants', () => {
  it('adds, promotes, demotes and removes, with a status per participant and a group_participants event each', async () => {
    const groupId = await createGroup('Members');
    const act = (action: string, participants: string[]) => api('POST', `groups/${groupId}/participants`, { action, participants });

    expect((await act('add', [DAVE, CAROL, NOBODY])).body.results).toEqual([
      { phone: DAVE, jid: jidOf(DAVE), status: 'ok' },
      { phone: CAROL, jid: jidOf(CAROL), status: 'already_in_group' },
      { phone: NOBODY, jid: jidOf(NOBODY), status: 'not_on_whatsapp' },
    ]);
    expect((await act('promote', [DAVE])).body.results).toEqual([{ phone: DAVE, jid: jidOf(DAVE), status: 'ok' }]);
    expect((await act('demote', [DAVE])).body.results[0].status).toBe('ok');
    expect((await act('remove', [DAVE])).body.results[0].status).toBe('ok');
    expect((await act('remove', [DAVE])).body.results).toEqual([{ phone: DAVE, jid: jidOf(DAVE), status: 'not_in_group' }]);
    expect((await act('promote', [DAVE])).body.results[0].status).toBe('not_in_group');

    const changes = await eventually(async () => {
      const found = (await events('group_participants')).filter((e) => e.groupId === groupId);
      return found.length === 4 ? found : undefined;
    }, 5000, 'four group_participants events');
    expect(changes.map((e) => [e.action, e.participants, e.by])).toEqual([
      ['add', [jidOf(DAVE)], alice.jid],
      ['promote', [jidOf(DAVE)], alice.jid],
      ['demote', [jidOf(DAVE)], alice.jid],
      ['remove', [jidOf(DAVE)], alice.jid],
    ]);
    await eventually(() => hooks('group_participants', groupId).length === 4, 5000, 'four webhooks');
    const stored = await api('GET', `groups/${groupId}`);
    expect(stored.body.participants.map((p: { jid: string }) => p.jid)).toEqual([alice.jid, bob.jid, jidOf(CAROL)]);
  });

  it('answers privacy for who accepts invites only, and sends them the invite link with inviteOnPrivacy', async () => {
    const groupId = await createGroup('Private');
    const plain = await api('POST', `groups/${groupId}/participants`, { action: 'add', participants: [PRIVATE] });
    expect(plain.body.results).toEqual([{ phone: PRIVATE, jid: jidOf(PRIVATE), status: 'privacy' }]);
    expect(await history(PRIVATE)).toEqual([]);

    const invited = await api('POST', `groups/${groupId}/participants`, { action: 'add', participants: [PRIVATE], inviteOnPrivacy: true });
    expect(invited.body.results).toEqual([{ phone: PRIVATE, jid: jidOf(PRIVATE), status: 'privacy', invited: true }]);
    const { link } = (await api('GET', `groups/${groupId}/invite`)).body;
    const [message] = await history(PRIVATE);
    expect(message.fromMe).toBe(true);
    expect(message.content).toContain(link);
    expect(message.content).toContain('Private');
  });

  it('refuses more than 1,024 participants and a group as a participant (400)', async () => {
    const groupId = await createGroup('Big');
    const many = Array.from({ length: 1025 }, (_, i) => `7900200${String(i).padStart(4, '0')}`);
    const tooMany = await api('POST', `groups/${groupId}/participants`, { action: 'add', participants: many });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('participants');
    expect((await api('POST', 'groups', { subject: 'Huge', participants: many })).status).toBe(400);
    const group = await api('POST', `groups/${groupId}/participants`, { action: 'add', participants: [groupId] });
    expect(group.status).toBe(400);
    expect(JSON.stringify(group.body)).toContain('participants[0]');
    expect((await api('POST', `groups/${groupId}/participants`, { action: 'kick', participants: [DAVE] })).status).toBe(400);
  });
});

describe('invite links', () => {
  it('gives, previews, joins by link and revokes', async () => {
    const groupId = await createGroup('Open', [CAROL]);
    const invite = await api('GET', `groups/${groupId}/invite`);
    expect(invite.status).toBe(200);
    expect(invite.body.link).toBe(`https://chat.whatsapp.com/${invite.body.code}`);

    const preview = await api('GET', `groups/invite/${invite.body.code}`, undefined, bob.id);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ id: groupId, subject: 'Open', description: null, size: 2 });
    expect(await api('GET', `groups/${groupId}?refresh=true`, undefined, bob.id)).toMatchObject({ status: 409 });

    const joined = await api('POST', 'groups/join', { link: invite.body.link }, bob.id);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ id: groupId, subject: 'Open', size: 3, isAdmin: false });
    await eventually(async () => (await events('group_joined', bob.id)).find((e) => e.groupId === groupId), 5000, 'group_joined at Bob');
    const added = await eventually(async () => (await events('group_participants')).find((e) => e.groupId === groupId), 5000, 'Bob joining, at Alice');
    expect(added).toMatchObject({ action: 'add', participants: [bob.jid], by: bob.jid });

    const revoked = await api('POST', `groups/${groupId}/invite/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.code).not.toBe(invite.body.code);
    expect((await api('GET', `groups/invite/${invite.body.code}`)).status).toBe(404);
    expect((await api('GET', `groups/invite/${revoked.body.code}`)).body.size).toBe(3);
  });

  it('refuses a join with both or neither of code and link, or with a link elsewhere (400)', async () => {
    expect((await api('POST', 'groups/join', {})).status).toBe(400);
    expect((await api('POST', 'groups/join', { code: 'AAAAAAAAAAAAAAAAAAAAAA', link: 'https://chat.whatsapp.com/AAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(400);
    const elsewhere = await api('POST', 'groups/join', { link: 'https://example.com/not-an-invite' });
    expect(elsewhere.status).toBe(400);
    expect(JSON.stringify(elsewhere.body)).toContain('link');
    expect((await api('POST', 'groups/join', { code: 'AAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(404);
  });
});

describe('talking in a group', () => {
  it("stores a member's message with its author, and sends to the group with a mention and a reply", async () => {
    const groupId = await createGroup('Talk');
    const fromCarol = await receiveMessage(server, user, alice.id, { from: CAROL, group: groupId, pushName: 'Carol', text: 'hi all' });
    const received = await eventually(async () => (await history(groupId)).find((m) => m.messageId === fromCarol), 5000, "Carol's message");
    expect(received).toMatchObject({ remoteJid: groupId, fromMe: false, author: jidOf(CAROL), content: 'hi all' });
    const hook = await eventually(() => receiver.received.find((h) => h.body.event === 'message_received' && h.body.data.messageId === fromCarol), 5000, 'message_received webhook');
    expect(hook.body.data).toMatchObject({ from: groupId, author: jidOf(CAROL), pushName: 'Carol' });

    const usage = async () => (await server.request('GET', `/api/stats/instances/${alice.id}`, { as: user })).body.usage;
    const before = await usage();
    const sent = await api('POST', 'send', { phone: groupId, message: 'hello @Carol', mentions: [CAROL], quotedMessageId: fromCarol });
    expect(sent.status).toBe(200);
    // One message to a group of three counts as one sent, as the limits see it.
    await eventually(async () => (await usage()).messagesSent === before.messagesSent + 1, 5000, 'the send counted');
    const ours = (await history(groupId)).find((m) => m.messageId === sent.body.id);
    expect(ours).toMatchObject({ fromMe: true, author: alice.jid, mentions: [jidOf(CAROL)], quotedMessageId: fromCarol });
    const atBob = await eventually(async () => (await history(groupId, bob.id)).find((m) => m.messageId === sent.body.id), 5000, 'the message at Bob');
    expect(atBob).toMatchObject({ remoteJid: groupId, fromMe: false, author: alice.jid, content: 'hello @Carol', mentions: [jidOf(CAROL)], quotedMessageId: fromCarol });
    await eventually(async () => (await history(groupId)).find((m) => m.messageId === sent.body.id)?.status === 'read', 5000, 'read');
  });

  it('refuses a message from someone who is not a member of the group (409)', async () => {
    const groupId = await createGroup('Closed', [CAROL]);
    const res = await simulate('inbound', { from: DAVE, group: groupId, text: 'let me in' });
    expect(res.status).toBe(409);
  });
});

describe('what other members do', () => {
  it('makes us a member, changes settings, and removes us, with events; rights are checked', async () => {
    const created = await simulate('groups', { by: CAROL, subject: 'Carol’s', participants: [DAVE] });
    expect(created.status).toBe(200);
    const { groupId } = created.body;
    const joined = await eventually(async () => (await events('group_joined')).find((e) => e.groupId === groupId), 5000, 'group_joined');
    expect(joined).toMatchObject({ subject: 'Carol’s', by: jidOf(CAROL) });
    expect((await api('GET', `groups/${groupId}`)).body).toMatchObject({ isAdmin: false, owner: jidOf(CAROL), size: 3 });

    const notAdmin = await api('PUT', `groups/${groupId}`, { announce: true });
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body.error).toMatch(/admin/i);
    expect((await api('POST', `groups/${groupId}/participants`, { action: 'add', participants: [PRIVATE] })).status).toBe(403);
    expect((await api('GET', `groups/${groupId}/invite`)).status).toBe(403);
    expect((await api('PUT', `groups/${groupId}`, { subject: 'Anyone may' })).status).toBe(200);

    expect((await simulate(`groups/${groupId}/events`, { by: CAROL, action: 'update', announce: true })).status).toBe(200);
    const settings = await eventually(async () => (await events('group_updated')).find((e) => e.groupId === groupId && e.changes.announce === true), 5000, 'announce on');
    expect(settings.by).toBe(jidOf(CAROL));
    const muted = await api('POST', 'send', { phone: groupId, message: 'may I?' });
    expect(muted.status).toBe(403);
    expect(muted.body.error).toContain('announce');

    expect((await simulate(`groups/${groupId}/events`, { by: CAROL, action: 'promote', participants: [alice.jid] })).body.results).toEqual([{ jid: alice.jid, status: 'ok' }]);
    await eventually(async () => (await api('GET', `groups/${groupId}`)).body.isAdmin === true, 5000, 'Alice an admin');
    expect((await api('POST', 'send', { phone: groupId, message: 'now I may' })).status).toBe(200);

    expect((await simulate(`groups/${groupId}/events`, { by: DAVE, action: 'leave' })).status).toBe(200);
    await eventually(async () => (await events('group_participants')).find((e) => e.groupId === groupId && e.action === 'remove' && e.by === jidOf(DAVE)), 5000, 'Dave left');
    expect((await simulate(`groups/${groupId}/events`, { by: DAVE, action: 'add', participants: [CAROL] })).status).toBe(409);

    expect((await simulate(`groups/${groupId}/events`, { by: CAROL, action: 'remove', participants: [alice.jid] })).status).toBe(200);
    const left = await eventually(async () => (await events('group_left')).find((e) => e.groupId === groupId), 5000, 'group_left');
    expect(left.by).toBe(jidOf(CAROL));
    await eventually(() => hooks('group_left', groupId).length === 1, 5000, 'group_left webhook');
    expect((await api('GET', `groups?search=${encodeURIComponent('Anyone')}`)).body.groups).toEqual([]);
    const gone = await api('GET', `groups/${groupId}`);
    expect(gone.status).toBe(409);
    expect((await api('POST', 'send', { phone: groupId, message: 'still here?' })).status).toBe(409);
  });
});

describe('leaving and unknown groups', () => {
  it('leaves a group: 200, group_left, and it is gone from the list', async () => {
    const groupId = await createGroup('Bye');
    const res = await api('POST', `groups/${groupId}/leave`);
    expect(res.status).toBe(200);
    await eventually(async () => (await events('group_left')).find((e) => e.groupId === groupId && e.by === alice.jid), 5000, 'group_left');
    expect((await api('GET', 'groups?limit=1000')).body.groups.map((g: { id: string }) => g.id)).not.toContain(groupId);
    const atBob = await eventually(async () => (await events('group_participants', bob.id)).find((e) => e.groupId === groupId && e.action === 'remove'), 5000, 'Alice leaving, at Bob');
    expect(atBob.participants).toEqual([alice.jid]);
    expect((await api('POST', `groups/${groupId}/leave`)).status).toBe(409);
  });

  it('answers 404 for an unknown group, 400 for a groupId that is not a group, 404 for another user', async () => {
    const unknown = await api('GET', 'groups/120363999999999999@g.us');
    expect(unknown.status).toBe(404);
    expect((await api('PUT', 'groups/120363999999999999', { subject: 'x' })).status).toBe(404);
    const notGroup = await api('GET', `groups/${CAROL}@s.whatsapp.net`);
    expect(notGroup.status).toBe(400);
    expect(JSON.stringify(notGroup.body)).toContain('groupId');
    const stranger = await createUser(server);
    const theirs = await server.request('GET', `/api/whatsapp/${alice.id}/groups`, { as: stranger });
    expect(theirs.status).toBe(404);
    expect((await server.request('POST', `/api/whatsapp/${alice.id}/groups`, { as: stranger, body: { subject: 'x', participants: [CAROL] } })).status).toBe(404);
    expect((await server.request('GET', `/api/whatsapp/${alice.id}/groups`)).status).toBe(401);
  });

  it('filters the events feed by group event types', async () => {
    const res = await server.request('GET', `/api/instances/${alice.id}/events?types=group_joined,group_left,group_participants,group_updated&limit=1000`, { as: user });
    expect(res.status).toBe(200);
    const types = new Set(res.body.events.map((e: { type: string }) => e.type));
    expect(types).toEqual(new Set(['group_joined', 'group_left', 'group_participants', 'group_updated']));
  });
});
