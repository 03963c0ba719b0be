import { ConflictError, NotFoundError } from '../core/errors.js';
import type { DeliveryRecord, DeliveryStatus } from '../store/deliveries.js';
import type { Store, UserRecord } from '../store/store.js';
import type { Clock } from '../core/clock.js';
import type { EventLog } from './event-log.js';
import type { InstancesService } from './instances.service.js';

export interface DeliveryListQuery {
  status?: DeliveryStatus;
  limit: number;
  skip: number;
}

/** What users can see and do with their instance's webhook deliveries. */
export class WebhooksService {
  constructor(
    private readonly store: Store,
    private readonly events: EventLog,
    private readonly instances: InstancesService,
    private readonly clock: Clock,
    /** Tells the worker a delivery is due now, rather than at its next poll. */
    private readonly wake: () => void,
  ) {}

  async deliveries(user: UserRecord, instanceId: string, query: DeliveryListQuery): Promise<{ items: DeliveryRecord[]; total: number }> {
    const instance = await this.instances.getOwned(user, instanceId);
    return this.store.deliveries.list({ instanceId: instance.id, ...query });
  }

  /**
   * Sends a failed or skipped delivery again, from its first attempt. It keeps its place in the
   * event order, so it goes out before anything still pending for the instance.
   */
  async retry(user: UserRecord, instanceId: string, deliveryId: string): Promise<DeliveryRecord> {
    const instance = await this.instances.getOwned(user, instanceId);
    const delivery = await this.store.deliveries.findById(deliveryId);
    if (!delivery || delivery.instanceId !== instance.id) throw new NotFoundError(`Delivery ${deliveryId} not found`);
    const requeued = await this.store.deliveries.requeue(delivery.id, this.clock());
    if (!requeued) {
      throw new ConflictError(`Delivery ${deliveryId} is ${delivery.status}; only failed or skipped deliveries can be retried`);
    }
    this.wake();
    return requeued;
  }

  /** Appends a `webhook_test` event, delivered like any other; answers with its delivery. */
  async test(user: UserRecord, instanceId: string): Promise<DeliveryRecord> {
    const instance = await this.instances.getOwned(user, instanceId);
    if (!instance.webhookEnabled || !instance.webhookUrl) throw webhooksOff(instance.id);
    const event = await this.events.append(instance.id, 'webhook_test', {
      message: 'Test event: your webhook receives this instance’s events',
      timestamp: new Date(this.clock()).toISOString(),
    });
    const delivery = await this.store.deliveries.findByEventId(event.id);
    // Webhooks were turned off between the check and the append.
    if (!delivery) throw webhooksOff(instance.id);
    return delivery;
  }
}

function webhooksOff(instanceId: string): ConflictError {
  return new ConflictError(`Webhooks are not enabled for instance ${instanceId}: set webhookUrl and webhookEnabled first`, [
    { field: 'webhookEnabled', message: 'must be true, with a webhookUrl' },
  ]);
}
