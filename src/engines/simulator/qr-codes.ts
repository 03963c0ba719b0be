import { newQrKeys, type QrKeys, qrString } from './wire-format.js';

/** WhatsApp hands out six QR refs per pairing attempt, then closes the connection. */
export const QR_CODES_PER_ATTEMPT = 6;

/**
 * The QR codes of one pairing attempt: the first at once, a fresh ref every `refreshMs`, and
 * `onExpired` when the six are used up without a scan.
 */
export class QrCodes {
  private keys?: QrKeys;
  private count = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly refreshMs: number,
    private readonly onQr: (qr: string) => void,
    private readonly onExpired: () => void,
  ) {}

  start(): void {
    this.keys = newQrKeys();
    this.count = 0;
    this.next();
    this.timer = setInterval(() => this.next(), this.refreshMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.keys = undefined;
  }

  private next(): void {
    if (!this.keys) return;
    if (this.count >= QR_CODES_PER_ATTEMPT) {
      this.onExpired();
      return;
    }
    this.count += 1;
    this.onQr(qrString(this.keys));
  }
}
