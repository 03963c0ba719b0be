import type { Clock } from '../../core/clock.js';
import type { SecretBox } from '../../core/crypto.js';
import type { GroupCommit } from '../../store/group-commit.js';
import { WEBHOOK_DEFAULTS } from '../instances.service.js';
import { assertPublicUrl, parseHttpUrl } from '../../core/url-guard.js';
import type { DeliveryOutcome, DeliveryRecord } from '../../store/deliveries.js';
import type { InstanceRecord, Repositories, Store } from '../../store/store.js';
import { webhookBody } from './payload.js';
import type { SendResult, WebhookSender } from './sender.js';
import type { Logger } from '../../core/logger.js';

/** Whether an attempt may go out now; `retryAt` (epoch ms) is when to ask again. */
export type SendDecision = { allowed: true } | { allowed: false; retryAt: number };

export interface DeliveryHooks {
  /**
   * Called once per delivered event, in the transaction that records it as delivered (usage
   * counters), so the count commits with the outcome. If it fails, the outcome is recorded
   * without it: a lost count rather than a delivery sent again.
   */
  onDelivered?: (tx: Repositories, instance: InstanceRecord) => Promise<void> | void;
  /**
   * Asked before every attempt (usage limits). A refusal is not an attempt: nothing is sent,
   * `attempts` stays, and the delivery (with those queued behind it) waits until `retryAt`.
   */
  sendGuard?: (instance: InstanceRecord) => Promise<SendDecision> | SendDecision;
}

export interface WorkerOptions extends DeliveryHooks {
  store: Store;
  /** A delivery's outcome commits with the other writes of the moment (the event log's). */
  commits: GroupCommit;
  /** Closed by `stop()`: the worker is its only user. */
  sender: WebhookSender;
  box: SecretBox;
  clock: Clock;
  logger: Logger;
  /** Attempts in flight at once, over all instances. */
  concurrency: number;
  pollIntervalMs: number;
  /** How long a claim holds a delivery; past it, a crashed worker's claim can be taken again. */
  leaseMs: number;
  allowPrivateUrls: boolean;
}

const MAX_BACKOFF_MS = 24 * 60 * 60 * 1000;
/** Deliveries one slot sends for an instance in a row before it goes back to the shared claim. */
const MAX_RUN = 50;

/** retryInterval × 2^(attempt-1), ±20% so receivers coming back are not hit all at once. */
export function retryDelay(retryInterval: number, attempts: number, random = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, retryInterval * 2 ** Math.min(attempts - 1, 40));
  return Math.round(base * (0.8 + random() * 0.4));
}

/**
 * Sends the webhook outbox: each instance's flagged events past its cursor, and the deliveries
 * that have a row (retries, requeued ones). Everything it knows is in the store (cursor, due
 * times, attempts, last outcome, lease), so a restart picks up where it stopped. One attempt in
 * flight per instance (the lease is the instance's), in event order, and up to
 * `concurrency` instances at once, so a slow receiver holds up only its own instance.
 */
export class DeliveryWorker {
  private readonly inFlight = new Set<Promise<void>>();
  /** Instances with a run of this worker in flight. */
  private readonly sending = new Set<string>();
  private readonly stopping = new AbortController();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private wakeScheduled = false;
  private again = false;
  private running = false;

  constructor(private readonly options: WorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /**
   * Looks for due deliveries (a new event, a finished attempt, the poll). Wakes in the same turn
   * of the event loop share one claim: a claim per committed event was most of the SQLite time
   * of an inbound message, and one claim picks up the heads of many instances at once.
   */
  wake(instanceId?: string): void {
    // An instance this worker is sending for: its run finds the new event (it reads the next one
    // after each delivery), and wakes the claim when it ends, so a claim now would find nothing.
    if (instanceId !== undefined && this.sending.has(instanceId)) return;
    if (!this.running || this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.claimNow();
    });
  }

  private claimNow(): void {
    if (!this.running) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick().finally(() => {
      this.ticking = undefined;
    });
  }

  /** Stops claiming, interrupts attempts in flight (released uncounted) and waits for them. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    this.stopping.abort();
    await this.ticking;
    await Promise.allSettled([...this.inFlight]);
    await this.options.sender.close();
  }

  private async tick(): Promise<void> {
    const { store, clock, concurrency, leaseMs } = this.options;
    try {
      do {
        this.again = false;
        const free = concurrency - this.inFlight.size;
        if (free <= 0) return;
        const now = clock();
        const claimed = await store.deliveries.claimDue(now, now + leaseMs, free);
        for (const delivery of claimed) this.track(this.attempt(delivery));
        if (claimed.length === free) this.again = true;
      } while (this.again && this.running);
    } catch (error) {
      this.options.logger.error({ err: error }, 'webhook worker could not claim deliveries; retrying at the next poll');
    }
  }

  private track(attempt: Promise<void>): void {
    this.inFlight.add(attempt);
    void attempt.finally(() => {
      this.inFlight.delete(attempt);
      this.wake();
    });
  }

  /**
   * Sends `delivery`, then, while its instance has a backlog, the instance's next ones: each
   * is leased in the transaction that records the previous one as delivered, so an instance
   * catching up costs no claim per message. After `MAX_RUN` the slot goes back to the claim,
   * which serves instances oldest-due first.
   */
  private async attempt(delivery: DeliveryRecord): Promise<void> {
    this.sending.add(delivery.instanceId);
    try {
      let next: DeliveryRecord | undefined = delivery;
      for (let run = 1; next; run++) {
        const current: DeliveryRecord = next;
        try {
          next = await this.deliver(current, run < MAX_RUN);
        } catch (error) {
          // Left leased: once the lease runs out the delivery is claimed and tried again.
          this.options.logger.error({ err: error, deliveryId: current.id, instanceId: current.instanceId }, 'webhook delivery failed to record');
          return;
        }
      }
    } finally {
      this.sending.delete(delivery.instanceId);
    }
  }

