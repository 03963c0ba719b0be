import { describe, expect, it } from 'vitest';
import { GroupError, type GroupChanges, type GroupEvent } from '../../../src/engines/groups.js';
import type { Device, EngineDriver } from './driver.js';
import { linkByQr } from './steps.js';

/**
 * Group operations through the port, with the peer as a member. An engine may know members'
 * LIDs, so members are compared on their JID and rank; and WhatsApp notifies each change on its
 * own (a client may report several in one event), so changes are compared merged.
 */
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
