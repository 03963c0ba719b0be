import type { Clock } from '../../core/clock.js';
import { SerialQueue } from '../../core/serial-queue.js';
import type { UsageCounter } from '../../store/usage.js';

/**
 * How long a send holds its place under a limit when its `message_sent` never comes (the engine
 * failed it). Long enough for a large upload, short enough that a failure costs little.
 */
export const RESERVATION_TTL_MS = 60_000;

/**
 * How long `allBack` waits for the places in flight to be given back. A send normally finishes
 * in milliseconds; a slow media upload may not.
 */
export const PLACES_WAIT_MS = 10_000;

/**
 * The places held under a limit by admitted work not yet counted (a send between its check and
 * its stored event), per instance and counter, in this process. Admissions of one instance run
 * one at a time (`admit`), so a check and the reservation it leads to never interleave with
 * another's: ten concurrent sends under a limit of three let exactly three through on one node.
 */
export class Reservations {
  /** instanceId → the queue its admissions wait in, and how many are in it. */
  private readonly queues = new Map<string, { queue: SerialQueue; size: number }>();
  /** instanceId → counter → expiry times of the places held, oldest first. */
  private readonly places = new Map<string, Map<UsageCounter, number[]>>();
  /** `instanceId|counter` → `allBack` calls waiting for that counter's places. */
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(
    private readonly clock: Clock,
    private readonly placesWaitMs = PLACES_WAIT_MS,
  ) {}

  /** Runs `work` after the instance's earlier admissions have settled, whether they failed or not. */
  admit<T>(instanceId: string, work: () => Promise<T>): Promise<T> {
    let entry = this.queues.get(instanceId);
    if (!entry) this.queues.set(instanceId, (entry = { queue: new SerialQueue(), size: 0 }));
    const queued = entry;
    queued.size += 1;
    const run = queued.queue.push(work);
    // Idle instances cost no memory; a later admission starts a fresh queue.
    const leave = () => {
      queued.size -= 1;
      if (queued.size === 0 && this.queues.get(instanceId) === queued) this.queues.delete(instanceId);
    };
    run.then(leave, leave);
    return run;
  }

  /** Holds one place of the counter until released or RESERVATION_TTL_MS from now. */
  reserve(instanceId: string, counter: UsageCounter): void {
    let byCounter = this.places.get(instanceId);
    if (!byCounter) this.places.set(instanceId, (byCounter = new Map()));
    const held = byCounter.get(counter) ?? [];
    held.push(this.clock() + RESERVATION_TTL_MS);
    byCounter.set(counter, held);
  }

  /** The places of the counter held now; expired ones are dropped. */
  held(instanceId: string, counter: UsageCounter): number {
    const byCounter = this.places.get(instanceId);
    const held = byCounter?.get(counter);
    if (!byCounter || !held) return 0;
    const now = this.clock();
    while (held.length > 0 && held[0] <= now) held.shift();
    if (held.length === 0) this.forget(instanceId, byCounter, counter);
    return held.length;
  }

  /** Gives back the oldest place of the counter; nothing when none is held. */
  release(instanceId: string, counter: UsageCounter): void {
    const byCounter = this.places.get(instanceId);
    const held = byCounter?.get(counter);
    if (!byCounter || !held) return;
    held.shift();
    if (held.length === 0) this.forget(instanceId, byCounter, counter);
  }

  /** Resolves when every place of the counter has been given back (or has expired), or after `placesWaitMs`. */
  allBack(instanceId: string, counter: UsageCounter): Promise<void> {
    const key = `${instanceId}|${counter}`;
    const waiting = this.waiting.get(key) ?? new Set<() => void>();
    this.waiting.set(key, waiting);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiting.delete(done);
        if (waiting.size === 0 && this.waiting.get(key) === waiting) this.waiting.delete(key);
        resolve();
      };
      const timer = setTimeout(done, this.placesWaitMs);
      waiting.add(done);
    });
  }

  /** Drops empty entries so idle instances cost no memory, and wakes whoever waits for them. */
  private forget(instanceId: string, byCounter: Map<UsageCounter, number[]>, counter: UsageCounter): void {
    byCounter.delete(counter);
    if (byCounter.size === 0) this.places.delete(instanceId);
    const key = `${instanceId}|${counter}`;
    const waiting = this.waiting.get(key);
    this.waiting.delete(key);
    for (const done of waiting ?? []) done();
  }
}
