import { randomBytes } from 'node:crypto';
import { proto, type BinaryNode } from 'baileys';
import type { WebSocket } from 'ws';
import type { CertificateAuthority, KeyPair } from './cert.js';
import { decodeNodeFrame, encodeNodeFrame, frame, FrameReader } from './frames.js';
import { NoiseResponder, type NoiseTransport } from './noise.js';
import type { LinkCodeRequest } from './pairing-code.js';
import type { CompanionDevice, Registration } from './state.js';

export interface ConnectionHooks {
  /** A login (username/device) or a registration (new companion) finished the handshake. */
  onHello(conn: ClientConnection, payload: proto.ClientPayload, clientStatic: Buffer): void;
  onNode(conn: ClientConnection, node: BinaryNode): Promise<void>;
  onClose(conn: ClientConnection): void;
  log(msg: string, extra?: object): void;
}

/** One WebSocket from a companion: the Noise handshake, then encrypted binary nodes. */
export class ClientConnection {
  device?: CompanionDevice;
  registration?: Registration;
  /** Set while a scanned QR waits for the companion's pair-device-sign answer. */
  pairing?: { iqId: string; device: CompanionDevice; done: () => void };
  /** Set while the companion shows a pairing code for the phone to confirm. */
  linkCode?: LinkCodeRequest;
  private readonly reader = new FrameReader();
  private readonly noise: NoiseResponder;
  private transport?: NoiseTransport;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: WebSocket,
    serverStatic: KeyPair,
    ca: CertificateAuthority,
    private readonly hooks: ConnectionHooks,
  ) {
    this.noise = new NoiseResponder(serverStatic, ca);
    ws.on('message', (data: Buffer) => {
      for (const f of this.reader.push(data)) {
        // Frames are handled strictly in order, as the client sent them.
        this.queue = this.queue.then(() => this.onFrame(f)).catch((err: unknown) => {
          hooks.log('frame handling failed', { err: String(err) });
          this.terminate();
        });
      }
    });
    ws.on('close', () => {
      this.closed = true;
      hooks.onClose(this);
    });
    ws.on('error', () => this.terminate());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(node: BinaryNode): void {
    if (this.closed || !this.transport) return;
    this.ws.send(encodeNodeFrame(node, this.transport));
  }

  /** Sends `<stream:error>` (a code, or a reason child such as conflict) and hangs up. */
  streamError(code?: number, reason?: BinaryNode): void {
    this.send({
      tag: 'stream:error',
      attrs: code ? { code: String(code) } : {},
      content: reason ? [reason] : undefined,
    });
    this.closeSoon();
  }

  /** Closing right after a write could drop the write; give the socket a tick to flush. */
  closeSoon(): void {
    setTimeout(() => this.ws.close(), 20);
  }

  /** A network failure, not a protocol close: the socket just dies. */
  terminate(): void {
    this.closed = true;
    this.ws.terminate();
  }

  newId(): string {
    return randomBytes(6).toString('hex');
  }

  private async onFrame(data: Buffer): Promise<void> {
    if (this.transport) {
      await this.hooks.onNode(this, await decodeNodeFrame(data, this.transport));
      return;
    }
    const handshake = proto.HandshakeMessage.decode(data);
    if (handshake.clientHello?.ephemeral) {
      this.ws.send(frame(this.noise.serverHello(Buffer.from(handshake.clientHello.ephemeral))));
      return;
    }
    if (handshake.clientFinish) {
      const { clientStatic, payload, transport } = this.noise.clientFinish(handshake.clientFinish);
      this.transport = transport;
      this.hooks.onHello(this, payload, clientStatic);
      return;
    }
    throw new Error('unexpected handshake message');
  }
}
