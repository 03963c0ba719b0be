/** Usage counters per instance per UTC day, limits and limit notices (see services/stats). */

export const USAGE_COUNTERS = ['messagesSent', 'messagesReceived', 'mediaSent', 'mediaReceived', 'totalMediaSize', 'apiCalls', 'webhookSent'] as const;
export type UsageCounter = (typeof USAGE_COUNTERS)[number];
export type UsageCounts = Record<UsageCounter, number>;

/** One instance's counters on one UTC day (`day` is `YYYY-MM-DD`). */
export interface DailyUsage extends UsageCounts {
  instanceId: string;
  userId: string;
  day: string;
}

/** Which rows a usage query covers; days are inclusive `YYYY-MM-DD` bounds, absent = open. */
export interface UsageQuery {
  instanceId?: string;
  userId?: string;
  fromDay?: string;
  toDay?: string;
}

export interface UsageRepository {
  /** Adds `delta` to the instance's counters of `day`, creating the row on first use. */
  add(instanceId: string, userId: string, day: string, delta: Partial<UsageCounts>): Promise<void>;
  /** The matching rows, oldest day first. */
  daily(query: UsageQuery): Promise<DailyUsage[]>;
  /** Counters summed per instance over the matching rows (instances with no rows are left out). */
  perInstance(query: UsageQuery): Promise<Array<UsageCounts & { instanceId: string; userId: string }>>;
  /** Counters summed over every matching row; zeros when none match. */
  total(query: UsageQuery): Promise<UsageCounts>;
}

export type LimitScope = 'default' | 'user' | 'instance';

/**
 * The limits a level may set. The counter limits cap a usage counter per window (which one:
 * services/limits/counter-limits.ts); `maxMediaSize` caps each media item in bytes and
 * `maxInstances` the instances a user holds. Listed here, below both the services and the HTTP
 * schemas, so that the two (and the dashboard's types) read one list.
 */
export const LIMIT_NAMES = ['maxMessagesSent', 'maxMessagesReceived', 'maxMediaSent', 'maxApiCalls', 'maxWebhookCalls', 'maxMediaSize', 'maxInstances'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** What a level's counter limits count over: the UTC day, the ISO week or the calendar month. */
export const LIMIT_WINDOWS = ['day', 'week', 'month'] as const;
export type LimitWindow = (typeof LIMIT_WINDOWS)[number];

/** The limits set at one level; `scopeId` is '' for the default level. */
export interface LimitsRecord {
  scope: LimitScope;
  scopeId: string;
  /** Limit name → value; a name left out inherits from the level above. */
  values: Record<string, number>;
  /** Window of this level's counter limits (one of LIMIT_WINDOWS); absent = day. */
  window?: string;
  updatedAt: number;
}

export interface LimitsRepository {
  find(scope: LimitScope, scopeId: string): Promise<LimitsRecord | undefined>;
  /** Replaces the limits of one level. */
  put(record: LimitsRecord): Promise<void>;
  /**
   * Records that `limitName` was exceeded for `scopeKey` in the window starting at
   * `windowStart`. True only for the first call per key and window, so one notice goes out.
   */
  recordNotice(scopeKey: string, limitName: string, windowStart: number, now: number): Promise<boolean>;
}
