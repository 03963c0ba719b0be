import { randomBytes } from 'node:crypto';
import {
  aesDecryptCTR,
  aesDecryptGCM,
  aesEncryptCTR,
  Curve,
  derivePairingCodeKey,
  getBinaryNodeChild,
  getBinaryNodeChildBuffer,
  hkdf,
  jidDecode,
  type BinaryNode,
} from 'baileys';
import { now, SERVER } from './nodes.js';

const BUNDLE_KEY_INFO = 'link_code_pairing_key_bundle_encryption_key';

/** A companion's `companion_hello`: it asked to link `phone` and shows the code to its user. */
export interface LinkCodeRequest {
  phone: string;
  ref: Buffer;
  wrappedEphemeral: Buffer;
  /** Set once the phone confirmed the code; the companion's `companion_finish` settles it. */
  finish?: (bundle: Buffer, companionIdentity: Buffer) => void;
}

/** What the phone learns from a finished code exchange: all that a QR scan would have shown. */
export interface CodeLink {
  identityKey: Buffer;
  advSecret: Buffer;
}

export function companionHello(stage: BinaryNode): LinkCodeRequest {
  const wrapped = getBinaryNodeChildBuffer(stage, 'link_code_pairing_wrapped_companion_ephemeral_pub');
  if (!wrapped) throw new Error('companion_hello without a wrapped ephemeral key');
  return { phone: jidDecode(stage.attrs.jid)?.user ?? '', ref: randomBytes(20), wrappedEphemeral: Buffer.from(wrapped) };
}

/** The companion's `companion_finish`: its identity, wrapped with the keys both sides agreed on. */
export function companionFinish(request: LinkCodeRequest | undefined, stage: BinaryNode): void {
  const bundle = getBinaryNodeChildBuffer(stage, 'link_code_pairing_wrapped_key_bundle');
  const identity = getBinaryNodeChildBuffer(stage, 'companion_identity_public');
  if (!request?.finish || !bundle || !identity) throw new Error('companion_finish without a confirmed code');
  request.finish(Buffer.from(bundle), Buffer.from(identity));
}

async function unwrap(code: string, wrapped: Buffer): Promise<Buffer> {
  const key = await derivePairingCodeKey(code, wrapped.subarray(0, 32));
  return aesDecryptCTR(wrapped.subarray(48, 80), key, wrapped.subarray(32, 48));
}

async function wrap(code: string, publicKey: Uint8Array): Promise<Buffer> {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  return Buffer.concat([salt, iv, aesEncryptCTR(publicKey, await derivePairingCodeKey(code, salt), iv)]);
}

/**
 * The user types `code` on the phone: the phone unwraps the companion's ephemeral key with it and
 * answers with its own (notification `link_code_companion_reg`). Resolves once the companion
 * finished, with the identity key and ADV secret that the pair-success is then signed with. A
 * wrong code leaves the two sides with different keys, and the companion's bundle fails to open.
 */
export async function confirmCode(
  request: LinkCodeRequest,
  code: string,
  send: (node: BinaryNode) => void,
): Promise<CodeLink> {
  const plain = code.replace(/-/g, '').toUpperCase();
  const companionEphemeral = await unwrap(plain, request.wrappedEphemeral);
  const primaryEphemeral = Curve.generateKeyPair();
  const primaryIdentity = Curve.generateKeyPair();
  const finished = new Promise<CodeLink>((resolve, reject) => {
    request.finish = (bundle, companionIdentity) => {
      try {
        const shared = Curve.sharedKey(primaryEphemeral.private, companionEphemeral);
        const key = hkdf(shared, 32, { salt: bundle.subarray(0, 32), info: BUNDLE_KEY_INFO });
        const payload = aesDecryptGCM(bundle.subarray(44), key, bundle.subarray(32, 44), Buffer.alloc(0));
        const random = payload.subarray(64, 96);
        const identityShared = Curve.sharedKey(primaryIdentity.private, companionIdentity);
        const advSecret = Buffer.from(hkdf(Buffer.concat([shared, identityShared, random]), 32, { info: 'adv_secret' }));
        resolve({ identityKey: companionIdentity, advSecret });
      } catch (err) {
        reject(new Error(`the companion's key bundle did not open: wrong pairing code? (${String(err)})`));
      }
    };
  });
  send({
    tag: 'notification',
    attrs: { from: SERVER, type: 'link_code_companion_reg', id: randomBytes(8).toString('hex'), t: now() },
    content: [
      {
        tag: 'link_code_companion_reg',
        attrs: {},
        content: [
          { tag: 'link_code_pairing_ref', attrs: {}, content: request.ref },
          { tag: 'primary_identity_pub', attrs: {}, content: Buffer.from(primaryIdentity.public) },
          { tag: 'link_code_pairing_wrapped_primary_ephemeral_pub', attrs: {}, content: await wrap(plain, primaryEphemeral.public) },
        ],
      },
    ],
  });
  return finished;
}

export function linkCodeStage(node: BinaryNode): BinaryNode | undefined {
  return getBinaryNodeChild(node, 'link_code_companion_reg');
}
