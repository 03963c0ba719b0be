import { timeOrderedId } from '../core/ids.js';
import type { EventRecord, InstanceRecord, Repositories } from '../store/store.js';
import type { Clock } from '../core/clock.js';
import type { GroupCommit } from '../store/group-commit.js';

export const EVENT_TYPES = [
  'message_received',
  'message_sent',
  'message_status',
  'message_reaction',
  'message_edited',
  'message_deleted',
  'poll_vote',
  'connected',
  'disconnected',
  'qr_received',
  'limit_exceeded',
  'webhook_updated',
  'webhook_test',
  'contacts_updated',
  'group_joined',
  'group_left',
  'group_participants',
  'group_updated',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Events sent to webhooks but never stored in the event log (see PresenceWebhooks). */
export const WEBHOOK_ONLY_EVENT_TYPES = ['presence_update'] as const;

/** Everything `webhookSettings.events` may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [...EVENT_TYPES, ...WEBHOOK_ONLY_EVENT_TYPES] as const;

export function isWebhookEventType(name: string): name is (typeof WEBHOOK_EVENT_TYPES)[number] {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(name);
}

export function isEventType(name: string): name is EventType {
  return (EVENT_TYPES as readonly string[]).includes(name);
}

/** Work done inside the transaction that appends an event (webhook deliveries, counters). */
export interface EventSink {
  /** Before the insert: whether the event goes to the instance's webhook (flagged in its own insert). */
  wantsWebhook?(tx: Repositories, event: Omit<EventRecord, 'seq'>, instance: InstanceRecord): Promise<boolean>;
  /** After the insert. */
  onEvent?(tx: Repositories, event: EventRecord, instance: InstanceRecord): Promise<void>;
}

/** Told after the transaction committed (wakes the webhook worker, feeds live streams). */
export type EventListener = (event: EventRecord) => void;

/** An event's data, or a function of the event's own time for data that must quote it. */
export type EventData = Record<string, unknown> | ((at: Date) => Record<string, unknown>);

export type Emit = (type: EventType, data: EventData) => Promise<EventRecord>;

/**
 * The per-instance event log. Every event is appended in the same transaction as the rows it
 * concerns, with a timestamp strictly greater than the instance's previous one, so a client that
 * polls `since = latestTimestamp` never misses or repeats an event.
 *
 * Records are group-committed (see GroupCommit) with the other writes of the moment, such as
 * webhook outcomes: a failing record undoes only itself, and listeners hear only what committed.
 */
export class EventLog {
  private readonly sinks: EventSink[] = [];
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly commits: GroupCommit,
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
   * for another `record`, which could be queued behind its own group. `now`: see GroupCommit.run.
   */
  async record<T>(instanceId: string, work: (tx: Repositories, emit: Emit) => Promise<T>, options: { now?: boolean } = {}): Promise<T> {
    let appended: EventRecord[] = [];
    const value = await this.commits.run(
      instanceId,
      (tx) => {
        // A store may run a work again after a write conflict: only the last run committed.
        appended = [];
        const emit: Emit = async (type, data) => {
          const event = await this.appendIn(tx, instanceId, type, data);
          appended.push(event);
          return event;
        };
        return work(tx, emit);
      },
      options,
    );
    for (const event of appended) this.notify(event);
    return value;
  }

  append(instanceId: string, type: EventType, data: EventData): Promise<EventRecord> {
    return this.record(instanceId, (_tx, emit) => emit(type, data));
  }

  private async appendIn(tx: Repositories, instanceId: string, type: EventType, data: EventData): Promise<EventRecord> {
    const instance = await tx.instances.nextEventTs(instanceId, this.clock());
    const ts = instance.lastEventTs;
    const fields = typeof data === 'function' ? data(new Date(ts)) : data;
    // Time-ordered, so the id index grows at its end instead of dirtying a random page per event.
    const record: Omit<EventRecord, 'seq'> = { id: timeOrderedId(), instanceId, type, data: { instanceId, ...fields }, ts, webhook: false };
    for (const sink of this.sinks) if (sink.wantsWebhook && (await sink.wantsWebhook(tx, record, instance))) record.webhook = true;
    const event: EventRecord = { ...record, seq: await tx.events.append(record) };
    for (const sink of this.sinks) await sink.onEvent?.(tx, event, instance);
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
