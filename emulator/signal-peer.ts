import { randomInt } from 'node:crypto';
import type { BinaryNode } from 'baileys';
import * as libsignal from 'libsignal';
import * as curve from 'libsignal/src/curve.js';

interface SignalKeyPair {
  pubKey: Buffer;
  privKey: Buffer;
}

/** What the server hands out for a device: the wire form, 32-byte keys without the 0x05 prefix. */
export interface PreKeyBundle {
  registrationId: number;
  identityKey: Buffer;
  signedPreKey: { keyId: number; publicKey: Buffer; signature: Buffer };
  preKey?: { keyId: number; publicKey: Buffer };
}

const withPrefix = (key: Buffer) => (key.length === 33 ? key : Buffer.concat([Buffer.from([5]), key]));
const withoutPrefix = (key: Buffer) => (key.length === 33 ? key.subarray(1) : key);

function keyPair(): SignalKeyPair {
  const pair = curve.generateKeyPair();
  return { pubKey: Buffer.from(pair.pubKey), privKey: Buffer.from(pair.privKey) };
}

function uint(value: number, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  out.writeUIntBE(value, 0, bytes);
  return out;
}

/**
 * A simulated WhatsApp user on another phone: a real libsignal identity, so the companion's
 * sessions with it are the same ones it would build with a real contact.
 */
export class SignalPeer {
  readonly identity = keyPair();
  readonly registrationId = randomInt(1, 16380);
  readonly signedPreKey: { keyId: number; pair: SignalKeyPair; signature: Buffer };
  private readonly preKeys = new Map<number, SignalKeyPair>();
  private readonly sessions = new Map<string, libsignal.SessionRecord>();
  private nextPreKeyId = 1;

  constructor(
    readonly phone: string,
    readonly lidUser: string,
    /** Push name; the control API may change it. */
    public name: string,
  ) {
    const pair = keyPair();
    this.signedPreKey = {
      keyId: 1,
      pair,
      signature: Buffer.from(curve.calculateSignature(this.identity.privKey, pair.pubKey)),
    };
  }

  get pnJid(): string {
    return `${this.phone}@s.whatsapp.net`;
  }

  get lidJid(): string {
    return `${this.lidUser}@lid`;
  }

  /** One `<user>` of an `encrypt get` answer, with a fresh one-time pre-key. */
  bundleNode(jid: string): BinaryNode {
    const id = this.nextPreKeyId++;
    const preKey = keyPair();
    this.preKeys.set(id, preKey);
    return {
      tag: 'user',
      attrs: { jid },
      content: [
        { tag: 'registration', attrs: {}, content: uint(this.registrationId, 4) },
        { tag: 'type', attrs: {}, content: Buffer.from([5]) },
        { tag: 'identity', attrs: {}, content: withoutPrefix(this.identity.pubKey) },
        {
          tag: 'skey',
          attrs: {},
          content: [
            { tag: 'id', attrs: {}, content: uint(this.signedPreKey.keyId, 3) },
            { tag: 'value', attrs: {}, content: withoutPrefix(this.signedPreKey.pair.pubKey) },
            { tag: 'signature', attrs: {}, content: this.signedPreKey.signature },
          ],
        },
        {
          tag: 'key',
          attrs: {},
          content: [
            { tag: 'id', attrs: {}, content: uint(id, 3) },
            { tag: 'value', attrs: {}, content: withoutPrefix(preKey.pubKey) },
          ],
        },
      ],
    };
  }

  /** Decrypts what a companion device sent us and strips WhatsApp's random padding. */
  async decrypt(from: string, type: string, ciphertext: Uint8Array): Promise<Buffer> {
    const cipher = new libsignal.SessionCipher(this.storage, this.address(from));
    const padded =
      type === 'pkmsg'
        ? await cipher.decryptPreKeyWhisperMessage(ciphertext)
        : await cipher.decryptWhisperMessage(ciphertext);
    return padded.subarray(0, padded.length - (padded[padded.length - 1] ?? 0));
  }

  hasSession(to: string): boolean {
    return this.sessions.get(this.address(to).toString())?.haveOpenSession() ?? false;
  }

  /** Encrypts for a companion device; `bundle` is needed the first time only. */
  async encrypt(to: string, plaintext: Buffer, bundle?: PreKeyBundle): Promise<{ type: string; ciphertext: Buffer }> {
    const address = this.address(to);
    if (!this.hasSession(to)) {
      if (!bundle) throw new Error(`no session with ${to} and no bundle to start one`);
      await new libsignal.SessionBuilder(this.storage, address).initOutgoing({
        registrationId: bundle.registrationId,
        identityKey: withPrefix(bundle.identityKey),
        signedPreKey: {
          keyId: bundle.signedPreKey.keyId,
          publicKey: withPrefix(bundle.signedPreKey.publicKey),
          signature: bundle.signedPreKey.signature,
        },
        preKey: bundle.preKey && { keyId: bundle.preKey.keyId, publicKey: withPrefix(bundle.preKey.publicKey) },
      } as Parameters<libsignal.SessionBuilder['initOutgoing']>[0]);
    }
    const { type, body } = await new libsignal.SessionCipher(this.storage, address).encrypt(plaintext);
    return { type: type === 3 ? 'pkmsg' : 'msg', ciphertext: Buffer.from(body, 'binary') };
  }

  private address(device: string): libsignal.ProtocolAddress {
    const [name, id] = device.split('.');
    return new libsignal.ProtocolAddress(name ?? device, Number(id ?? 0));
  }

  private readonly storage: libsignal.SignalStorage = {
    loadSession: async (id) => this.sessions.get(id),
    storeSession: async (id, session) => void this.sessions.set(id, session),
    isTrustedIdentity: () => true,
    loadPreKey: async (id) => this.preKeys.get(Number(id)),
    removePreKey: (id) => void this.preKeys.delete(Number(id)),
    loadSignedPreKey: () => this.signedPreKey.pair,
    getOurRegistrationId: () => this.registrationId,
    getOurIdentity: () => this.identity,
  };
}
