import type { EventQuery, EventRecord, EventsRepository } from '../store.js';
import { collection, COUNTERS, eventFilter, fromDocument, type MongoContext, sessionOf, toDocument } from './documents.js';

/** Reserves the next event sequence number: one atomic increment on the counters document. */
export async function nextSeq(ctx: MongoContext): Promise<number> {
  const counter = await ctx.db
    .collection<{ _id: string; seq: number }>(COUNTERS)
    .findOneAndUpdate({ _id: 'events' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', ...sessionOf(ctx) });
  if (!counter) throw new Error('the events counter could not be incremented');
  return counter.seq;
}

export class MongoEventsRepository implements EventsRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get events() {
    return collection(this.ctx, 'events');
  }

  async append(event: Omit<EventRecord, 'seq'>): Promise<number> {
    const seq = await nextSeq(this.ctx);
    await this.events.insertOne(toDocument('events', { ...event, seq }), sessionOf(this.ctx));
    return seq;
  }

  async list(query: EventQuery): Promise<{ items: EventRecord[]; hasMore: boolean }> {
    const filter = eventFilter(query);
    // One extra document tells whether there is more without a count over the whole log.
    if (query.since !== undefined) {
      const docs = await this.events.find(filter, sessionOf(this.ctx)).sort({ ts: 1 }).limit(query.limit + 1).toArray();
      return { items: docs.slice(0, query.limit).map((d) => fromDocument<EventRecord>('events', d)), hasMore: docs.length > query.limit };
    }
    const docs = await this.events.find(filter, sessionOf(this.ctx)).sort({ ts: -1 }).limit(query.limit + 1).toArray();
    return {
      items: docs
        .slice(0, query.limit)
        .reverse()
        .map((d) => fromDocument<EventRecord>('events', d)),
      hasMore: docs.length > query.limit,
    };
  }

  async findById(id: string): Promise<EventRecord | undefined> {
    const doc = await this.events.findOne({ _id: id }, sessionOf(this.ctx));
    return doc ? fromDocument<EventRecord>('events', doc) : undefined;
  }

  count(): Promise<number> {
    return this.events.countDocuments({}, sessionOf(this.ctx));
  }
}
