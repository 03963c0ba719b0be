import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { baileysDriver } from '../engines/contract/baileys-driver.js';
import { linkByQr } from '../engines/contract/steps.js';

/**
 * WhatsApp's server keeps a message for a device until the device acknowledges it. The Baileys
 * engine acknowledges a received message only once the services have stored it, so a gateway
 * that dies in between gets the message again instead of losing it.
 */
describe('Baileys engine: received messages are acknowledged after they are stored', () => {
  const driver = baileysDriver();
  beforeAll(() => driver.setup());
  afterAll(() => driver.teardown());

  it('holds the delivery receipt while the store is busy, and sends it once the message is stored', async () => {
    const device = await linkByQr(driver);
    const deviceJid = driver.deviceJid(device);
    const release = device.events.holdStores();
    const id = await driver.peerSends(device, { text: 'keep me' });
    await device.events.next('message', (e) => e.message.messageId === id);
    // The receipt would be on the wire before the message was emitted; give it time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(driver.emulator.unacked(deviceJid)).toEqual([id]);

    release();
    await vi.waitFor(() => expect(driver.emulator.unacked(deviceJid)).toEqual([]), { timeout: 5_000 });
  });

  it('acknowledges anyway once receiptHoldMs has passed, so a stuck store cannot stall the connection', async () => {
    const device = await linkByQr(driver, driver.newDeviceOn(driver.engineWith({ receiptHoldMs: 300 })));
    const deviceJid = driver.deviceJid(device);
    device.events.holdStores();
    const id = await driver.peerSends(device, { text: 'slow store' });
    await device.events.next('message', (e) => e.message.messageId === id);
    await vi.waitFor(() => expect(driver.emulator.unacked(deviceJid)).toEqual([]), { timeout: 5_000 });
    // The connection goes on: what the session sends still reaches the peer.
    const sent = await device.session.sendText(driver.peer.jid, 'still here');
    await driver.peerReceived(device, sent.messageId);
  });

  it('delivers again, in order, the messages of a gateway that went away before storing them', async () => {
    const device = await linkByQr(driver);
    const deviceJid = driver.deviceJid(device);
    device.events.holdStores();
    const first = await driver.peerSends(device, { text: 'one' });
    const second = await driver.peerSends(device, { text: 'two' });
    await device.events.next('message', (e) => e.message.messageId === second);
    // The gateway goes away before its store confirmed anything.
    await device.session.stop();
    expect(driver.emulator.unacked(deviceJid)).toEqual([first, second]);

    const restarted = driver.reopen(device);
    await restarted.session.start();
    await restarted.events.next('message', (e) => e.message.messageId === first);
    await restarted.events.next('message', (e) => e.message.messageId === second);
    await vi.waitFor(() => expect(driver.emulator.unacked(deviceJid)).toEqual([]), { timeout: 5_000 });
  });
});
