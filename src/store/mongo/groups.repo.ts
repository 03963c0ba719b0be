import type { Filter } from 'mongodb';
import type { GroupQuery, GroupRecord, GroupsRepository } from '../groups.js';
import { collection, documentId, escapeRegex, fromDocument, type MongoContext, sessionOf, type StoredDocument, toDocument } from './documents.js';

export class MongoGroupsRepository implements GroupsRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get groups() {
    return collection(this.ctx, 'groups');
  }

  async upsert(group: GroupRecord): Promise<void> {
    const doc = toDocument('groups', { ...group });
    await this.groups.replaceOne({ _id: doc._id }, doc, { upsert: true, ...sessionOf(this.ctx) });
  }

  async replaceAll(instanceId: string, groups: GroupRecord[]): Promise<void> {
    await this.groups.deleteMany({ instanceId, groupJid: { $nin: groups.map((g) => g.groupJid) } }, sessionOf(this.ctx));
    for (const group of groups) await this.upsert(group);
  }

  async find(instanceId: string, groupJid: string): Promise<GroupRecord | undefined> {
    const doc = await this.groups.findOne({ _id: documentId('groups', { instanceId, groupJid }) }, sessionOf(this.ctx));
    return doc ? fromDocument<GroupRecord>('groups', doc) : undefined;
  }

  async list(query: GroupQuery): Promise<{ items: GroupRecord[]; total: number }> {
    const filter: Filter<StoredDocument> = { instanceId: query.instanceId };
    if (query.search) {
      const pattern = { $regex: escapeRegex(query.search), $options: 'i' };
      filter.$or = [{ subject: pattern }, { groupJid: pattern }];
    }
    // One after the other: a session (transaction) runs one operation at a time.
    const docs = await this.groups.find(filter, sessionOf(this.ctx)).sort({ subject: 1, groupJid: 1 }).skip(query.skip).limit(query.limit).toArray();
    const total = await this.groups.countDocuments(filter, sessionOf(this.ctx));
    return { items: docs.map((d) => fromDocument<GroupRecord>('groups', d)), total };
  }

  async delete(instanceId: string, groupJid: string): Promise<boolean> {
    const result = await this.groups.deleteOne({ _id: documentId('groups', { instanceId, groupJid }) }, sessionOf(this.ctx));
    return result.deletedCount > 0;
  }
}
