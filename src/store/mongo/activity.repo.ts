import type { ActivityQuery, ActivityRecord, ActivityRepository } from '../store.js';
import { activityFilter, collection, fromDocument, type MongoContext, sessionOf, toDocument } from './documents.js';

export class MongoActivityRepository implements ActivityRepository {
  constructor(private readonly ctx: MongoContext) {}

  async insert(entry: ActivityRecord): Promise<void> {
    await collection(this.ctx, 'activity').insertOne(toDocument('activity', { ...entry }), sessionOf(this.ctx));
  }

  async list(query: ActivityQuery): Promise<{ items: ActivityRecord[]; total: number }> {
    const activity = collection(this.ctx, 'activity');
    const filter = activityFilter(query);
    const docs = await activity.find(filter, sessionOf(this.ctx)).sort({ createdAt: -1, _id: -1 }).skip(query.skip).limit(query.limit).toArray();
    const total = await activity.countDocuments(filter, sessionOf(this.ctx));
    return { items: docs.map((d) => fromDocument<ActivityRecord>('activity', d)), total };
  }
}
