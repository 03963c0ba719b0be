import type { InstanceRecord, InstancesRepository } from '../store.js';
import type { CollectionName } from '../transfer.js';
import { collection, definedFields, fromDocument, type MongoContext, sessionOf, toDocument } from './documents.js';

/** Collections whose documents belong to one instance and go with it. Usage counters stay for the stats. */
const OWNED: readonly CollectionName[] = ['webhookSettings', 'authState', 'messages', 'contacts', 'chats', 'groups', 'activity', 'events', 'deliveries', 'webhookCursors', 'webhookRanges'];

export class MongoInstancesRepository implements InstancesRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get instances() {
    return collection(this.ctx, 'instances');
  }

  async insert(instance: InstanceRecord): Promise<void> {
    await this.instances.insertOne(toDocument('instances', { ...instance }), sessionOf(this.ctx));
  }

  async findById(id: string): Promise<InstanceRecord | undefined> {
    const doc = await this.instances.findOne({ _id: id }, sessionOf(this.ctx));
    return doc ? fromDocument<InstanceRecord>('instances', doc) : undefined;
  }

  async list(userId?: string): Promise<InstanceRecord[]> {
    const filter = userId === undefined ? {} : { userId };
    const docs = await this.instances.find(filter, sessionOf(this.ctx)).sort({ createdAt: 1, _id: 1 }).toArray();
    return docs.map((d) => fromDocument<InstanceRecord>('instances', d));
  }

  async listLinked(): Promise<InstanceRecord[]> {
    const docs = await this.instances.find({ linked: true }, sessionOf(this.ctx)).sort({ createdAt: 1, _id: 1 }).toArray();
    return docs.map((d) => fromDocument<InstanceRecord>('instances', d));
  }

  async update(id: string, patch: Partial<Omit<InstanceRecord, 'id' | 'userId' | 'createdAt'>>): Promise<InstanceRecord | undefined> {
    const fields = definedFields(patch);
    if (Object.keys(fields).length > 0) await this.instances.updateOne({ _id: id }, { $set: fields }, sessionOf(this.ctx));
    return this.findById(id);
  }

  async delete(id: string): Promise<boolean> {
    for (const name of OWNED) await collection(this.ctx, name).deleteMany({ instanceId: id }, sessionOf(this.ctx));
    await collection(this.ctx, 'limits').deleteMany({ scope: 'instance', scopeId: id }, sessionOf(this.ctx));
    const result = await this.instances.deleteOne({ _id: id }, sessionOf(this.ctx));
    return result.deletedCount > 0;
  }

  countByUser(userId: string): Promise<number> {
    return this.instances.countDocuments({ userId }, sessionOf(this.ctx));
  }

  count(): Promise<number> {
    return this.instances.countDocuments({}, sessionOf(this.ctx));
  }

  async nextEventTs(id: string, now: number): Promise<InstanceRecord> {
    // One atomic pipeline update: max(last + 1, now), so concurrent appenders never share a time.
    const doc = await this.instances.findOneAndUpdate(
      { _id: id },
      [{ $set: { lastEventTs: { $max: [{ $add: ['$lastEventTs', 1] }, now] } } }],
      { returnDocument: 'after', ...sessionOf(this.ctx) },
    );
    if (!doc) throw new Error(`instance ${id} does not exist`);
    return fromDocument<InstanceRecord>('instances', doc);
  }
}
