import { Curve, type BinaryNode, type KeyPair } from 'baileys';
import type { PreKeyBundle } from './signal-peer.js';

/** What a new companion announced in its registration payload, kept until a phone scans it. */
export interface Registration {
  noiseKey: Buffer;
  identityKey: Buffer;
  registrationId: number;
  signedPreKey: PreKeyBundle['signedPreKey'];
}

export interface CompanionDevice extends Registration {
  account: Account;
  deviceId: number;
  preKeys: Map<number, Buffer>;
  removed: boolean;
  /** Stanzas the device has not acknowledged, oldest first; sent again at its next login (offline-queue.ts). */
  pending: BinaryNode[];
}

/** The WhatsApp account on the "phone" that links companion devices. */
export interface Account {
  phone: string;
  lidUser: string;
  name: string;
  /** The ADV account key the phone signs device identities with. */
  signingKey: KeyPair;
  devices: Map<number, CompanionDevice>;
  nextDeviceId: number;
}

export function newAccount(phone: string, lidUser: string, name: string): Account {
  return { phone, lidUser, name, signingKey: Curve.generateKeyPair(), devices: new Map(), nextDeviceId: 2 };
}

export function deviceAddress(device: CompanionDevice): string {
  return `${device.account.phone}.${device.deviceId}`;
}

export function devicePnJid(device: CompanionDevice): string {
  return `${device.account.phone}:${device.deviceId}@s.whatsapp.net`;
}

/** Hands out the device's bundle with one of its uploaded one-time pre-keys (used up). */
export function takeBundle(device: CompanionDevice): PreKeyBundle {
  const first = device.preKeys.entries().next();
  let preKey: PreKeyBundle['preKey'];
  if (!first.done) {
    const [keyId, publicKey] = first.value;
    device.preKeys.delete(keyId);
    preKey = { keyId, publicKey };
  }
  return {
    registrationId: device.registrationId,
    identityKey: device.identityKey,
    signedPreKey: device.signedPreKey,
    preKey,
  };
}
