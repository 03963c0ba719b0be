import { type DailyUsage, type LimitScope, type LimitsRecord, type LimitsRepository, USAGE_COUNTERS, type UsageCounts, type UsageQuery, type UsageRepository } from '../usage.js';
import { collection, documentId, fromDocument, type MongoContext, sessionOf, type StoredDocument, toDocument, usageFilter } from './documents.js';

function countsFrom(doc: Record<string, unknown>): UsageCounts {
  const counts = {} as UsageCounts;
  for (const counter of USAGE_COUNTERS) counts[counter] = Number(doc[counter] ?? 0);
  return counts;
}

const sums = Object.fromEntries(USAGE_COUNTERS.map((c) => [c, { $sum: `$${c}` }]));

export class MongoUsageRepository implements UsageRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get usage() {
    return collection(this.ctx, 'usage');
  }

  async add(instanceId: string, userId: string, day: string, delta: Partial<UsageCounts>): Promise<void> {
    const changed = USAGE_COUNTERS.filter((c) => (delta[c] ?? 0) !== 0);
    if (changed.length === 0) return;
    const increments = Object.fromEntries(changed.map((c) => [c, delta[c] as number]));
    const zeros = Object.fromEntries(USAGE_COUNTERS.filter((c) => !changed.includes(c)).map((c) => [c, 0]));
    // One atomic upsert that adds, so concurrent writers never lose a count.
    await this.usage.updateOne(
      { _id: documentId('usage', { instanceId, day }) },
      { $inc: increments, $setOnInsert: { instanceId, userId, day, ...zeros } },
      { upsert: true, ...sessionOf(this.ctx) },
    );
  }

  async daily(query: UsageQuery): Promise<DailyUsage[]> {
    const docs = await this.usage.find(usageFilter(query), sessionOf(this.ctx)).sort({ day: 1, instanceId: 1 }).toArray();
    return docs.map((d) => ({ instanceId: String(d.instanceId), userId: String(d.userId), day: String(d.day), ...countsFrom(d) }));
  }

  async perInstance(query: UsageQuery): Promise<Array<UsageCounts & { instanceId: string; userId: string }>> {
    const rows = await this.usage
      .aggregate<Record<string, unknown>>([{ $match: usageFilter(query) }, { $group: { _id: '$instanceId', userId: { $max: '$userId' }, ...sums } }], sessionOf(this.ctx))
      .toArray();
    return rows.map((r) => ({ instanceId: String(r._id), userId: String(r.userId), ...countsFrom(r) }));
  }

  async total(query: UsageQuery): Promise<UsageCounts> {
    const [row] = await this.usage.aggregate<Record<string, unknown>>([{ $match: usageFilter(query) }, { $group: { _id: null, ...sums } }], sessionOf(this.ctx)).toArray();
    return countsFrom(row ?? {});
  }
}

export class MongoLimitsRepository implements LimitsRepository {
  constructor(private readonly ctx: MongoContext) {}

  async find(scope: LimitScope, scopeId: string): Promise<LimitsRecord | undefined> {
    const doc = await collection(this.ctx, 'limits').findOne({ _id: documentId('limits', { scope, scopeId }) }, sessionOf(this.ctx));
    if (!doc) return undefined;
    const record = fromDocument<LimitsRecord>('limits', doc);
    return { scope, scopeId, values: record.values ?? {}, ...(record.window ? { window: record.window } : {}), updatedAt: record.updatedAt };
  }

  async put(record: LimitsRecord): Promise<void> {
    const doc: StoredDocument = toDocument('limits', { ...record });
    await collection(this.ctx, 'limits').replaceOne({ _id: doc._id }, doc, { upsert: true, ...sessionOf(this.ctx) });
  }

  async recordNotice(scopeKey: string, limitName: string, windowStart: number, now: number): Promise<boolean> {
    const result = await collection(this.ctx, 'limitNotices').updateOne(
      { _id: documentId('limitNotices', { scopeKey, limitName, windowStart }) },
      { $setOnInsert: { scopeKey, limitName, windowStart, createdAt: now } },
      { upsert: true, ...sessionOf(this.ctx) },
    );
    return result.upsertedCount === 1;
  }
}
