import { type ExpressionBuilder, sql } from 'kysely';
import {
  type DailyUsage,
  type LimitScope,
  type LimitsRecord,
  type LimitsRepository,
  USAGE_COUNTERS,
  type UsageCounter,
  type UsageCounts,
  type UsageQuery,
  type UsageRepository,
} from '../usage.js';
import type { SqlContext } from './executor.js';
import { type Fields, PreparedQuery } from './prepared.js';
import type { Database, UsageDailyTable } from './schema.js';

type CounterColumn = Exclude<keyof UsageDailyTable, 'instance_id' | 'user_id' | 'day'>;

const COLUMN: Record<UsageCounter, CounterColumn> = {
  messagesSent: 'messages_sent',
  messagesReceived: 'messages_received',
  mediaSent: 'media_sent',
  mediaReceived: 'media_received',
  totalMediaSize: 'total_media_size',
  apiCalls: 'api_calls',
  webhookSent: 'webhook_sent',
};

/**
 * One upsert that adds, so concurrent writers and both databases agree without a read first.
 * Every counter is added, zeros too, so that it is one statement, prepared (see PreparedQuery):
 * every message and webhook runs it.
 */
const ADD = new PreparedQuery((ctx, row: Fields) =>
  ctx.db
    .insertInto('usage_daily')
    .values(row as unknown as UsageDailyTable)
    .onConflict((oc) =>
      oc.columns(['instance_id', 'day']).doUpdateSet((eb) =>
        Object.fromEntries(USAGE_COUNTERS.map((c) => [COLUMN[c], eb(`usage_daily.${COLUMN[c]}`, '+', eb.ref(`excluded.${COLUMN[c]}`))])),
      ),
    ),
);

function countsFrom(row: Record<string, unknown>): UsageCounts {
  const counts = {} as UsageCounts;
  for (const counter of USAGE_COUNTERS) counts[counter] = Number(row[COLUMN[counter]] ?? 0);
  return counts;
}

/** `coalesce(sum(col), 0)` for every counter: PostgreSQL's bigint sums arrive as strings, `countsFrom` reads both. */
function sums(eb: ExpressionBuilder<Database, 'usage_daily'>) {
  return USAGE_COUNTERS.map((counter) => eb.fn.coalesce(eb.fn.sum<number>(COLUMN[counter]), sql<number>`0`).as(COLUMN[counter]));
}

export class SqlUsageRepository implements UsageRepository {
  constructor(private readonly ctx: SqlContext) {}

  async add(instanceId: string, userId: string, day: string, delta: Partial<UsageCounts>): Promise<void> {
    if (!USAGE_COUNTERS.some((c) => (delta[c] ?? 0) !== 0)) return;
    const row: Fields = { instance_id: instanceId, user_id: userId, day };
    for (const counter of USAGE_COUNTERS) row[COLUMN[counter]] = delta[counter] ?? 0;
    await ADD.execute(this.ctx, row);
  }

  async daily(query: UsageQuery): Promise<DailyUsage[]> {
    const rows = await this.filtered(query).selectAll().orderBy('day', 'asc').orderBy('instance_id', 'asc').execute();
    return rows.map((r) => ({ instanceId: r.instance_id, userId: r.user_id, day: r.day, ...countsFrom(r) }));
  }

  async perInstance(query: UsageQuery): Promise<Array<UsageCounts & { instanceId: string; userId: string }>> {
    const rows = await this.filtered(query)
      .select((eb) => ['instance_id', eb.fn.max('user_id').as('user_id'), ...sums(eb)])
      .groupBy('instance_id')
      .execute();
    return rows.map((r) => ({ instanceId: r.instance_id, userId: String(r.user_id), ...countsFrom(r) }));
  }

  async total(query: UsageQuery): Promise<UsageCounts> {
    const row = await this.filtered(query).select((eb) => sums(eb)).executeTakeFirst();
    return countsFrom(row ?? {});
  }

  private filtered(query: UsageQuery) {
    let q = this.ctx.db.selectFrom('usage_daily');
    if (query.instanceId !== undefined) q = q.where('instance_id', '=', query.instanceId);
    if (query.userId !== undefined) q = q.where('user_id', '=', query.userId);
    if (query.fromDay !== undefined) q = q.where('day', '>=', query.fromDay);
    if (query.toDay !== undefined) q = q.where('day', '<=', query.toDay);
    return q;
  }
}

interface StoredLimits {
  values: Record<string, number>;
  window?: string;
}

export class SqlLimitsRepository implements LimitsRepository {
  constructor(private readonly ctx: SqlContext) {}

  async find(scope: LimitScope, scopeId: string): Promise<LimitsRecord | undefined> {
    const row = await this.ctx.db.selectFrom('limits').selectAll().where('scope', '=', scope).where('scope_id', '=', scopeId).executeTakeFirst();
    if (!row) return undefined;
    const stored = JSON.parse(row.values) as StoredLimits;
    return { scope, scopeId, values: stored.values ?? {}, window: stored.window, updatedAt: Number(row.updated_at) };
  }

  async put(record: LimitsRecord): Promise<void> {
    const stored: StoredLimits = { values: record.values, ...(record.window ? { window: record.window } : {}) };
    const values = JSON.stringify(stored);
    await this.ctx.db
      .insertInto('limits')
      .values({ scope: record.scope, scope_id: record.scopeId, values, updated_at: record.updatedAt })
      .onConflict((oc) => oc.columns(['scope', 'scope_id']).doUpdateSet({ values, updated_at: record.updatedAt }))
      .execute();
  }

  async recordNotice(scopeKey: string, limitName: string, windowStart: number, now: number): Promise<boolean> {
    const inserted = await this.ctx.db
      .insertInto('limit_notices')
      .values({ scope_key: scopeKey, limit_name: limitName, window_start: windowStart, created_at: now })
      .onConflict((oc) => oc.doNothing())
      .returning('scope_key')
      .executeTakeFirst();
    return inserted !== undefined;
  }
}
