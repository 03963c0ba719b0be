import { randomBytes, randomInt } from 'node:crypto';
import { randomIdBytes } from '../../core/ids.js';

/**
 * Strings the simulator hands out, in the shapes WhatsApp uses, so clients that parse or render
 * them (QR scanners, id-based de-duplication) behave as they would against the real service.
 */

/** The long-lived keys a real client advertises in every QR code of one pairing attempt. */
export interface QrKeys {
  noisePublic: string;
  identityPublic: string;
  advSecret: string;
}

export function newQrKeys(): QrKeys {
  return {
    noisePublic: randomBytes(32).toString('base64'),
    identityPublic: randomBytes(32).toString('base64'),
    advSecret: randomBytes(32).toString('base64'),
  };
}

/** `2@<ref>,<noise public key>,<identity public key>,<adv secret>`: only the ref changes per refresh. */
export function qrString(keys: QrKeys): string {
  return `2@${randomBytes(48).toString('base64')},${keys.noisePublic},${keys.identityPublic},${keys.advSecret}`;
}

/** Ids of messages sent from a linked device look like `3EB0` + 16 upper-case hex digits. */
export function messageId(): string {
  return `3EB0${randomIdBytes(8).toString('hex').toUpperCase()}`;
}

/** WhatsApp's pairing-code alphabet leaves out 0, I, O and U, which are easy to misread. */
const PAIRING_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTVWXYZ';

export function pairingCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** International digits of a phone number or user JID; undefined when it is not one. */
export function phoneDigits(input: string): string | undefined {
  const user = input.trim().replace(/@(s\.whatsapp\.net|c\.us)$/, '').split(':')[0];
  const digits = user.replace(/^\+/, '').replace(/[\s().-]/g, '');
  return /^\d{7,15}$/.test(digits) ? digits : undefined;
}

/** Whether a phone number or JID is a (simulated) WhatsApp account. */
export function numberCheck(input: string): { input: string; jid: string; exists: boolean } {
  const digits = phoneDigits(input);
  return { input, jid: digits ? userJid(digits) : input, exists: isOnWhatsApp(digits) };
}

export function userJid(digits: string): string {
  return `${digits}@s.whatsapp.net`;
}

export function vcard(name: string, phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const escaped = name.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
  return ['BEGIN:VCARD', 'VERSION:3.0', `FN:${escaped}`, `TEL;type=CELL;waid=${digits}:+${digits}`, 'END:VCARD'].join('\n');
}

/**
 * Numbers ending in 0000 are "not on WhatsApp", so that path can be tested with numbers that
 * still pass phone-number validation (e.g. 79001230000).
 */
export function isOnWhatsApp(digits: string | undefined): digits is string {
  return !!digits && !/0000$/.test(digits);
}
