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
  constructor(private readonly clock: Clock) {}

  async onEvent(tx: Repositories, event: EventRecord, instance: InstanceRecord): Promise<void> {
    if (!instance.webhookEnabled || !instance.webhookUrl) return;
    const settings = (await tx.webhookSettings.find(instance.id)) ?? WEBHOOK_DEFAULTS;
    if (!wantsEvent(instance, settings, event)) return;
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
