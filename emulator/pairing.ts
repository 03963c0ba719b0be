import { createHmac } from 'node:crypto';
import { Curve, proto, type BinaryNode } from 'baileys';
import type { ClientConnection } from './client-connection.js';
import type { EmulatorCore } from './core.js';
import type { CompanionDevice } from './state.js';

const ACCOUNT_SIG_PREFIX = Buffer.from([6, 0]);

export interface ParsedQr {
  ref: string;
  noiseKey: Buffer;
  identityKey: Buffer;
  advSecret: Buffer;
  platformId: string;
}

/** Reads `https://wa.me/settings/linked_devices#ref,noiseKey,identityKey,advSecret,platform`. */
export function parseQr(qr: string): ParsedQr {
  const hash = qr.includes('#') ? qr.slice(qr.indexOf('#') + 1) : qr;
  const [ref, noise, identity, adv, platformId] = hash.split(',');
  if (!ref || !noise || !identity || !adv) throw new Error('not a WhatsApp pairing QR');
  return {
    ref,
    noiseKey: Buffer.from(noise, 'base64'),
    identityKey: Buffer.from(identity, 'base64'),
    advSecret: Buffer.from(adv, 'base64'),
    platformId: platformId ?? '',
  };
}

/**
 * What the phone does on a scan: sign the companion's identity key with the account key, and
 * MAC the result with the QR's ADV secret so the companion knows the scan saw its QR.
 */
export function pairSuccessNode(id: string, device: CompanionDevice, qr: ParsedQr): BinaryNode {
  const { account } = device;
  const details = proto.ADVDeviceIdentity.encode({
    rawId: 1,
    timestamp: Math.floor(Date.now() / 1000),
    keyIndex: device.deviceId,
  }).finish();
  const accountSignature = Curve.sign(
    account.signingKey.private,
    Buffer.concat([ACCOUNT_SIG_PREFIX, details, qr.identityKey]),
  );
  const signed = proto.ADVSignedDeviceIdentity.encode({
    details,
    accountSignatureKey: account.signingKey.public,
    accountSignature,
  }).finish();
  const hmac = createHmac('sha256', qr.advSecret).update(signed).digest();
  const identity = proto.ADVSignedDeviceIdentityHMAC.encode({ details: signed, hmac }).finish();
  return {
    tag: 'iq',
    attrs: { id, type: 'set', from: 's.whatsapp.net', xmlns: 'md' },
    content: [
      {
        tag: 'pair-success',
        attrs: {},
        content: [
          { tag: 'device-identity', attrs: {}, content: identity },
          { tag: 'platform', attrs: { name: 'android' } },
          {
            tag: 'device',
            attrs: {
              jid: `${account.phone}:${device.deviceId}@s.whatsapp.net`,
              lid: `${account.lidUser}:${device.deviceId}@lid`,
            },
          },
        ],
      },
    ],
  };
}

/**
 * The phone links the companion on `conn` to the account of `phone`, once it knows the keys a
 * QR scan or a confirmed pairing code gave it: pair-success, then the companion's signature.
 * Resolves with the new device's JID.
 */
export async function linkDevice(core: EmulatorCore, conn: ClientConnection, phone: string, keys: ParsedQr): Promise<string> {
  if (!conn.registration) throw new Error('the companion has not registered');
  const account = core.account(phone);
  const device: CompanionDevice = {
    ...conn.registration,
    account,
    deviceId: account.nextDeviceId++,
    preKeys: new Map<number, Buffer>(),
    removed: false,
    pending: [],
  };
  const iqId = conn.newId();
  const signed = new Promise<void>((resolve) => {
    conn.pairing = { iqId, device, done: resolve };
  });
  conn.send(pairSuccessNode(iqId, device, keys));
  await signed;
  conn.linkCode = undefined;
  return `${account.phone}:${device.deviceId}@s.whatsapp.net`;
}
