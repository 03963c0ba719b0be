import type { Clock } from '../../core/clock.js';
import type { EventLog } from '../event-log.js';
import type { LimitName, LimitWindow } from '../../store/usage.js';
import { COUNTER_LIMITS, type CounterLimit } from './counter-limits.js';

/** A limit reached: what a refusal and its notice report. */
export interface LimitHit {
  name: LimitName;
  value: number;
  usage: number;
  window: { start: number; end: number };
  windowName: LimitWindow;
}

/** What became of the work that hit the limit. */
export type LimitAction = 'refused' | 'stored' | 'delayed';

/**
 * The `limit_exceeded` events: one per instance, limit and window, however often the limit is
 * hit. The store decides which notice is the first (it may be shared by several nodes); the
 * memory of windows already noticed spares a transaction per later refusal on this node.
 */
export class LimitNotices {
  /** `instanceId|limit` → start of the window already noticed. */
  private readonly noticed = new Map<string, number>();

  constructor(
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  /** `usage` replaces the counter and figure reported, for a limit that is not a counter. */
  async notify(instanceId: string, hit: LimitHit, action: LimitAction, usage?: Record<string, number>): Promise<void> {
    const key = `${instanceId}|${hit.name}`;
    if (this.noticed.get(key) === hit.window.start) return;
    const now = this.clock();
    const counter = hit.name in COUNTER_LIMITS ? COUNTER_LIMITS[hit.name as CounterLimit] : hit.name;
    await this.events.record(instanceId, async (tx, emit) => {
      if (!(await tx.limits.recordNotice(`instance:${instanceId}`, hit.name, hit.window.start, now))) return;
      await emit('limit_exceeded', {
        exceededLimits: [hit.name],
        usage: usage ?? { [counter]: hit.usage },
        limit: hit.name,
        value: hit.value,
        window: hit.windowName,
        resetsAt: new Date(hit.window.end).toISOString(),
        action,
      });
    });
    this.noticed.set(key, hit.window.start);
  }
}
