import type { EventSink } from '../event-log.js';
import { WEBHOOK_DEFAULTS } from '../instances.service.js';
import type { EventRecord, InstanceRecord, Repositories, WebhookSettingsRecord } from '../../store/store.js';
import { wantsEvent } from './filter.js';

type NotifyFlags = Pick<WebhookSettingsRecord, 'notifyReceived' | 'notifySent' | 'notifyDelivery' | 'notifyRead' | 'events'>;

/**
 * Decides, before an event is appended, whether the instance's webhook wants it: the answer is
 * a column of the event's own insert (the webhook outbox), so an event and its delivery commit
 * together and cost one write.
 */
export class DeliverySink implements EventSink {
  /**
   * The notify flags of each instance's webhook settings, so an event does not read them. They
   * change only through an instance update, which emits `webhook_updated` in the same
   * transaction: that event drops the entry (and so does its commit, see `committed`). A flag
   * cached here was read after the instance's event-time row lock (`nextEventTs`), so no update
   * of the settings can be in flight, uncommitted, when it is read.
   */
  private readonly flags = new Map<string, NotifyFlags>();

  constructor(private readonly maxCached = 10_000) {}

  /** For the event log's listener, after commit. */
  committed(event: EventRecord): void {
    if (event.type === 'webhook_updated') this.flags.delete(event.instanceId);
  }

  /**
   * Whether `event` went to the webhook outbox, so only those wake the worker: a claim per event
   * was a third of the SQLite time of a send without webhooks (bench/query-count.ts). Anything
   * this misses, the worker's poll still finds.
   */
  hasQueued(event: EventRecord): boolean {
    return event.webhook === true;
  }

  async wantsWebhook(tx: Repositories, event: Omit<EventRecord, 'seq'>, instance: InstanceRecord): Promise<boolean> {
    const updating = event.type === 'webhook_updated';
    if (updating) this.flags.delete(instance.id);
    if (!instance.webhookEnabled || !instance.webhookUrl) return false;
    return wantsEvent(instance, await this.notifyFlags(tx, instance.id, updating), event);
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
