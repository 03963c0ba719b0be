import { randomUUID } from 'node:crypto';
import type { EventSink } from '../services/event-log.js';
import { WEBHOOK_DEFAULTS } from '../services/instances.service.js';
import type { EventRecord, InstanceRecord, Repositories } from '../store/store.js';
import type { Clock } from '../services/clock.js';
import { wantsEvent } from './filter.js';

/**
 * Queues a delivery in the transaction that appends the event, so an event and its delivery
 * commit together: a crash can lose neither one without the other.
 */
export class DeliverySink implements EventSink {
  /**
   * Events that got a delivery. Weak, so the events of a rolled-back transaction leave nothing
   * behind; the event log hands its listeners the same record objects it handed the sinks.
   */
  private readonly queued = new WeakSet<EventRecord>();

  constructor(private readonly clock: Clock) {}

  /**
   * Whether `event` queued a delivery, so only those wake the worker: a claim per event was a
   * third of the SQLite time of a send without webhooks (bench/query-count.ts). Anything this
   * misses, the worker's poll still finds.
   */
  hasQueued(event: EventRecord): boolean {
    return this.queued.has(event);
  }

  async onEvent(tx: Repositories, event: EventRecord, instance: InstanceRecord): Promise<void> {
    if (!instance.webhookEnabled || !instance.webhookUrl) return;
    const settings = (await tx.webhookSettings.find(instance.id)) ?? WEBHOOK_DEFAULTS;
    if (!wantsEvent(instance, settings, event)) return;
    this.queued.add(event);
    const now = this.clock();
    await tx.deliveries.insert({
      id: randomUUID(),
      instanceId: instance.id,
      eventId: event.id,
      eventSeq: event.seq,
      eventType: event.type,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastAttemptAt: null,
      lastStatusCode: null,
      lastError: null,
      deliveredAt: null,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    });
  }
}
