import type { Logger } from '../core/logger.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../core/clock.js';
import { dayOf } from './usage-windows.js';

const DAY_MS = 86_400_000;

interface Pending {
  instanceId: string;
  userId: string;
  day: string;
  count: number;
}

/**
 * Counts API calls per instance in memory and writes them in one upsert per instance and day at
 * most every `flushMs` and at shutdown. A write per request would double the database work of
 * every call; the price is that a crash loses at most the last `flushMs` of API-call counts.
 * Counts not yet written are still visible through `unflushed`, so limits see them at once.
 */
export class ApiCallCounter {
  private pending = new Map<string, Pending>();
  /** Taken from `pending` by the running flush, still counted until written. */
  private writing: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** The UTC day of the last call, and when it started. */
  private day = { start: Number.NEGATIVE_INFINITY, name: '' };

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly flushMs = 1000,
  ) {}

  add(instanceId: string, userId: string): void {
    const day = this.today(this.clock());
    const key = `${instanceId}|${day}`;
    const entry = this.pending.get(key);
    if (entry) entry.count += 1;
    else this.pending.set(key, { instanceId, userId, day, count: 1 });
  }

  /** Every call asks for its day: formatting a date each time showed in the request profile. */
  private today(now: number): string {
    if (now < this.day.start || now >= this.day.start + DAY_MS) {
      this.day = { start: now - (now % DAY_MS), name: dayOf(now) };
    }
    return this.day.name;
  }

  /** Calls of `instanceId` from `fromDay` on that are counted but not written yet. */
  unflushed(instanceId: string, fromDay?: string): number {
    let total = 0;
    for (const entry of [...this.pending.values(), ...this.writing]) {
      if (entry.instanceId === instanceId && (fromDay === undefined || entry.day >= fromDay)) total += entry.count;
    }
    return total;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Writes what is pending; one flush at a time, so counts are never written twice. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    this.writing = [...this.pending.values()];
    this.pending = new Map();
    while (this.writing.length > 0) {
      const entry = this.writing[0];
      try {
        await this.store.usage.add(entry.instanceId, entry.userId, entry.day, { apiCalls: entry.count });
        this.writing.shift();
      } catch (error) {
        this.writing.shift();
        // Keep the count for the next flush rather than lose it to a passing database error.
        const key = `${entry.instanceId}|${entry.day}`;
        const current = this.pending.get(key);
        if (current) current.count += entry.count;
        else this.pending.set(key, entry);
        this.logger.warn({ err: error, instanceId: entry.instanceId }, 'could not write API call counts; will retry');
      }
    }
  }
}
