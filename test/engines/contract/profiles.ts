import { describe, expect, it } from 'vitest';
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
  });
}
