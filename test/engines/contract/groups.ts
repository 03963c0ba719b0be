import { describe, expect, it } from 'vitest';
import { GroupError, type GroupEvent } from '../../../src/engines/groups.js';
import type { EngineDriver } from './driver.js';
import { linkByQr } from './steps.js';

/**
 * Group operations through the port, with the peer as a member. Registered for the simulator;
 * the Baileys driver registers it once the emulator keeps groups (create, w:g2 queries, w:gp2
 * notifications), which is the next step of issue 19.
 */
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
        { jid: device.jid, admin: 'superadmin' },
        { jid: driver.peer.jid, admin: null },
      ]);
      await device.events.find('group', groupEvent('joined', group.id));
      expect(await device.session.groups.metadata(group.id)).toEqual(group);
      expect((await device.session.groups.list()).map((g) => g.id)).toContain(group.id);
    });

    it('changes settings and members, each reported as an event by us', async () => {
      const device = await linkByQr(driver);
      const { group } = await device.session.groups.create('Settings', [driver.peer.jid]);
      await device.session.groups.update(group.id, { subject: 'Renamed', announce: true });
      const updated = await device.events.find('group', groupEvent('updated', group.id));
      expect(updated.event).toEqual({ kind: 'updated', groupId: group.id, changes: { subject: 'Renamed', announce: true }, by: device.jid });
      expect(await device.session.groups.participants(group.id, 'promote', [driver.peer.jid])).toEqual([{ jid: driver.peer.jid, status: 'ok' }]);
      const promoted = await device.events.find('group', groupEvent('participants', group.id));
      expect(promoted.event).toEqual({ kind: 'participants', groupId: group.id, action: 'promote', participants: [driver.peer.jid], by: device.jid });
      expect((await device.session.groups.metadata(group.id)).participants).toContainEqual({ jid: driver.peer.jid, admin: 'admin' });
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
