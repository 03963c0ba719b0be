import { randomUUID } from 'node:crypto';
import type { EventRecord, InstanceRecord, Repositories, Settled, Store } from '../store/store.js';
import type { Clock } from './clock.js';

export type EventType =
  | 'message_received'
  | 'message_sent'
  | 'message_status'
  | 'connected'
  | 'disconnected'
  | 'qr_received'
  | 'limit_exceeded'
  | 'webhook_updated'
  | 'webhook_test'
  | 'contacts_updated';

/** Work done inside the transaction that appends an event (webhook deliveries, counters). */
export interface EventSink {
  onEvent(tx: Repositories, event: EventRecord, instance: InstanceRecord): Promise<void>;
}

/** Told after the transaction committed (wakes the webhook worker, feeds live streams). */
export type EventListener = (event: EventRecord) => void;

/** An event's data, or a function of the event's own time for data that must quote it. */
export type EventData = Record<string, unknown> | ((at: Date) => Record<string, unknown>);

export type Emit = (type: EventType, data: EventData) => Promise<EventRecord>;

interface Job {
  instanceId: string;
  work: (tx: Repositories, emit: Emit) => Promise<unknown>;
  appended: EventRecord[];
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Works committed together at most; a bound on how long one group holds the database. */
const MAX_GROUP = 256;

/**
 * The per-instance event log. Every event is appended in the same transaction as the rows it
 * concerns, with a timestamp strictly greater than the instance's previous one, so a client that
 * polls `since = latestTimestamp` never misses or repeats an event.
 *
 * Records are group-committed: those that arrive while a group is committing share the next
 * transaction, each in its own savepoint, so one that fails undoes only itself. A commit was the
 * largest single cost of a message on SQLite, and a send is four records (the send and three
 * receipts). SQLite has one writer, so one group runs at a time there; PostgreSQL keeps a few in
 * flight on its pool.
 */
export class EventLog {
  private readonly sinks: EventSink[] = [];
  private readonly listeners = new Set<EventListener>();
  private queue: Job[] = [];
  private groupsInFlight = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  addSink(sink: EventSink): void {
    this.sinks.push(sink);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `work` and the events it emits in one transaction; listeners hear after commit. `work`
   * must use only `tx` (its transaction may hold the database's one writer) and must not wait
   * for another `record`, which could be queued behind its own group.
   */
  record<T>(instanceId: string, work: (tx: Repositories, emit: Emit) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ instanceId, work, appended: [], resolve: resolve as (value: unknown) => void, reject });
      this.flush();
    });
  }

  append(instanceId: string, type: EventType, data: EventData): Promise<EventRecord> {
    return this.record(instanceId, (_tx, emit) => emit(type, data));
  }

  /**
   * Starts a group at once when one may run, so a lone record waits for nothing; records that
   * arrive while the groups in flight commit wait for one to finish and go together.
   */
  private flush(): void {
    while (this.queue.length > 0 && this.groupsInFlight < this.maxGroupsInFlight()) {
      this.groupsInFlight += 1;
      void this.commit(this.queue.splice(0, MAX_GROUP)).finally(() => {
        this.groupsInFlight -= 1;
        this.flush();
      });
    }
  }

  private maxGroupsInFlight(): number {
    return this.store.provider === 'postgres' ? 4 : 1;
  }

  private async commit(jobs: Job[]): Promise<void> {
    // A record locks rows of its own instance. Groups in flight together take those locks in
    // the same order (a stable sort keeps each instance's records in order), so two groups
    // cannot wait for each other.
    jobs.sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
    const works = jobs.map((job) => (tx: Repositories) => {
      // A store may run a work again after a write conflict: only the last run committed.
      job.appended = [];
      const emit: Emit = async (type, data) => {
        const event = await this.appendIn(tx, job.instanceId, type, data);
        job.appended.push(event);
        return event;
      };
      return job.work(tx, emit);
    });
    let settled: Settled[];
    try {
      settled = await this.store.transactionGroup(works);
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = settled[i];
      if (!outcome.ok) return job.reject(outcome.error);
      for (const event of job.appended) this.notify(event);
      job.resolve(outcome.value);
    });
  }

  private async appendIn(tx: Repositories, instanceId: string, type: EventType, data: EventData): Promise<EventRecord> {
    const instance = await tx.instances.nextEventTs(instanceId, this.clock());
    const ts = instance.lastEventTs;
    const fields = typeof data === 'function' ? data(new Date(ts)) : data;
    const record = { id: randomUUID(), instanceId, type, data: { instanceId, ...fields }, ts };
    const event: EventRecord = { ...record, seq: await tx.events.append(record) };
    for (const sink of this.sinks) await sink.onEvent(tx, event, instance);
    return event;
  }

  private notify(event: EventRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not undo or block a committed event.
      }
    }
  }
}
