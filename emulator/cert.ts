import { Curve, proto, type KeyPair } from 'baileys';

export type { KeyPair };

/**
 * The emulator's own certificate root. Baileys pins WhatsApp's root key; a process that talks
 * to the emulator replaces that pin with `publicKeyB64` (see `emulatorRootKey` in the engine).
 */
export class CertificateAuthority {
  readonly root: KeyPair = Curve.generateKeyPair();
  private readonly intermediate: KeyPair = Curve.generateKeyPair();

  get publicKeyB64(): string {
    return Buffer.from(this.root.public).toString('base64');
  }

  /** The chain Baileys verifies: root → intermediate (issuerSerial 0) → leaf for our static key. */
  chainFor(serverStatic: Uint8Array): Uint8Array {
    const now = Math.floor(Date.now() / 1000);
    const intermediateDetails = proto.CertChain.NoiseCertificate.Details.encode({
      serial: 1,
      issuerSerial: 0,
      key: this.intermediate.public,
      notBefore: now - 3600,
      notAfter: now + 86_400,
    }).finish();
    const leafDetails = proto.CertChain.NoiseCertificate.Details.encode({
      serial: 2,
      issuerSerial: 1,
      key: serverStatic,
      notBefore: now - 3600,
      notAfter: now + 86_400,
    }).finish();
    return proto.CertChain.encode({
      intermediate: {
        details: intermediateDetails,
        signature: Curve.sign(this.root.private, intermediateDetails),
      },
      leaf: { details: leafDetails, signature: Curve.sign(this.intermediate.private, leafDetails) },
    }).finish();
  }
}
