import { proto, type BaileysEventMap, type GroupMetadata as BaileysGroup, type WAMessage, type WASocket } from 'baileys';
import { describe, expect, it } from 'vitest';
import { mapGroupMetadata, mapGroupNotification, mapGroupUpsert, mapParticipantResult, mapParticipantsUpdate } from '../../../src/engines/baileys/group-mapper.js';
import { BaileysGroups } from '../../../src/engines/baileys/groups.js';
import { GroupError, type GroupEvent } from '../../../src/engines/groups.js';

const GROUP = '120363041234567890@g.us';
const ME = '15550001111@s.whatsapp.net';
const ME_LID = '111111111111111@lid';
const ANN = '79001234567@s.whatsapp.net';
const ANN_LID = '222222222222222@lid';
const BOB = '79007654321@s.whatsapp.net';
const BOB_LID = '333333333333333@lid';

/** A group as Baileys 7 extracts it from a `w:g2` query: members by LID, phone beside it. */
const metadata: BaileysGroup = {
  id: GROUP,
  addressingMode: 'lid' as BaileysGroup['addressingMode'],
  owner: ANN_LID,
  ownerPn: ANN,
  subject: 'Support',
  subjectOwner: ANN_LID,
  subjectTime: 1_700_000_000,
  creation: 1_700_000_000,
  desc: 'Our team',
  descId: 'D1',
  restrict: false,
  announce: true,
  size: 3,
  ephemeralDuration: 86400,
  participants: [
    { id: ANN_LID, phoneNumber: ANN, admin: 'superadmin' },
    { id: ME_LID, phoneNumber: ME, admin: 'admin' },
    { id: BOB, lid: BOB_LID, admin: null },
  ],
};

describe('group metadata', () => {
  it('keys members by phone JID with their LID beside it, and reads the settings', () => {
    expect(mapGroupMetadata(metadata)).toEqual({
      id: GROUP,
      subject: 'Support',
      description: 'Our team',
      owner: ANN,
      creation: 1_700_000_000,
      announce: true,
      restrict: false,
      ephemeralSeconds: 86400,
      participants: [
        { jid: ANN, lid: ANN_LID, admin: 'superadmin' },
        { jid: ME, lid: ME_LID, admin: 'admin' },
        { jid: BOB, lid: BOB_LID, admin: null },
      ],
    });
  });

  it('keeps a LID as the JID when no phone is known, and leaves out what WhatsApp did not say', () => {
    const bare = mapGroupMetadata({ id: GROUP, owner: undefined, subject: 'S', participants: [{ id: BOB_LID }] });
    expect(bare).toEqual({ id: GROUP, subject: 'S', announce: false, restrict: false, ephemeralSeconds: 0, participants: [{ jid: BOB_LID, admin: null }] });
  });
});

