import { describe, expect, it } from 'vitest';
import type { Device, EngineDriver } from './driver.js';
import { linkByQr } from './steps.js';

/**
 * WhatsApp addresses more and more chats by LID (`…@lid`) and names the phone number beside it
 * only until the account has been told it. Every engine reports the phone number whenever it
 * knows it, and keeps what it was told with the credentials.
 */
export function lidContract(driver: EngineDriver): void {
  const received = async (device: Device, messageId: string) =>
    (await device.events.find('message', (e) => e.message.messageId === messageId)).message;

  describe('LIDs', () => {
    it('a message from a LID reports the phone number, from WhatsApp and then from the stored mapping, after a restart too', async () => {
      const { lidPeer } = driver;
      const fromLidPeer = { chatJid: lidPeer.jid, senderJid: lidPeer.jid, lid: lidPeer.lid, fromMe: false };
      const device = await linkByQr(driver);
      expect(await device.session.account.phoneJidOf(lidPeer.lid)).toBeUndefined();

      const first = await driver.lidPeerSends(device, 'hi from my LID', true);
      expect(await received(device, first)).toMatchObject({ ...fromLidPeer, text: 'hi from my LID' });
      expect(await device.session.account.phoneJidOf(lidPeer.lid)).toBe(lidPeer.jid);

      const second = await driver.lidPeerSends(device, 'the LID alone now', false);
      expect(await received(device, second)).toMatchObject({ ...fromLidPeer, text: 'the LID alone now' });

      await device.session.stop();
      const restarted = driver.reopen(device);
      await restarted.session.start();
      await restarted.events.next('connected');
      expect(await restarted.session.account.phoneJidOf(lidPeer.lid)).toBe(lidPeer.jid);
      const third = await driver.lidPeerSends(restarted, 'after your restart', false);
      expect(await received(restarted, third)).toMatchObject({ ...fromLidPeer, text: 'after your restart' });
    });

    it('a message from a LID nobody told the number of keeps the LID as its chat', async () => {
      const { lidPeer } = driver;
      const device = await linkByQr(driver);
      const id = await driver.lidPeerSends(device, 'who am I?', false);
      expect(await received(device, id)).toMatchObject({ chatJid: lidPeer.lid, lid: lidPeer.lid, fromMe: false, text: 'who am I?' });
    });
  });
}
