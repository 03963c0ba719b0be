import { timeOrderedId } from '../../core/ids.js';
import type { EventSink } from '../event-log.js';
import { WEBHOOK_DEFAULTS } from '../instances.service.js';
import type { EventRecord, InstanceRecord, Repositories, WebhookSettingsRecord } from '../../store/store.js';
import type { Clock } from '../../core/clock.js';
import { wantsEvent } from './filter.js';

type NotifyFlags = Pick<WebhookSettingsRecord, 'notifyReceived' | 'notifySent' | 'notifyDelivery' | 'notifyRead' | 'events'>;

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

  /**
   * The notify flags of each instance's webhook settings, so an event does not read them. They
   * change only through an instance update, which emits `webhook_updated` in the same
   * transaction: that event drops the entry (and so does its commit, see `committed`). A flag
   * cached here was read after the instance's event-time row lock (`nextEventTs`), so no update
   * of the settings can be in flight, uncommitted, when it is read.
   */
  private readonly flags = new Map<string, NotifyFlags>();

  constructor(
    private readonly clock: Clock,
    private readonly maxCached = 10_000,
  ) {}

  /** For the event log's listener, after commit. */
  committed(event: EventRecord): void {
    if (event.type === 'webhook_updated') this.flags.delete(event.instanceId);
  }

  /**
   * Whether `event` queued a delivery, so only those wake the worker: a claim per event was a
   * third of the SQLite time of a send without webhooks (bench/query-count.ts). Anything this
   * misses, the worker's poll still finds.
   */
  hasQueued(event: EventRecord): boolean {
    return this.queued.has(event);
  }

  async onEvent(tx: Repositories, event: EventRecord, instance: InstanceRecord): Promise<void> {
    const updating = event.type === 'webhook_updated';
    if (updating) this.flags.delete(instance.id);
    if (!instance.webhookEnabled || !instance.webhookUrl) return;
    if (!wantsEvent(instance, await this.notifyFlags(tx, instance.id, updating), event)) return;
    this.queued.add(event);
    const now = this.clock();
    await tx.deliveries.insert({
      id: timeOrderedId(),
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

  private async notifyFlags(tx: Repositories, instanceId: string, updating: boolean): Promise<NotifyFlags> {
    const cached = this.flags.get(instanceId);
    if (cached) return cached;
    const { notifyReceived, notifySent, notifyDelivery, notifyRead, events } = (await tx.webhookSettings.find(instanceId)) ?? WEBHOOK_DEFAULTS;
    const flags = { notifyReceived, notifySent, notifyDelivery, notifyRead, events };
    // Not cached from the updating transaction itself: it may still roll back.
    if (!updating) {
      if (this.flags.size >= this.maxCached) this.flags.delete(this.flags.keys().next().value as string);
      this.flags.set(instanceId, flags);
    }
    return flags;
  }
}
