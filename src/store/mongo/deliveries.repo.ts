import type { Filter } from 'mongodb';
import { DELIVERY_STATUSES, type DeliveriesRepository, type DeliveryOutcome, type DeliveryQuery, type DeliveryRecord, type DeliveryStatus } from '../deliveries.js';
import { collection, definedFields, fromDocument, type MongoContext, sessionOf, type StoredDocument, toDocument } from './documents.js';

/** Nobody holds it: no lease, or one that has run out. `null` also matches a missing field. */
const unleased = (now: number): Filter<StoredDocument> => ({ $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] });

export class MongoDeliveriesRepository implements DeliveriesRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get deliveries() {
    return collection(this.ctx, 'deliveries');
  }

  async insert(delivery: DeliveryRecord): Promise<void> {
    await this.deliveries.insertOne(toDocument('deliveries', { ...delivery }), sessionOf(this.ctx));
  }

  async findById(id: string): Promise<DeliveryRecord | undefined> {
    const doc = await this.deliveries.findOne({ _id: id }, sessionOf(this.ctx));
    return doc ? fromDocument<DeliveryRecord>('deliveries', doc) : undefined;
  }

  async findByEventId(eventId: string): Promise<DeliveryRecord | undefined> {
    const doc = await this.deliveries.findOne({ eventId }, sessionOf(this.ctx));
    return doc ? fromDocument<DeliveryRecord>('deliveries', doc) : undefined;
  }

  async list(query: DeliveryQuery): Promise<{ items: DeliveryRecord[]; total: number }> {
    const filter: Filter<StoredDocument> = { instanceId: query.instanceId, ...(query.status ? { status: query.status } : {}) };
    const docs = await this.deliveries.find(filter, sessionOf(this.ctx)).sort({ eventSeq: -1 }).skip(query.skip).limit(query.limit).toArray();
    const total = await this.deliveries.countDocuments(filter, sessionOf(this.ctx));
    return { items: docs.map((d) => fromDocument<DeliveryRecord>('deliveries', d)), total };
  }

  async claimDue(now: number, leaseUntil: number, limit: number): Promise<DeliveryRecord[]> {
    // The head (oldest pending) of each instance, if it is due; later ones wait behind it. An
    // instance with an attempt in flight is busy, even if an older delivery was put back in its
    // queue meanwhile: one attempt per instance at a time.
    const heads = await this.deliveries
      .aggregate<StoredDocument>(
        [
          { $match: { status: 'pending' } },
          { $sort: { instanceId: 1, eventSeq: 1 } },
          { $group: { _id: '$instanceId', head: { $first: '$$ROOT' }, leasedUntil: { $max: { $ifNull: ['$lockedUntil', 0] } } } },
          { $match: { leasedUntil: { $lte: now } } },
          { $replaceRoot: { newRoot: '$head' } },
          { $match: { nextAttemptAt: { $lte: now }, ...unleased(now) } },
          { $sort: { nextAttemptAt: 1 } },
          { $limit: limit },
        ],
        sessionOf(this.ctx),
      )
      .toArray();
    const claimed: DeliveryRecord[] = [];
    for (const head of heads) {
      const result = await this.deliveries.updateOne(
        { _id: head._id, status: 'pending', ...unleased(now) },
        { $set: { lockedUntil: leaseUntil } },
        sessionOf(this.ctx),
      );
      if (result.modifiedCount === 1) claimed.push({ ...fromDocument<DeliveryRecord>('deliveries', head), lockedUntil: leaseUntil });
    }
    return claimed;
  }

  async leaseNext(instanceId: string, now: number, leaseUntil: number): Promise<DeliveryRecord | undefined> {
    const options = sessionOf(this.ctx);
    const [head] = await this.deliveries.find({ status: 'pending', instanceId }, { ...options, sort: { eventSeq: 1 }, limit: 1 }).toArray();
    if (!head || (head.nextAttemptAt as number) > now) return undefined;
    if (await this.deliveries.findOne({ status: 'pending', instanceId, lockedUntil: { $gt: now } }, options)) return undefined;
    const result = await this.deliveries.updateOne({ _id: head._id, status: 'pending', ...unleased(now) }, { $set: { lockedUntil: leaseUntil } }, options);
    return result.modifiedCount === 1 ? { ...fromDocument<DeliveryRecord>('deliveries', head), lockedUntil: leaseUntil } : undefined;
  }

  async settle(id: string, lease: number, outcome: DeliveryOutcome, now: number): Promise<boolean> {
    const result = await this.deliveries.updateOne(
      { _id: id, lockedUntil: lease },
      { $set: { ...definedFields(outcome), lockedUntil: null, updatedAt: now } },
      sessionOf(this.ctx),
    );
    return result.matchedCount === 1;
  }

  async requeue(id: string, now: number): Promise<DeliveryRecord | undefined> {
    const doc = await this.deliveries.findOneAndUpdate(
      { _id: id, status: { $in: ['failed', 'skipped'] } },
      { $set: { status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null, updatedAt: now } },
      { returnDocument: 'after', ...sessionOf(this.ctx) },
    );
    return doc ? fromDocument<DeliveryRecord>('deliveries', doc) : undefined;
  }

  async countByStatus(): Promise<Record<DeliveryStatus, number>> {
    const rows = await this.deliveries.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }], sessionOf(this.ctx)).toArray();
    const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const row of rows) counts[row._id as DeliveryStatus] = Number(row.n);
    return counts;
  }
}
