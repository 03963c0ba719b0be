import type { EventRecord, InstanceRecord, Repositories, Store, UserRecord } from '../store/store.js';
import { USAGE_COUNTERS, type UsageCounts } from '../store/usage.js';
import type { ApiCallCounter } from './api-call-counter.js';
import type { Clock } from '../core/clock.js';
import type { EventSink } from './event-log.js';
import type { InstancesService } from './instances.service.js';
import { dayOf, dayStartIso, periodDays, type StatsPeriod } from './usage-windows.js';

export interface DailyStats extends UsageCounts {
  /** Midnight UTC of the day, ISO text. */
  date: string;
}

export interface UserStats {
  total: UsageCounts & { instanceCount: number };
  instances: Array<UsageCounts & { instanceId: string; name: string }>;
}

export interface SystemStats {
  instances: { total: number; active: number };
  users: { total: number; active: number };
  usage: UsageCounts;
}

export function zeroCounts(): UsageCounts {
  return Object.fromEntries(USAGE_COUNTERS.map((c) => [c, 0])) as UsageCounts;
}

/**
 * Usage counters and the stats read from them. Message and media counters are written by the
 * event log's sink in the transaction that stores the message and appends its event, so they
 * cannot drift from the history; API calls come batched from `ApiCallCounter`, webhook
 * deliveries from the webhook worker.
 */
export class StatsService implements EventSink {
  constructor(
    private readonly store: Store,
    private readonly instances: InstancesService,
    private readonly apiCalls: ApiCallCounter,
    private readonly clock: Clock,
  ) {}

  async onEvent(tx: Repositories, event: EventRecord, instance: InstanceRecord): Promise<void> {
    if (event.type !== 'message_sent' && event.type !== 'message_received') return;
    const sent = event.type === 'message_sent';
    const delta: Partial<UsageCounts> = sent ? { messagesSent: 1 } : { messagesReceived: 1 };
    // The payload is made from the stored row (`hasMedia`, `mediaSize`), so no need to read it back.
    if (event.data.hasMedia === true) {
      delta[sent ? 'mediaSent' : 'mediaReceived'] = 1;
      delta.totalMediaSize = typeof event.data.mediaSize === 'number' ? event.data.mediaSize : 0;
    }
    await tx.usage.add(instance.id, instance.userId, dayOf(event.ts), delta);
  }

  /** For the webhook worker, in the transaction that records a delivery of this instance as delivered. */
  readonly onWebhookDelivered = async (tx: Repositories, instance: InstanceRecord): Promise<void> => {
    await tx.usage.add(instance.id, instance.userId, dayOf(this.clock()), { webhookSent: 1 });
  };

  /** An authenticated API call against this instance. */
  countApiCall(instance: InstanceRecord): void {
    this.apiCalls.add(instance.id, instance.userId);
  }

  /** One instance's counters over an inclusive day range, with API calls not yet written. */
  async usageOf(instanceId: string, fromDay: string, toDay: string): Promise<UsageCounts> {
    // Unwritten calls first, then the database: a flush that writes some of them during the read
    // then counts them twice at worst (a limit refuses a moment early), never not at all.
    const unflushed = this.apiCalls.unflushed(instanceId, fromDay);
    const counts = await this.store.usage.total({ instanceId, fromDay, toDay });
    counts.apiCalls += unflushed;
    return counts;
  }

  /**
   * The user's usage: `total` covers every instance the user had in the period, including ones
   * since deleted (their counters stay); `instances` lists the instances that exist now.
   */
  async userStats(user: UserRecord, period: StatsPeriod): Promise<UserStats> {
    await this.apiCalls.flush();
    const range = periodDays(period, this.clock());
    const [instances, rows, total] = await Promise.all([
      this.store.instances.list(user.id),
      this.store.usage.perInstance({ userId: user.id, ...range }),
      this.store.usage.total({ userId: user.id, ...range }),
    ]);
    const byInstance = new Map(rows.map((r) => [r.instanceId, r]));
    return {
      total: { ...total, instanceCount: instances.length },
      instances: instances.map((i) => {
        const { instanceId: _id, userId: _user, ...counts } = byInstance.get(i.id) ?? { instanceId: i.id, userId: i.userId, ...zeroCounts() };
        return { instanceId: i.id, name: i.name, ...counts };
      }),
    };
  }

  /** One instance's usage with a row per UTC day that had any (days without activity are left out). */
  async instanceStats(user: UserRecord, instanceId: string, period: StatsPeriod): Promise<UsageCounts & { dailyStats: DailyStats[] }> {
    const instance = await this.instances.getOwned(user, instanceId);
    await this.apiCalls.flush();
    const range = periodDays(period, this.clock());
    const days = await this.store.usage.daily({ instanceId: instance.id, ...range });
    const total = zeroCounts();
    const dailyStats = days.map(({ instanceId: _i, userId: _u, day, ...counts }) => {
      for (const counter of USAGE_COUNTERS) total[counter] += counts[counter];
      return { date: dayStartIso(day), ...counts };
    });
    return { ...total, dailyStats };
  }

  /** Everyone's usage; active = connected now on this node / users with a connected instance. */
  async systemStats(period: StatsPeriod): Promise<SystemStats> {
    await this.apiCalls.flush();
    const [instances, userCount, usage] = await Promise.all([
      this.store.instances.list(),
      this.store.users.count(),
      this.store.usage.total(periodDays(period, this.clock())),
    ]);
    const connected = instances.filter((i) => this.instances.state(i).status === 'connected');
    return {
      instances: { total: instances.length, active: connected.length },
      users: { total: userCount, active: new Set(connected.map((i) => i.userId)).size },
      usage,
    };
  }
}
