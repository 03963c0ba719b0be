import type { SocketConfig } from 'baileys';

/** Baileys' logger contract; a pino logger satisfies it. */
export type BaileysLogger = SocketConfig['logger'];

export interface BaileysEngineOptions {
  /** Parent logger; each session logs through a child tagged with its instance id. */
  logger: BaileysLogger;
  /** Name the phone shows for the linked device. */
  browserName: string;
  /** WhatsApp's WebSocket endpoint; tests point it at the local emulator. */
  websocketUrl?: string;
  /**
   * Base64 Curve25519 public key that replaces WhatsApp's pinned certificate root. It is
   * process-global in Baileys, so it is applied only when given; only the emulator needs it.
   */
  emulatorRootKey?: string;
  /**
   * Extra PEM certificate(s) trusted, beside the public roots, for media uploads and downloads
   * only; the emulator's self-signed media host needs it. The rest of the process is unaffected.
   */
  mediaCa?: string;
  /** Handshake and frame-write timeout (Baileys default 20 s). */
  connectTimeoutMs?: number;
  /** Query timeout (Baileys default 60 s). */
  queryTimeoutMs?: number;
  /**
   * How long the delivery receipt of a received message waits for the services to store it
   * (receipt-gate.ts) before it goes out anyway, so a stuck store cannot stall the socket.
   */
  receiptHoldMs?: number;
  /** Lifetime of each QR code (Baileys: 60 s for the first, 20 s after). */
  qrTimeoutMs?: number;
}
