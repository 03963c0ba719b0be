/**
 * Webhook deliveries. The event log is the outbox: an event the webhook wants is flagged when it
 * is appended, and a cursor per instance marks the last one delivered or given up on. A delivery
 * is stored as a row only when it needs one (a retry pending, failed, skipped, requeued, or
 * delivered after a failure); the others are derived from the flagged events and the cursor.
 */

/**
 * `pending` waits for its (next) attempt; `delivered` got a 2xx; `failed` ran out of retries;
 * `skipped` was dropped because webhooks were turned off or the URL removed before it went out.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed', 'skipped'];

/** The event a delivery sends (the event log's record, which store.ts defines). */
export interface DeliveryEvent {
  seq: number;
  id: string;
  instanceId: string;
  type: string;
  data: Record<string, unknown>;
  ts: number;
}

export interface DeliveryRecord {
  id: string;
  instanceId: string;
  eventId: string;
  /** The event's place in the log: deliveries of one instance go out in this order. */
  eventSeq: number;
  /** The event's time: the instance's cursor moves to it once the delivery is settled for good. */
  eventTs: number;
  eventType: string;
  status: DeliveryStatus;
  /** Attempts actually sent (a refusal by the send guard is not one). */
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  /** The lease on the instance's cursor under which a worker holds this delivery (claimed ones only). */
  lockedUntil: number | null;
  /** Whether the delivery has its own row; false: derived from its flagged event and the cursor. */
  stored: boolean;
  /** The event, when the store read it with the delivery (a claimed one): the worker need not read it again. */
  event?: DeliveryEvent;
  createdAt: number;
  updatedAt: number;
}

/**
 * A delivery with a row waits for its next attempt; one without is due as soon as its event is
 * stored, even when the event's time runs a little ahead of the clock (event times are kept
 * strictly increasing per instance, so a burst can reserve times past now).
 */
export function isDue(delivery: Pick<DeliveryRecord, 'stored' | 'nextAttemptAt'>, now: number): boolean {
  return !delivery.stored || delivery.nextAttemptAt <= now;
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
  /** By the delivery's id; a delivery without a row of its own has its event's id. */
  findById(id: string): Promise<DeliveryRecord | undefined>;
  findByEventId(eventId: string): Promise<DeliveryRecord | undefined>;
  /** Newest event first. */
  list(query: DeliveryQuery): Promise<{ items: DeliveryRecord[]; total: number }>;
  /**
   * Leases up to `limit` instances whose next delivery is due, and returns those deliveries.
   * An instance's next delivery is its oldest pending row (a requeued or retrying one) or else
   * its first flagged event past the cursor; while a retry waits, the instance waits with it,
   * which keeps its deliveries in order. The lease is on the instance's cursor, so one attempt
   * is in flight per instance, and several workers may claim side by side.
   */
  claimDue(now: number, leaseUntil: number, limit: number): Promise<DeliveryRecord[]>;
  /**
   * For a worker holding the instance's lease `lease` (renewed by `settle`): the instance's
   * next due delivery under it, or undefined with the lease released.
   */
  leaseNext(instanceId: string, now: number, lease: number): Promise<DeliveryRecord | undefined>;
  /**
   * Writes an outcome, if the instance's lease is still `lease`; false if not. A final outcome
   * (delivered, failed, skipped) moves the cursor past the event. The lease is released, or
   * renewed until `keepUntil` when given, for `leaseNext`.
   */
  settle(delivery: DeliveryRecord, lease: number, outcome: DeliveryOutcome, now: number, keepUntil?: number): Promise<boolean>;
  /** Puts a failed or skipped delivery back in the queue, due at `now`; undefined for any other. */
  requeue(id: string, now: number): Promise<DeliveryRecord | undefined>;
  /** Deliveries of every instance by status (metrics: `pending` is the queue depth). */
  countByStatus(): Promise<Record<DeliveryStatus, number>>;
}