  /** Attempts one delivery; returns the instance's next one when `goOn` and it was leased. */
  private async deliver(delivery: DeliveryRecord, goOn: boolean): Promise<DeliveryRecord | undefined> {
    const { store, clock, sendGuard } = this.options;
    const lease = delivery.lockedUntil as number;
    const settle = (outcome: DeliveryOutcome) => this.settle(delivery, lease, outcome);

    const instance = await store.instances.findById(delivery.instanceId);
    if (!instance) return undefined;
    if (!instance.webhookEnabled || !instance.webhookUrl) {
      const reason = instance.webhookEnabled ? 'webhook URL removed before delivery' : 'webhooks disabled before delivery';
      await settle({ status: 'skipped', lastError: reason });
      return undefined;
    }
    if (sendGuard) {
      const decision = await sendGuard(instance);
      if (!decision.allowed) {
        await settle({ nextAttemptAt: Math.max(decision.retryAt, clock() + this.options.pollIntervalMs) });
        return undefined;
      }
    }
    const event = delivery.event ?? (await store.events.findById(delivery.eventId));
    if (!event) {
      await settle({ status: 'skipped', lastError: 'event no longer stored' });
      return undefined;
    }
    const settings = (await store.webhookSettings.find(instance.id)) ?? { ...WEBHOOK_DEFAULTS, secretEnc: null, headers: {} };

    const at = clock();
    const result = await this.send(instance.webhookUrl, {
      url: instance.webhookUrl,
      eventId: event.id,
      body: webhookBody(event),
      secret: settings.secretEnc ? this.options.box.decrypt(settings.secretEnc) : null,
      customHeaders: settings.headers,
      at,
    });
    if (!result.ok && this.stopping.signal.aborted) {
      await settle({});
      return undefined;
    }

    const attempts = delivery.attempts + 1;
    const recorded = { attempts, lastAttemptAt: at, lastStatusCode: result.statusCode };
    if (result.ok) {
      return this.settleDelivered(delivery, lease, { ...recorded, status: 'delivered', lastError: null, deliveredAt: clock() }, instance, goOn && this.running);
    }
    const dead = attempts > settings.maxRetries;
    await settle({
      ...recorded,
      lastError: result.error,
      ...(dead ? { status: 'failed' } : { nextAttemptAt: at + retryDelay(settings.retryInterval, attempts) }),
    });
    return undefined;
  }

  /** The URL is checked again at send time: ALLOW_PRIVATE_URLS may have changed since it was set. */
  private async send(url: string, request: Parameters<WebhookSender['send']>[0]): Promise<SendResult> {
    try {
      assertPublicUrl(parseHttpUrl(url, 'webhookUrl'), 'webhookUrl', this.options.allowPrivateUrls);
    } catch (error) {
      return { ok: false, statusCode: null, error: (error as Error).message };
    }
    return this.options.sender.send(request, this.stopping.signal);
  }

  private async settle(delivery: DeliveryRecord, lease: number, outcome: DeliveryOutcome): Promise<boolean> {
    const held = await this.options.store.deliveries.settle(delivery, lease, outcome, this.options.clock());
    if (!held) this.leaseLost(delivery);
    return held;
  }

  private leaseLost(delivery: DeliveryRecord): void {
    this.options.logger.warn({ deliveryId: delivery.id, instanceId: delivery.instanceId }, 'webhook delivery lease expired before its outcome was recorded');
  }

  /**
   * Records a delivery as delivered with its usage count and, when `goOn`, keeps the instance's
   * lease for its next due delivery, found in the same transaction. If that transaction fails (the count, say), the
   * outcome is recorded alone, without going on: a lost count rather than a delivery sent again.
   */
  private async settleDelivered(delivery: DeliveryRecord, lease: number, outcome: DeliveryOutcome, instance: InstanceRecord, goOn: boolean): Promise<DeliveryRecord | undefined> {
    const { commits, clock, onDelivered, logger, leaseMs } = this.options;
    try {
      const { held, next } = await commits.run(instance.id, async (tx) => {
        const now = clock();
        const renewed = goOn ? now + leaseMs : undefined;
        if (!(await tx.deliveries.settle(delivery, lease, outcome, now, renewed))) return { held: false, next: undefined };
        await onDelivered?.(tx, instance);
        return { held: true, next: renewed === undefined ? undefined : await tx.deliveries.leaseNext(instance.id, now, renewed) };
      });
      if (!held) this.leaseLost(delivery);
      return next;
    } catch (error) {
      logger.error({ err: error, instanceId: instance.id }, 'recording the delivery with its usage count failed; recording the delivery alone');
    }
    await this.settle(delivery, lease, outcome);
    return undefined;
  }
}
