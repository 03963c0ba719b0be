import { hkdfSync } from 'node:crypto';
import { aesDecryptGCM, aesEncryptGCM, Curve, NOISE_MODE, proto, sha256 } from 'baileys';
import type { CertificateAuthority, KeyPair } from './cert.js';

const WA_HEADER = Buffer.from([87, 65, 6, 3]);

function hkdf64(ikm: Uint8Array, salt: Buffer): [Buffer, Buffer] {
  const out = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.alloc(0), 64));
  return [out.subarray(0, 32), out.subarray(32)];
}

function iv(counter: number): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt32BE(counter, 8);
  return out;
}

/** Transport keys after the handshake: each direction counts its own frames. */
export class NoiseTransport {
  private readCounter = 0;
  private writeCounter = 0;

  constructor(
    private readonly encKey: Buffer,
    private readonly decKey: Buffer,
  ) {}

  encrypt(plain: Uint8Array): Buffer {
    return aesEncryptGCM(plain, this.encKey, iv(this.writeCounter++), Buffer.alloc(0));
  }

  decrypt(cipher: Uint8Array): Buffer {
    return aesDecryptGCM(cipher, this.decKey, iv(this.readCounter++), Buffer.alloc(0));
  }
}

/**
 * The responder half of WhatsApp's Noise_XX handshake, mirroring Baileys' initiator
 * (`Utils/noise-handler.js`): one counter shared by both directions and reset on every key mix.
 */
export class NoiseResponder {
  private hash: Buffer;
  private salt: Buffer;
  private key: Buffer;
  private counter = 0;
  private readonly ephemeral: KeyPair = Curve.generateKeyPair();
  private clientEphemeral?: Buffer;

  constructor(
    private readonly staticKey: KeyPair,
    private readonly ca: CertificateAuthority,
  ) {
    const mode = Buffer.from(NOISE_MODE);
    this.hash = mode.length === 32 ? mode : sha256(mode);
    this.salt = this.hash;
    this.key = this.hash;
    this.authenticate(WA_HEADER);
  }

  /** Answers the ClientHello with our ephemeral, encrypted static key and certificate chain. */
  serverHello(clientEphemeral: Buffer): Uint8Array {
    this.authenticate(clientEphemeral);
    this.authenticate(this.ephemeral.public);
    this.mix(Curve.sharedKey(this.ephemeral.private, clientEphemeral));
    const encStatic = this.encrypt(this.staticKey.public);
    this.mix(Curve.sharedKey(this.staticKey.private, clientEphemeral));
    const payload = this.encrypt(this.ca.chainFor(this.staticKey.public));
    this.clientEphemeral = clientEphemeral;
    return proto.HandshakeMessage.encode({
      serverHello: { ephemeral: this.ephemeral.public, static: encStatic, payload },
    }).finish();
  }

  /** Reads ClientFinish; returns the client's static (noise) key, its payload and the transport. */
  clientFinish(finish: proto.HandshakeMessage.IClientFinish): {
    clientStatic: Buffer;
    payload: proto.ClientPayload;
    transport: NoiseTransport;
  } {
    if (!finish.static || !finish.payload || !this.clientEphemeral) {
      throw new Error('incomplete ClientFinish');
    }
    const clientStatic = this.decrypt(finish.static);
    this.mix(Curve.sharedKey(this.ephemeral.private, clientStatic));
    const payload = proto.ClientPayload.decode(this.decrypt(finish.payload));
    const [clientWrite, serverWrite] = hkdf64(Buffer.alloc(0), this.salt);
    return { clientStatic, payload, transport: new NoiseTransport(serverWrite, clientWrite) };
  }

  private authenticate(data: Uint8Array): void {
    this.hash = sha256(Buffer.concat([this.hash, data]));
  }

  private mix(shared: Uint8Array): void {
    [this.salt, this.key] = hkdf64(shared, this.salt);
    this.counter = 0;
  }

  private encrypt(plain: Uint8Array): Buffer {
    const out = aesEncryptGCM(plain, this.key, iv(this.counter++), this.hash);
    this.authenticate(out);
    return out;
  }

  private decrypt(cipher: Uint8Array): Buffer {
    const out = aesDecryptGCM(cipher, this.key, iv(this.counter++), this.hash);
    this.authenticate(cipher);
    return out;
  }
}
