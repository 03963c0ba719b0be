import { describe, expect, it } from 'vitest';
import { GroupError, type GroupChanges, type GroupEvent } from '../../../src/engines/groups.js';
import type { Device, EngineDriver } from './driver.js';
import { linkByQr } from './steps.js';

/**
 * Group operations through the port, with the peer as a member. An engine may know members'
 * LIDs, so members are compared on their JID and rank; and WhatsApp notifies each change on its
 * own (a client may report several in one event), so changes are compared merged.
 */
/** A real 1×1 PNG: Baileys makes a JPEG of a picture with sharp, which must be able to read it. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** The `updated` events of a group merged, once they name `count` changes, with who made them. */
async function changesBy(device: Device, groupId: string, count: number): Promise<{ changes: GroupChanges; by: Array<string | undefined> }> {
  const updates = () =>
    device.events.all('group').flatMap(({ event }) => (event.kind === 'updated' && event.groupId === groupId ? [event] : []));
  await device.events.find('group', () => Object.keys(Object.assign({}, ...updates().map((u) => u.changes))).length >= count);
  const found = updates();
  return { changes: Object.assign({}, ...found.map((u) => u.changes)), by: [...new Set(found.map((u) => u.by))] };
}

export function groupsContract(driver: EngineDriver): void {
  describe('groups', () => {
    const groupEvent = <K extends GroupEvent['kind']>(kind: K, groupId: string) => (e: { event: GroupEvent }) =>
      e.event.kind === kind && (e.event.kind === 'joined' ? e.event.group.id : (e.event as { groupId: string }).groupId) === groupId;

    it('creates a group with a result per participant, and is told it joined', async () => {
      const device = await linkByQr(driver);
      const { group, results } = await device.session.groups.create('Contract', [driver.peer.jid, driver.stranger]);
      expect(results).toEqual([
        { jid: driver.peer.jid, status: 'ok' },
        { jid: driver.stranger, status: 'not_on_whatsapp' },
      ]);
      expect(group).toMatchObject({ subject: 'Contract', announce: false, restrict: false, ephemeralSeconds: 0 });
      expect(group.participants).toEqual([
        expect.objectContaining({ jid: device.jid, admin: 'superadmin' }),
        expect.objectContaining({ jid: driver.peer.jid, admin: null }),
      ]);
      await device.events.find('group', groupEvent('joined', group.id));
      expect(await device.session.groups.metadata(group.id)).toEqual(group);
      expect((await device.session.groups.list()).map((g) => g.id)).toContain(group.id);
    });

    it('changes settings and members, each reported as an event by us', async () => {
      const device = await linkByQr(driver);
      const { group } = await device.session.groups.create('Settings', [driver.peer.jid]);
      await device.session.groups.update(group.id, { subject: 'Renamed', announce: true });
      expect(await changesBy(device, group.id, 2)).toEqual({ changes: { subject: 'Renamed', announce: true }, by: [device.jid] });
      expect(await device.session.groups.participants(group.id, 'promote', [driver.peer.jid])).toEqual([{ jid: driver.peer.jid, status: 'ok' }]);
      const promoted = await device.events.find('group', groupEvent('participants', group.id));
      expect(promoted.event).toEqual({ kind: 'participants', groupId: group.id, action: 'promote', participants: [driver.peer.jid], by: device.jid });
      expect((await device.session.groups.metadata(group.id)).participants).toContainEqual(expect.objectContaining({ jid: driver.peer.jid, admin: 'admin' }));
    });

    it('sets the group picture, reported as a change by us', async () => {
      const device = await linkByQr(driver);
      const { group } = await device.session.groups.create('Picture', [driver.peer.jid]);
      await device.session.groups.setPicture(group.id, { data: PNG, mimeType: 'image/png' });
      const changed = await device.events.find('group', (e) => e.event.kind === 'updated' && e.event.groupId === group.id && !!e.event.changes.picture);
      expect(changed.event).toEqual({ kind: 'updated', groupId: group.id, changes: { picture: true }, by: device.jid });
    });

    it('answers each participant: added, invites only, already in, not on WhatsApp, not in the group', async () => {
      const device = await linkByQr(driver);
      const { group } = await device.session.groups.create('Members', [driver.peer.jid]);
      expect(await device.session.groups.participants(group.id, 'add', [driver.invitesOnly, driver.peer.jid, driver.stranger])).toEqual([
        { jid: driver.invitesOnly, status: 'privacy' },
        { jid: driver.peer.jid, status: 'already_in_group' },
        { jid: driver.stranger, status: 'not_on_whatsapp' },
      ]);
      for (const action of ['promote', 'demote', 'remove'] as const) {
        expect(await device.session.groups.participants(group.id, action, [driver.peer.jid])).toEqual([{ jid: driver.peer.jid, status: 'ok' }]);
        const event = await device.events.find('group', (e) => e.event.kind === 'participants' && e.event.action === action && e.event.groupId === group.id);
        expect(event.event).toEqual({ kind: 'participants', groupId: group.id, action, participants: [driver.peer.jid], by: device.jid });
      }
      expect(await device.session.groups.participants(group.id, 'remove', [driver.peer.jid])).toEqual([{ jid: driver.peer.jid, status: 'not_in_group' }]);
      expect((await device.session.groups.metadata(group.id)).participants.map((p) => p.jid)).toEqual([device.jid]);
    });

    it("tells us a member's changes with who made them: info, our removal, adding us back", async () => {
      const device = await linkByQr(driver);
      const { group } = await device.session.groups.create('Peer acts', [driver.peer.jid]);
      await device.session.groups.participants(group.id, 'promote', [driver.peer.jid]);
      await driver.peerActsInGroup(device, group.id, { action: 'update', changes: { subject: 'Peer named it', description: 'by the peer' } });
      expect(await changesBy(device, group.id, 2)).toEqual({ changes: { subject: 'Peer named it', description: 'by the peer' }, by: [driver.peer.jid] });
      await driver.peerActsInGroup(device, group.id, { action: 'remove', participants: [device.jid] });
      expect((await device.events.find('group', groupEvent('left', group.id))).event).toEqual({ kind: 'left', groupId: group.id, by: driver.peer.jid });
      await expect(device.session.groups.metadata(group.id)).rejects.toMatchObject({ reason: 'not_member' });
      await driver.peerActsInGroup(device, group.id, { action: 'add', participants: [device.jid] });
      const joined = () => device.events.all('group').filter(groupEvent('joined', group.id));
      await device.events.find('group', () => joined().length === 2);
      expect(joined()[1]!.event).toMatchObject({ kind: 'joined', group: { id: group.id, subject: 'Peer named it', description: 'by the peer' }, by: driver.peer.jid });
    });

    it('refuses what only admins may do, and a group that does not exist', async () => {
      const device = await linkByQr(driver);
      const { group } = await device.session.groups.create('Ranks', [driver.peer.jid]);
      // Back in by the invite code after leaving, we are a plain member.
      const code = await device.session.groups.inviteCode(group.id);
      await device.session.groups.leave(group.id);
      await device.session.groups.join(code);
      expect((await device.session.groups.metadata(group.id)).participants).toContainEqual(expect.objectContaining({ jid: device.jid, admin: null }));
      await expect(device.session.groups.update(group.id, { announce: true })).rejects.toMatchObject({ reason: 'not_admin' });
      await expect(device.session.groups.participants(group.id, 'add', [driver.invitesOnly])).rejects.toMatchObject({ reason: 'not_admin' });
      await expect(device.session.groups.inviteCode(group.id)).rejects.toMatchObject({ reason: 'not_admin' });
      await expect(device.session.groups.metadata('120363000000000001@g.us')).rejects.toMatchObject({ reason: 'not_found' });
    });

    it('leaves and joins back by the invite code', async () => {
      const device = await linkByQr(driver);
      const { group } = await device.session.groups.create('Come back', [driver.peer.jid]);
      const code = await device.session.groups.inviteCode(group.id);
      await device.session.groups.leave(group.id);
      await device.events.find('group', groupEvent('left', group.id));
      expect(await device.session.groups.join(code)).toBe(group.id);
      const joined = () => device.events.all('group').filter(groupEvent('joined', group.id));
      await device.events.find('group', () => joined().length === 2);
      expect(joined()[1]!.event).toMatchObject({ kind: 'joined', group: { id: group.id, subject: 'Come back' }, by: device.jid });
      expect((await device.session.groups.metadata(group.id)).participants.map((p) => p.jid)).toEqual([driver.peer.jid, device.jid]);
    });

    it("talks in a group: our message reaches a member, a member's reaches us with its author", async () => {
      const device = await linkByQr(driver);
      const { group } = await device.session.groups.create('Talk', [driver.peer.jid]);
      const sent = await device.session.sendText(group.id, 'hello group');
      expect((await driver.peerReceived(device, sent.messageId)).text).toBe('hello group');
      const second = await device.session.sendText(group.id, 'again');
      expect((await driver.peerReceived(device, second.messageId)).text).toBe('again');
      for (const text of ['hi all', 'and more']) {
        const id = await driver.peerSendsToGroup(device, group.id, { text });
        const { message } = await device.events.find('message', (e) => e.message.messageId === id);
        expect(message).toMatchObject({ chatJid: group.id, senderJid: driver.peer.jid, fromMe: false, text });
      }
    });

    it('gives, previews and revokes the invite code, and leaves', async () => {
      const device = await linkByQr(driver);
      const { group } = await device.session.groups.create('Invites', [driver.peer.jid]);
      const code = await device.session.groups.inviteCode(group.id);
      expect(await device.session.groups.invitePreview(code)).toEqual({ id: group.id, subject: 'Invites', size: 2 });
      const fresh = await device.session.groups.revokeInvite(group.id);
      expect(fresh).not.toBe(code);
      await expect(device.session.groups.invitePreview(code)).rejects.toMatchObject({ reason: 'invalid_invite' });
      await device.session.groups.leave(group.id);
      await device.events.find('group', groupEvent('left', group.id));
      await expect(device.session.groups.metadata(group.id)).rejects.toBeInstanceOf(GroupError);
    });
  });
}
