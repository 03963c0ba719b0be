import { describe, expect, it } from 'vitest';
import { RefusalError } from '../../../src/engines/refusal.js';
import type { EngineDriver } from './driver.js';
import { linkByQr } from './steps.js';

/** A real 1×1 PNG: Baileys turns a picture into a JPEG with sharp, which needs an image it can read. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export function profilesContract(driver: EngineDriver): void {
  describe('profiles and blocking', () => {
    it("getProfile shows a peer's about text, picture and the name it wrote under; a number that is no account does not exist", async () => {
      const device = await linkByQr(driver);
      await driver.setPeerProfile({ about: 'Out fishing', picture: PNG });
      await driver.peerSends(device, { text: 'hi, see my picture' });
      await device.events.find('contacts', (e) => e.contacts.some((c) => c.jid === driver.peer.jid));
      const profile = await device.session.account.getProfile(driver.peer.jid);
      expect(profile).toMatchObject({ jid: driver.peer.jid, exists: true, name: driver.peer.name, about: 'Out fishing' });
      expect(await driver.downloadPicture(profile.pictureUrl!)).toEqual(PNG);
      expect(await device.session.account.getProfile(driver.stranger)).toEqual({ jid: driver.stranger, exists: false });
    });

    it("updateProfile sets the account's push name, about text and picture, and getProfile of our own JID shows them", async () => {
      const device = await linkByQr(driver);
      await device.session.account.updateProfile({ name: 'Renamed', about: 'Busy', picture: { data: PNG, mimeType: 'image/png' } });
      const kept = await driver.accountProfile(device);
      expect(kept).toMatchObject({ name: 'Renamed', about: 'Busy' });
      expect(kept.picture?.length).toBeGreaterThan(0);
      const own = await device.session.account.getProfile(device.jid);
      expect(own).toMatchObject({ jid: device.jid, exists: true, name: 'Renamed', about: 'Busy' });
      expect(await driver.downloadPicture(own.pictureUrl!)).toEqual(kept.picture);
    });

    it('setBlocked blocks and unblocks a peer; getBlocklist lists it by phone JID meanwhile', async () => {
      const { session } = await linkByQr(driver);
      await session.account.setBlocked(driver.peer.jid, true);
      expect(await session.account.getBlocklist()).toEqual([driver.peer.jid]);
      await session.account.setBlocked(driver.peer.jid, false);
      expect(await session.account.getBlocklist()).toEqual([]);
    });

    it('a message to a blocked peer is refused as blocked, also after a restart, until it is unblocked', async () => {
      const device = await linkByQr(driver);
      await device.session.account.setBlocked(driver.peer.jid, true);
      await expect(device.session.sendText(driver.peer.jid, 'are you there?')).rejects.toMatchObject({ reason: 'blocked' });
      await expect(device.session.sendLocation(driver.peer.jid, { latitude: 1, longitude: 2 })).rejects.toBeInstanceOf(RefusalError);

      await device.session.stop();
      const restarted = driver.reopen(device);
      await restarted.session.start();
      await restarted.events.next('connected');
      await expect(restarted.session.sendText(driver.peer.jid, 'still blocked?')).rejects.toMatchObject({ reason: 'blocked' });

      await restarted.session.account.setBlocked(driver.peer.jid, false);
      const sent = await restarted.session.sendText(driver.peer.jid, 'unblocked now');
      expect(await driver.peerReceived(restarted, sent.messageId)).toMatchObject({ text: 'unblocked now' });
    });

    it('blocking a number that is no WhatsApp account is refused as no_account', async () => {
      const { session } = await linkByQr(driver);
      await expect(session.account.setBlocked(driver.stranger, true)).rejects.toMatchObject({ reason: 'no_account' });
      expect(await session.account.getBlocklist()).toEqual([]);
    });
  });
}
