import { expect } from 'vitest';
import type { EngineEvent, MessageStatus } from '../../../src/engines/engine.js';
import type { Device, EngineDriver } from './driver.js';

/** A device linked by QR and connected, as every test that needs a working session starts. */
export interface Linked extends Device {
  /** The account JID `connected` reported. */
  jid: string;
}

/** Starts a session, lets the phone scan its first QR code and waits until it is connected. */
export async function linkByQr(driver: EngineDriver, device: Device = driver.newDevice()): Promise<Linked> {
  await device.session.start();
  const { qr } = await device.events.next('qr');
  const jid = await driver.scanQr(device, qr);
  await restartAfterPairing(device);
  const connected = await device.events.next('connected');
  expect(connected.jid).toBe(jid);
  return { ...device, jid };
}

/** WhatsApp closes a freshly paired connection; the next `start()` logs in with the new creds. */
export async function restartAfterPairing(device: Device): Promise<void> {
  expect(await device.events.next('closed')).toMatchObject({ reason: 'restart_required' });
  await device.session.start();
}

export function statusesOf(events: readonly EngineEvent[], messageId: string): MessageStatus[] {
  return events.flatMap((e) => (e.type === 'message_status' && e.messageId === messageId ? [e.status] : []));
}

/** Waits until `messageId` was read, then returns every status it went through, in order. */
export async function statusesUntilRead(device: Device, messageId: string): Promise<MessageStatus[]> {
  await device.events.next('message_status', (e) => e.messageId === messageId && e.status === 'read');
  return statusesOf(device.events.events, messageId);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Bytes that survive no accidental re-encoding: every byte value, in an odd length. */
export function sampleBytes(length: number, seed = 7): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * seed + 3) % 256));
}
