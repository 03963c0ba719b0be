import { describe, expect, it } from 'vitest';
import type { EngineDriver } from './driver.js';
import { linkByQr } from './steps.js';

export function connectionContract(driver: EngineDriver): void {
  describe('the connection', () => {
    it('stop closes as stopped and keeps the credentials; start reconnects without a QR code', async () => {
      const device = await linkByQr(driver);
      await device.session.stop();
      expect(await device.events.next('closed')).toMatchObject({ reason: 'stopped' });
      expect(device.auth.rows.size).toBeGreaterThan(0);
      await device.session.start();
      expect(await device.events.next('connected')).toMatchObject({ jid: device.jid });
      expect(device.events.all('qr')).toHaveLength(1);
    });

    it('a new session over the stored credentials (a restarted process) connects without a QR code', async () => {
      const device = await linkByQr(driver);
      await device.session.stop();
      await device.events.next('closed');
      const again = driver.reopen(device);
      await again.session.start();
      await again.events.next('connected');
      expect(again.events.events).toEqual([{ type: 'connected', jid: device.jid, pushName: driver.accountName }]);
    });

    it('logout unlinks the device, closes as logged_out and wipes the credentials', async () => {
      const device = await linkByQr(driver);
      await device.session.logout();
      expect(await device.events.next('closed')).toMatchObject({ reason: 'logged_out' });
      expect(device.auth.rows.size).toBe(0);
      await device.session.start();
      await device.events.next('qr');
    });

    it('logout of a stopped device wipes the credentials, and the next start shows a QR code', async () => {
      const device = await linkByQr(driver);
      await device.session.stop();
      await device.events.next('closed');
      await device.session.logout();
      expect(device.auth.rows.size).toBe(0);
      await device.session.start();
      await device.events.next('qr');
    });

    it('the phone unlinking the device closes it as logged_out; logout then leaves no credentials', async () => {
      const device = await linkByQr(driver);
      await driver.unlinkFromPhone(device);
      expect(await device.events.next('closed')).toMatchObject({ reason: 'logged_out' });
      if (driver.capabilities.keepsCredentialsUnlinkedByPhone) {
        expect(device.auth.rows.size).toBeGreaterThan(0);
        // The stale credentials only get a refused login, reported the same way.
        await device.session.start();
        expect(await device.events.next('closed')).toMatchObject({ reason: 'logged_out' });
      } else {
        expect(device.auth.rows.size).toBe(0);
      }
      await device.session.logout();
      expect(device.auth.rows.size).toBe(0);
    });

    it('a dropped connection closes as connection_lost, and start reconnects', async () => {
      const device = await linkByQr(driver);
      await driver.dropConnection(device);
      expect(await device.events.next('closed')).toMatchObject({ reason: 'connection_lost' });
      await device.session.start();
      expect(await device.events.next('connected')).toMatchObject({ jid: device.jid });
      const sent = await device.session.sendText(driver.peer.jid, 'back online');
      expect((await driver.peerReceived(device, sent.messageId)).text).toBe('back online');
    });

    it('another client taking the session over closes it as conflict', async () => {
      const device = await linkByQr(driver);
      await driver.takeOver(device);
      expect(await device.events.next('closed')).toMatchObject({ reason: 'conflict' });
    });

    it('refuses to send while not connected: before start, while showing a QR code, after stop', async () => {
      const device = driver.newDevice();
      await expect(device.session.sendText(driver.peer.jid, 'too early')).rejects.toThrow(/not connected/);
      await device.session.start();
      await device.events.next('qr');
      await expect(device.session.sendText(driver.peer.jid, 'not linked')).rejects.toThrow(/not connected/);
      const linked = await linkByQr(driver);
      await linked.session.stop();
      await linked.events.next('closed');
      await expect(linked.session.sendText(driver.peer.jid, 'too late')).rejects.toThrow(/not connected/);
      const media = { kind: 'image' as const, data: Buffer.from('x'), mimeType: 'image/png' };
      await expect(linked.session.sendMedia(driver.peer.jid, media)).rejects.toThrow(/not connected/);
    });
  });
}
