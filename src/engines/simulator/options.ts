export interface SimulatorOptions {
  /** Time between QR codes while nobody scans. */
  qrRefreshMs: number;
  /** Links a waiting session on its own after this long; 0 waits for an explicit scan. */
  autoLinkMs: number;
  /** Delays after a send until the server ack, the delivery receipt and the read receipt. */
  ackDelayMs: number;
  deliveryDelayMs: number;
  readDelayMs: number;
}

/** A control call that does not fit the session's state (scan when already linked, ...). */
export class SimulatorStateError extends Error {}