describe('group notifications', () => {
  /** The shape process-message emits for a `w:gp2` add/remove/promote/demote stub. */
  const participantsUpdate = (action: BaileysEventMap['group-participants.update']['action'], participants: BaileysEventMap['group-participants.update']['participants']) => ({
    id: GROUP,
    author: ANN_LID,
    authorPn: ANN,
    participants,
    action,
  });

  it('maps another member added, promoted, demoted or removed, by the acting member', () => {
    for (const action of ['add', 'remove', 'promote', 'demote'] as const) {
      expect(mapParticipantsUpdate(participantsUpdate(action, [{ id: BOB_LID, phoneNumber: BOB, admin: null }]), { jid: ME, lid: ME_LID })).toEqual({
        event: { kind: 'participants', groupId: GROUP, action, participants: [BOB], by: ANN },
      });
    }
  });

  it('maps our own removal to left and our own add to a join whose metadata is read', () => {
    const removed = mapParticipantsUpdate(participantsUpdate('remove', [{ id: ME_LID, phoneNumber: ME }]), { jid: ME, lid: ME_LID });
    expect(removed).toEqual({ event: { kind: 'left', groupId: GROUP, by: ANN } });
    const byLid = mapParticipantsUpdate(participantsUpdate('remove', [{ id: ME_LID }]), { jid: ME, lid: ME_LID });
    expect(byLid.event?.kind).toBe('left');
    expect(mapParticipantsUpdate(participantsUpdate('add', [{ id: ME, lid: ME_LID }]), { jid: ME, lid: ME_LID })).toEqual({ joinedGroupId: GROUP });
    expect(mapParticipantsUpdate(participantsUpdate('modify', [{ id: BOB }]), { jid: ME })).toEqual({});
  });

  it('maps subject, description, announce, restrict and ephemeral notifications, as Baileys upserts them', () => {
    const { StubType } = proto.WebMessageInfo;
    // handleNotification keys each w:gp2 notification by the group, with who acted as participant.
    const stub = (messageStubType: number, params?: string[]): WAMessage => ({
      key: { remoteJid: GROUP, fromMe: false, id: 'N1', participant: ANN_LID, participantAlt: ANN },
      messageStubType,
      ...(params && { messageStubParameters: params }),
    });
    expect(mapGroupNotification(stub(StubType.GROUP_CHANGE_SUBJECT, ['New']))).toEqual({ kind: 'updated', groupId: GROUP, changes: { subject: 'New' }, by: ANN });
    expect(mapGroupNotification(stub(StubType.GROUP_CHANGE_DESCRIPTION, ['About']))?.changes).toEqual({ description: 'About' });
    expect(mapGroupNotification(stub(StubType.GROUP_CHANGE_DESCRIPTION))?.changes).toEqual({ description: '' });
    expect(mapGroupNotification(stub(StubType.GROUP_CHANGE_ANNOUNCE, ['on']))?.changes).toEqual({ announce: true });
    expect(mapGroupNotification(stub(StubType.GROUP_CHANGE_RESTRICT, ['off']))?.changes).toEqual({ restrict: false });
    expect(mapGroupNotification(stub(StubType.GROUP_CHANGE_ICON, ['1700000000']))).toEqual({ kind: 'updated', groupId: GROUP, changes: { picture: true }, by: ANN });
    const ephemeral: WAMessage = {
      key: { remoteJid: GROUP, fromMe: true, id: 'N2', participant: ME },
      message: { protocolMessage: { type: proto.Message.ProtocolMessage.Type.EPHEMERAL_SETTING, ephemeralExpiration: 604800 } },
    };
    expect(mapGroupNotification(ephemeral)).toEqual({ kind: 'updated', groupId: GROUP, changes: { ephemeralSeconds: 604800 }, by: ME });
    expect(mapGroupNotification(stub(StubType.GROUP_CHANGE_INVITE_LINK, ['abc']))).toBeUndefined();
    expect(mapGroupNotification({ ...stub(StubType.GROUP_CHANGE_SUBJECT, ['Chat']), key: { remoteJid: ANN, id: 'N3' } })).toBeUndefined();
    expect(mapGroupNotification({ key: { remoteJid: GROUP, id: 'M1', participant: ANN }, message: { conversation: 'hi' } })).toBeUndefined();
  });

  it('maps a group created with us in it to joined, by its creator', () => {
    const event = mapGroupUpsert({ ...metadata, author: ANN_LID, authorPn: ANN });
    expect(event).toMatchObject({ kind: 'joined', by: ANN, group: { id: GROUP, subject: 'Support' } });
  });
});

describe('participant results', () => {
  it("maps WhatsApp's codes to statuses", () => {
    expect(mapParticipantResult({ status: '200', jid: BOB }, 'add', BOB)).toEqual({ jid: BOB, status: 'ok' });
    expect(mapParticipantResult({ status: '403', jid: BOB }, 'add', BOB)).toEqual({ jid: BOB, status: 'privacy' });
    expect(mapParticipantResult({ status: '409', jid: BOB }, 'add', BOB)).toEqual({ jid: BOB, status: 'already_in_group' });
    expect(mapParticipantResult({ status: '404', jid: undefined }, 'add', BOB)).toEqual({ jid: BOB, status: 'not_on_whatsapp' });
    expect(mapParticipantResult({ status: '404', jid: BOB }, 'remove', BOB)).toEqual({ jid: BOB, status: 'not_in_group' });
    expect(mapParticipantResult({ status: '500', jid: BOB }, 'promote', BOB)).toEqual({ jid: BOB, status: 'error' });
  });
});

