import { MESSAGE_STATUS_ORDER, type MessageStatus } from '../engines/engine.js';

/**
 * Whether `next` moves a message forward. Receipts arrive out of order and repeat (a "delivered"
 * after a "read" is common), so only a later stage applies; `failed` applies from any stage but
 * itself, and a later receipt may still supersede it. Stored statuses outside the engine's scale
 * (`received` on incoming messages) rank like `pending`.
 */
export function statusAdvances(current: string, next: MessageStatus): boolean {
  if (current === next) return false;
  if (next === 'failed') return true;
  const rank = MESSAGE_STATUS_ORDER[current as MessageStatus] ?? MESSAGE_STATUS_ORDER.pending;
  return MESSAGE_STATUS_ORDER[next] > rank;
}

/**
 * The stored statuses `next` does not move forward from, so a store can apply a receipt in one
 * conditional update; undefined when that list cannot say it (statuses outside the scale, such as
 * `received`, do not advance to `pending` either).
 */
export function statusesNotAdvancedBy(next: MessageStatus): string[] | undefined {
  if (!statusAdvances('', next)) return undefined;
  return (Object.keys(MESSAGE_STATUS_ORDER) as MessageStatus[]).filter((current) => !statusAdvances(current, next));
}

export interface HeldStatus {
  status: MessageStatus;
  error?: string;
}

interface Held {
  statuses: HeldStatus[];
  expiresAt: number;
}

/**
 * Receipts that arrived before their message was stored (WhatsApp can ack a send before the
 * send's own insert commits). Kept briefly and bounded: a receipt for a message we will never
 * store (history from another device) must not grow memory forever.
 */
export class EarlyStatuses {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly clock: () => number,
    private readonly ttlMs = 120_000,
    private readonly maxEntries = 10_000,
  ) {}

  hold(instanceId: string, messageId: string, status: HeldStatus): void {
    const now = this.clock();
    this.prune(now);
    const key = `${instanceId}\u0000${messageId}`;
    const entry = this.held.get(key) ?? { statuses: [], expiresAt: 0 };
    entry.statuses.push(status);
    entry.expiresAt = now + this.ttlMs;
    this.held.delete(key);
    this.held.set(key, entry);
    if (this.held.size > this.maxEntries) this.held.delete(this.held.keys().next().value as string);
  }

  /** The receipts held for this message, in arrival order; forgets them. */
  take(instanceId: string, messageId: string): HeldStatus[] {
    const key = `${instanceId}\u0000${messageId}`;
    const entry = this.held.get(key);
    if (!entry) return [];
    this.held.delete(key);
    return entry.expiresAt >= this.clock() ? entry.statuses : [];
  }

  get size(): number {
    return this.held.size;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.held) {
      // Entries are kept in expiry order, so the first live one ends the sweep.
      if (entry.expiresAt >= now) return;
      this.held.delete(key);
    }
  }
}

/** Runs work for one key at a time, in call order; keys are independent. */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
