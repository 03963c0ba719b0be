import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baileysDriver } from '../engines/contract/baileys-driver.js';
import { linkByQr } from '../engines/contract/steps.js';

/**
 * What only the Baileys engine shows over the emulator: WhatsApp's own QR format and close codes,
 * a takeover by another client, what the phone sees. What every engine does is in the contract
 * suite (test/engines/contract/), which runs on this same driver.
 */
describe('Baileys engine against the local WhatsApp emulator', () => {
  const driver = baileysDriver();
  beforeAll(() => driver.setup());
  afterAll(() => driver.teardown());

  it("shows WhatsApp's QR link format and restarts after pairing with code 515", async () => {
    const device = driver.newDevice();
    await device.session.start();
    const { qr } = await device.events.next('qr');
    expect(qr).toMatch(/^https:\/\/wa\.me\/settings\/linked_devices#/);
    expect(await driver.scanQr(device, qr)).toBe(`${driver.emulator.defaultPhone}@s.whatsapp.net`);
    expect(await device.events.next('closed')).toMatchObject({ reason: 'restart_required', code: 515 });
  });

  it('closes with code 440 when another client takes the session over', async () => {
    const device = await linkByQr(driver);
    await driver.takeOver(device);
    expect(await device.events.next('closed')).toMatchObject({ reason: 'conflict', code: 440 });
  });

  it('logout while stopped connects to tell the phone, which then shows the device removed (401)', async () => {
    const device = await linkByQr(driver);
    const deviceJid = driver.deviceJid(device);
    await device.session.stop();
    await device.events.next('closed');
    await device.session.logout();
    await device.events.next('connected');
    expect(await device.events.next('closed')).toMatchObject({ reason: 'logged_out', code: 401 });
    expect(driver.emulator.devices(deviceJid)).toEqual([{ jid: deviceJid, removed: true, online: false }]);
    expect(device.auth.rows.size).toBe(0);
  });

  it('reports a device unlinked from the phone with code 401, and the refused re-login too', async () => {
    const device = await linkByQr(driver);
    await driver.unlinkFromPhone(device);
    expect(await device.events.next('closed')).toMatchObject({ reason: 'logged_out', code: 401 });
    await device.session.start();
    expect(await device.events.next('closed')).toMatchObject({ reason: 'logged_out', code: 401 });
  });

  it('closes with qr_timeout (408) when every QR expired unscanned', async () => {
    const device = driver.newDevice({ qrRefreshMs: 30 });
    await device.session.start();
    expect(await device.events.next('closed')).toMatchObject({ reason: 'qr_timeout', code: 408 });
    expect(device.events.all('qr')).toHaveLength(6);
  });

  it('asks for a pairing code after the first QR without persisting the unconfirmed account', async () => {
    const device = driver.newDevice();
    const code = await device.session.requestPairingCode('+1 555 123 4567');
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    await device.session.stop();
    expect(await device.events.next('closed')).toMatchObject({ reason: 'stopped' });
    const creds = JSON.parse(device.auth.rows.get('creds/creds') ?? '{}') as { me?: unknown; pairingCode?: string };
    expect(creds.me).toBeUndefined();

    // With no `me` stored, the next start registers again and shows a QR instead of failing login.
    await device.session.start();
    await device.events.next('qr');
    await device.session.stop();
  });
});