describe('BaileysGroups', () => {
  function groups(socket: Partial<WASocket>) {
    const emitted: GroupEvent[] = [];
    const ops = new BaileysGroups(() => socket as WASocket, (e) => emitted.push(e), () => ({ jid: ME, lid: ME_LID }), () => {});
    return { ops, emitted };
  }

  it('caches metadata for sends and drops a group on its notifications', async () => {
    const { ops, emitted } = groups({ groupMetadata: async () => metadata });
    expect(await ops.cachedGroupMetadata(GROUP)).toBeUndefined();
    await ops.metadata(GROUP);
    expect(await ops.cachedGroupMetadata(GROUP)).toBe(metadata);
    ops.onEvents({ 'groups.update': [{ id: GROUP, subject: 'New', author: ANN_LID, authorPn: ANN }] });
    expect(await ops.cachedGroupMetadata(GROUP)).toBeUndefined();
    // The change itself is read from the notification's stub message, which the buffer never drops.
    expect(emitted).toEqual([]);
    await ops.metadata(GROUP);
    const stub: WAMessage = {
      key: { remoteJid: GROUP, id: 'N1', participant: ANN_LID, participantAlt: ANN },
      messageStubType: proto.WebMessageInfo.StubType.GROUP_CHANGE_SUBJECT,
      messageStubParameters: ['New'],
    };
    ops.onEvents({ 'messages.upsert': { messages: [stub], type: 'append' } });
    expect(await ops.cachedGroupMetadata(GROUP)).toBeUndefined();
    expect(emitted).toEqual([{ kind: 'updated', groupId: GROUP, changes: { subject: 'New' }, by: ANN }]);
  });

  it('reads the group we were added to and reports it joined', async () => {
    const { ops, emitted } = groups({ groupMetadata: async () => metadata });
    ops.onEvents({ 'group-participants.update': { id: GROUP, author: ANN_LID, authorPn: ANN, participants: [{ id: ME_LID, phoneNumber: ME }], action: 'add' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(emitted).toEqual([{ kind: 'joined', group: mapGroupMetadata(metadata), by: ANN }]);
  });

  it("turns WhatsApp's refusals into group errors", async () => {
    const refuse = (statusCode: number) => async () => {
      // Baileys throws a Boom: an Error with the IQ's error code as output.statusCode.
      throw Object.assign(new Error('refused'), { output: { statusCode } });
    };
    await expect(groups({ groupMetadata: refuse(404) }).ops.metadata(GROUP)).rejects.toEqual(new GroupError('not_found', 'refused'));
    await expect(groups({ groupMetadata: refuse(403) }).ops.metadata(GROUP)).rejects.toMatchObject({ reason: 'not_member' });
    await expect(groups({ groupSettingUpdate: refuse(401) }).ops.update(GROUP, { announce: true })).rejects.toMatchObject({ reason: 'not_admin' });
    await expect(groups({ groupAcceptInvite: refuse(406) }).ops.join('CODE')).rejects.toMatchObject({ reason: 'invalid_invite' });
    await expect(groups({ groupMetadata: refuse(500) }).ops.metadata(GROUP)).rejects.not.toBeInstanceOf(GroupError);
    // A refused iq: Baileys' assertNodeErrorFree puts WhatsApp's code in `data`, the Boom status stays 500.
    const refusedIq = (code: number) => async () => {
      throw Object.assign(new Error('not-authorized'), { data: code, output: { statusCode: 500 } });
    };
    await expect(groups({ groupParticipantsUpdate: refusedIq(401) }).ops.participants(GROUP, 'add', [BOB])).rejects.toMatchObject({ reason: 'not_admin' });
    await expect(groups({ groupGetInviteInfo: refusedIq(406) }).ops.invitePreview('CODE')).rejects.toMatchObject({ reason: 'invalid_invite' });
  });

  it('answers a result per participant asked, in order', async () => {
    const { ops } = groups({ groupParticipantsUpdate: async () => [{ status: '200', jid: BOB, content: { tag: 'participant', attrs: {} } }] });
    expect(await ops.participants(GROUP, 'add', [BOB, ANN])).toEqual([
      { jid: BOB, status: 'ok' },
      { jid: ANN, status: 'error' },
    ]);
  });
});
