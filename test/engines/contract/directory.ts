import { describe, expect, it } from 'vitest';
import type { EngineDriver } from './driver.js';
import { linkByQr } from './steps.js';

export function directoryContract(driver: EngineDriver): void {
  describe('numbers and contacts', () => {
    it('checkNumbers tells accounts on WhatsApp from numbers that are not, whatever the input format', async () => {
      const { session } = await linkByQr(driver);
      const phone = `+${driver.peer.phone.slice(0, 1)} ${driver.peer.phone.slice(1, 4)} ${driver.peer.phone.slice(4)}`;
      expect(await session.account.checkNumbers([driver.peer.jid, driver.stranger, phone])).toEqual([
        { input: driver.peer.jid, jid: driver.peer.jid, exists: true, lid: driver.peer.lid },
        { input: driver.stranger, jid: driver.stranger, exists: false },
        { input: phone, jid: driver.peer.jid, exists: true, lid: driver.peer.lid },
      ]);
    });

    it('a peer who writes becomes a contact with its push name: a contacts event, then getContacts', async () => {
      const device = await linkByQr(driver);
      expect(await device.session.getContacts()).toEqual([]);
      await driver.peerSends(device, { text: 'hello, it is Ivan' });
      const expected = { jid: driver.peer.jid, pushName: driver.peer.name, isGroup: false };
      const event = await device.events.find('contacts', (e) => e.contacts.some((c) => c.jid === driver.peer.jid));
      expect(event.contacts).toContainEqual(expected);
      expect(await device.session.getContacts()).toContainEqual(expected);
    });
  });
}
