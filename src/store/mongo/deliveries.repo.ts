import type { Document, Filter } from 'mongodb';
import { DELIVERY_STATUSES, isDue, type DeliveriesRepository, type DeliveryOutcome, type DeliveryQuery, type DeliveryRecord, type DeliveryStatus } from '../deliveries.js';
import { collection, definedFields, fromDocument, type MongoContext, sessionOf, type StoredDocument, toDocument } from './documents.js';

const unleased = (now: number): Filter<StoredDocument> => ({ $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] });
const DUPLICATE_KEY = 11000;

/** A delivery with its own row. */
function fromRow(doc: Document, lockedUntil: number | null = null): DeliveryRecord {
  const row = fromDocument<DeliveryRecord>('deliveries', doc);
  return { ...row, eventTs: Number(row.eventTs ?? 0), lockedUntil, stored: true };
}

/** A delivery without a row: its flagged event, delivered once the cursor passed it (`range`: the advance that did). */
function derivedFrom(event: Document, cursorTs: number, range?: Document | null, lockedUntil: number | null = null): DeliveryRecord {
  const ts = Number(event.ts);
  const delivered = ts <= cursorTs;
  const at = delivered && range ? Number(range.at) : null;
  return {
    id: String(event._id),
    instanceId: String(event.instanceId),
    eventId: String(event._id),
    eventSeq: Number(event.seq),
    eventTs: ts,
    eventType: String(event.type),
    status: delivered ? 'delivered' : 'pending',
    attempts: delivered ? 1 : 0,
    nextAttemptAt: ts,
    lastAttemptAt: at,
    lastStatusCode: delivered && range ? ((range.statusCode as number | null) ?? null) : null,
    lastError: null,
    deliveredAt: at,
    lockedUntil,
    stored: false,
    createdAt: ts,
    updatedAt: at ?? ts,
  };
}

