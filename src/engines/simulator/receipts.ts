import type { MessageStatus } from '../engine.js';
import type { SimulatorOptions } from './options.js';

/**
 * The receipts of a session's sends: timers only while a send is under way, all cleared by
 * `clear()` so nothing fires for a session that stopped.
 */
export class ReceiptTimers {
  private timers?: Set<NodeJS.Timeout>;

  constructor(private readonly options: SimulatorOptions) {}

  /**
   * sent (the server's ack, when `deliver` hands the message to the peer), then delivered and
   * read, unless the number is not on WhatsApp.
   */
  schedule(exists: boolean, deliver: () => void, emit: (status: MessageStatus) => void): void {
    const ack = this.options.ackDelayMs;
    const delivered = Math.max(ack, this.options.deliveryDelayMs);
    const read = Math.max(delivered, this.options.readDelayMs);
    const steps: Array<[number, MessageStatus]> = exists ? [[ack, 'sent'], [delivered, 'delivered'], [read, 'read']] : [[ack, 'sent']];
    const timers = (this.timers ??= new Set());
    let elapsed = 0;
    const next = (index: number) => {
      const [at, status] = steps[index];
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (status === 'sent' && exists) deliver();
        emit(status);
        if (index + 1 < steps.length) next(index + 1);
      }, at - elapsed);
      elapsed = at;
      timer.unref();
      timers.add(timer);
    };
    next(0);
  }

  clear(): void {
    for (const timer of this.timers ?? []) clearTimeout(timer);
    this.timers = undefined;
  }
}
