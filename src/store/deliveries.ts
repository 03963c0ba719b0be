/** Webhook deliveries: one row per event a webhook must receive (see src/webhooks). */

/**
 * `pending` waits for its (next) attempt; `delivered` got a 2xx; `failed` ran out of retries;
 * `skipped` was dropped because webhooks were turned off or the URL removed before it went out.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed', 'skipped'];

export interface DeliveryRecord {
  id: string;
  instanceId: string;
  eventId: string;
  /** The event's place in the log: deliveries of one instance go out in this order. */
  eventSeq: number;
  eventType: string;
  status: DeliveryStatus;
  /** Attempts actually sent (a refusal by the send guard is not one). */
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  /** While in the future, a worker holds this delivery: its attempt is in flight. */
  lockedUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface DeliveryQuery {
  instanceId: string;
  status?: DeliveryStatus;
  limit: number;
  skip: number;
}

/** What an attempt (or the decision not to make one) changed. */
export type DeliveryOutcome = Partial<
  Pick<DeliveryRecord, 'status' | 'attempts' | 'nextAttemptAt' | 'lastAttemptAt' | 'lastStatusCode' | 'lastError' | 'deliveredAt'>
>;

export interface DeliveriesRepository {
  insert(delivery: DeliveryRecord): Promise<void>;
  findById(id: string): Promise<DeliveryRecord | undefined>;
  findByEventId(eventId: string): Promise<DeliveryRecord | undefined>;
  /** Newest event first. */
  list(query: DeliveryQuery): Promise<{ items: DeliveryRecord[]; total: number }>;
  /**
   * Leases up to `limit` due deliveries, at most one per instance: the oldest pending delivery
   * of an instance (its head), when it is due and no delivery of that instance is leased. Later
   * deliveries of that instance wait behind their head, which keeps them in order. A row is returned only when
   * this call set its lease, so several workers may claim side by side.
   */
  claimDue(now: number, leaseUntil: number, limit: number): Promise<DeliveryRecord[]>;
  /**
   * `claimDue` for one instance: leases its head if the head is due and no delivery of the
   * instance is leased. Lets a worker that just settled an instance's delivery go on with the
   * next in the same transaction, without a claim over every instance.
   */
  leaseNext(instanceId: string, now: number, leaseUntil: number): Promise<DeliveryRecord | undefined>;
  /** Writes an outcome and releases the lease, if `lease` is still the one held; false if not. */
  settle(id: string, lease: number, outcome: DeliveryOutcome, now: number): Promise<boolean>;
  /** Puts a failed or skipped delivery back in the queue, due at `now`; undefined for any other. */
  requeue(id: string, now: number): Promise<DeliveryRecord | undefined>;
  /** Deliveries of every instance by status (metrics: `pending` is the queue depth). */
  countByStatus(): Promise<Record<DeliveryStatus, number>>;
}