export class MongoDeliveriesRepository implements DeliveriesRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get deliveries() {
    return collection(this.ctx, 'deliveries');
  }

  private get events() {
    return collection(this.ctx, 'events');
  }

  private get cursors() {
    return collection(this.ctx, 'webhookCursors');
  }

  private get ranges() {
    return collection(this.ctx, 'webhookRanges');
  }

  private async cursorTs(instanceId: string): Promise<number> {
    const cursor = await this.cursors.findOne({ _id: instanceId }, sessionOf(this.ctx));
    return cursor ? Number(cursor.ts) : 0;
  }

  private async rangeOf(instanceId: string, ts: number): Promise<Document | null> {
    const [range] = await this.ranges.find({ instanceId, toTs: { $gte: ts } }, { ...sessionOf(this.ctx), sort: { toTs: 1 }, limit: 1 }).toArray();
    return range ?? null;
  }

  async findById(id: string): Promise<DeliveryRecord | undefined> {
    const doc = await this.deliveries.findOne({ _id: id }, sessionOf(this.ctx));
    return doc ? fromRow(doc) : this.derivedOf(id);
  }

  async findByEventId(eventId: string): Promise<DeliveryRecord | undefined> {
    const doc = await this.deliveries.findOne({ eventId }, sessionOf(this.ctx));
    return doc ? fromRow(doc) : this.derivedOf(eventId);
  }

  private async derivedOf(eventId: string): Promise<DeliveryRecord | undefined> {
    const event = await this.events.findOne({ _id: eventId, webhook: true }, sessionOf(this.ctx));
    if (!event || (await this.deliveries.findOne({ eventId }, sessionOf(this.ctx)))) return undefined;
    const cursorTs = await this.cursorTs(String(event.instanceId));
    return derivedFrom(event, cursorTs, await this.rangeOf(String(event.instanceId), Number(event.ts)));
  }

  async list(query: DeliveryQuery): Promise<{ items: DeliveryRecord[]; total: number }> {
    const options = sessionOf(this.ctx);
    const { instanceId, status } = query;
    const cursorTs = await this.cursorTs(instanceId);
    // Rows are the exceptions (failures, retries): few, read whole; derived ones page from the log.
    const rows = (await this.deliveries.find({ instanceId }, { ...options, sort: { eventSeq: -1 } }).toArray()).map((doc) => fromRow(doc));
    const stored = new Set(rows.map((r) => r.eventId));
    const listedRows = rows.filter((r) => !status || r.status === status);
    const tsFilter = status === 'pending' ? { $gt: cursorTs } : status === 'delivered' ? { $lte: cursorTs } : undefined;
    const derivable = status === undefined || status === 'pending' || status === 'delivered';
    const eventFilter: Filter<StoredDocument> = { instanceId, webhook: true, ...(tsFilter ? { ts: tsFilter } : {}) };
    const inFilter = (ts: number) => !tsFilter || ('$gt' in tsFilter ? ts > cursorTs : ts <= cursorTs);
    const derivedTotal = derivable ? (await this.events.countDocuments(eventFilter, options)) - rows.filter((r) => inFilter(r.eventTs)).length : 0;
    const wanted = query.skip + query.limit;
    const events = derivable ? await this.events.find(eventFilter, { ...options, sort: { seq: -1 }, limit: wanted + stored.size }).toArray() : [];
    const derived: DeliveryRecord[] = [];
    for (const event of events) {
      if (stored.has(String(event._id))) continue;
      const ts = Number(event.ts);
      derived.push(derivedFrom(event, cursorTs, ts <= cursorTs ? await this.rangeOf(instanceId, ts) : null));
    }
    const items = [...listedRows, ...derived].sort((a, b) => b.eventSeq - a.eventSeq).slice(query.skip, wanted);
    return { items, total: listedRows.length + derivedTotal };
  }

  async claimDue(now: number, leaseUntil: number, limit: number): Promise<DeliveryRecord[]> {
    const instances = await this.events.distinct('instanceId', { webhook: true }, sessionOf(this.ctx));
    const claimed: DeliveryRecord[] = [];
    for (const instanceId of instances as string[]) {
      if (claimed.length >= limit) break;
      const cursor = await this.cursors.findOne({ _id: instanceId }, sessionOf(this.ctx));
      if (cursor && cursor.lockedUntil !== null && cursor.lockedUntil !== undefined && Number(cursor.lockedUntil) > now) continue;
      const next = await this.head(instanceId, leaseUntil);
      if (!next || !isDue(next, now)) continue;
      // The conditions again: another worker may have leased the instance since the read.
      try {
        const result = await this.cursors.updateOne(
          { _id: instanceId, ...unleased(now) },
          { $set: { lockedUntil: leaseUntil }, $setOnInsert: { instanceId, ts: 0, updatedAt: now } },
          { upsert: true, ...sessionOf(this.ctx) },
        );
        if (result.matchedCount === 1 || result.upsertedCount === 1) claimed.push(next);
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      }
    }
    return claimed;
  }

  async leaseNext(instanceId: string, now: number, lease: number): Promise<DeliveryRecord | undefined> {
    const next = await this.head(instanceId, lease);
    if (next && isDue(next, now)) return next;
    await this.cursors.updateOne({ _id: instanceId, lockedUntil: lease }, { $set: { lockedUntil: null } }, sessionOf(this.ctx));
    return undefined;
  }

  /** The oldest pending row of the instance, else its first flagged event past the cursor. */
  private async head(instanceId: string, lease: number): Promise<DeliveryRecord | undefined> {
    const options = sessionOf(this.ctx);
    const [row] = await this.deliveries.find({ instanceId, status: 'pending' }, { ...options, sort: { eventSeq: 1 }, limit: 1 }).toArray();
    if (row) return fromRow(row, lease);
    const cursorTs = await this.cursorTs(instanceId);
    const [event] = await this.events.find({ instanceId, webhook: true, ts: { $gt: cursorTs } }, { ...options, sort: { ts: 1 }, limit: 1 }).toArray();
    return event ? derivedFrom(event, cursorTs, null, lease) : undefined;
  }

  async settle(d: DeliveryRecord, lease: number, outcome: DeliveryOutcome, now: number, keepUntil?: number): Promise<boolean> {
    const options = sessionOf(this.ctx);
    const final = outcome.status === 'delivered' || outcome.status === 'failed' || outcome.status === 'skipped';
    const result = await this.cursors.updateOne(
      { _id: d.instanceId, lockedUntil: lease },
      { $max: { ts: final ? d.eventTs : 0 }, $set: { lockedUntil: keepUntil ?? null, updatedAt: now } },
      options,
    );
    if (result.matchedCount !== 1) return false;
    const fields = definedFields(outcome);
    if (d.stored) await this.deliveries.updateOne({ _id: d.id }, { $set: { ...fields, updatedAt: now } }, options);
    else if (outcome.status === 'delivered') {
      await this.ranges.updateOne(
        { _id: JSON.stringify([d.instanceId, d.eventTs]) },
        { $setOnInsert: { instanceId: d.instanceId, toTs: d.eventTs, at: outcome.deliveredAt ?? now, statusCode: outcome.lastStatusCode ?? null } },
        { upsert: true, ...options },
      );
    } else if (Object.keys(fields).length > 0) {
      // Its first attempt did not deliver it: from now on it has a row, under its event's id.
      const { stored: _stored, lockedUntil: _lease, ...record } = d;
      await this.deliveries.insertOne(toDocument('deliveries', { ...record, status: 'pending', nextAttemptAt: now, ...fields, updatedAt: now }), options);
    }
    return true;
  }

  async requeue(id: string, now: number): Promise<DeliveryRecord | undefined> {
    const doc = await this.deliveries.findOneAndUpdate(
      { _id: id, status: { $in: ['failed', 'skipped'] } },
      { $set: { status: 'pending', attempts: 0, nextAttemptAt: now, updatedAt: now } },
      { returnDocument: 'after', ...sessionOf(this.ctx) },
    );
    return doc ? fromRow(doc) : undefined;
  }

  async countByStatus(): Promise<Record<DeliveryStatus, number>> {
    const options = sessionOf(this.ctx);
    const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    const rows = await this.deliveries.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }], options).toArray();
    for (const row of rows) counts[row._id as DeliveryStatus] = Number(row.n);
    // Every row's event is flagged too: the derived ones are the flagged events less the rows.
    for (const instanceId of (await this.events.distinct('instanceId', { webhook: true }, options)) as string[]) {
      const cursorTs = await this.cursorTs(instanceId);
      const after = await this.events.countDocuments({ instanceId, webhook: true, ts: { $gt: cursorTs } }, options);
      const all = await this.events.countDocuments({ instanceId, webhook: true }, options);
      const rowsAfter = await this.deliveries.countDocuments({ instanceId, eventTs: { $gt: cursorTs } }, options);
      const rowsAll = await this.deliveries.countDocuments({ instanceId }, options);
      counts.pending += after - rowsAfter;
      counts.delivered += all - after - (rowsAll - rowsAfter);
    }
    return counts;
  }
}
