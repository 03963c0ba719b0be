import { describe, expect, it } from 'vitest';
import type { EngineDriver } from './driver.js';
import { linkByQr, restartAfterPairing } from './steps.js';

/** Pairing alphabet WhatsApp uses for codes (no 0, I, O, U); a display hyphen may split them 4-4. */
const PAIRING_CODE = /^[1-9A-HJ-NP-TV-Z]{4}-?[1-9A-HJ-NP-TV-Z]{4}$/;

export function linkingContract(driver: EngineDriver): void {
  describe('linking a device', () => {
    it('shows a QR code, links when the phone scans it, and connects as the account', async () => {
      const device = driver.newDevice();
      await device.session.start();
      const { qr } = await device.events.next('qr');
      expect(qr).toEqual(expect.any(String));
      const jid = await driver.scanQr(device, qr);
      expect(jid).toMatch(/^\d+@s\.whatsapp\.net$/);
      await restartAfterPairing(device);
      expect(await device.events.next('connected')).toEqual({ type: 'connected', jid, pushName: driver.accountName });
      expect(device.events.events.map((e) => e.type)).toEqual(['qr', 'closed', 'connected']);
      expect(device.auth.rows.size).toBeGreaterThan(0);
    });

    it('links with an 8-character pairing code typed on the phone of the number asked for', async () => {
      const device = driver.newDevice();
      const code = await device.session.requestPairingCode('+7 900 777-88-99');
      expect(code).toMatch(PAIRING_CODE);
      expect(await driver.confirmPairingCode(device, '79007778899', code)).toBe('79007778899@s.whatsapp.net');
      await restartAfterPairing(device);
      expect(await device.events.next('connected')).toMatchObject({ jid: '79007778899@s.whatsapp.net' });
    });

    it('closes as qr_timeout after six QR codes went unscanned; a new start shows a QR code again', async () => {
      const device = driver.newDevice({ qrRefreshMs: 20 });
      await device.session.start();
      expect(await device.events.next('closed')).toMatchObject({ reason: 'qr_timeout' });
      expect(device.events.events.map((e) => e.type)).toEqual([...Array(6).fill('qr'), 'closed']);
      await device.session.start();
      await device.events.next('qr');
      await device.session.stop();
    });

    it('refuses a pairing code for a device that is already linked', async () => {
      const { session } = await linkByQr(driver);
      await expect(session.requestPairingCode('79007778899')).rejects.toThrow(/already linked/);
    });
  });
}
