import type { AnyBulkWriteOperation } from 'mongodb';
import type { AuthStateRepository } from '../store.js';
import { collection, documentId, type MongoContext, sessionOf, type StoredDocument } from './documents.js';

export class MongoAuthStateRepository implements AuthStateRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get keys() {
    return collection(this.ctx, 'authState');
  }

  async get(instanceId: string, type: string, ids: string[]): Promise<Record<string, string>> {
    if (ids.length === 0) return {};
    const docs = await this.keys.find({ instanceId, type, id: { $in: ids } }, { projection: { id: 1, value: 1 }, ...sessionOf(this.ctx) }).toArray();
    return Object.fromEntries(docs.map((d) => [String(d.id), String(d.value)]));
  }

  async set(instanceId: string, data: Record<string, Record<string, string | null>>): Promise<void> {
    const operations: AnyBulkWriteOperation<StoredDocument>[] = [];
    for (const [type, values] of Object.entries(data)) {
      for (const [id, value] of Object.entries(values)) {
        const _id = documentId('authState', { instanceId, type, id });
        if (value === null) operations.push({ deleteOne: { filter: { _id } } });
        else operations.push({ replaceOne: { filter: { _id }, replacement: { _id, instanceId, type, id, value }, upsert: true } });
      }
    }
    if (operations.length === 0) return;
    // Outside a transaction (standalone server) each key is written on its own, in order.
    await this.keys.bulkWrite(operations, { ordered: true, ...sessionOf(this.ctx) });
  }

  async clear(instanceId: string): Promise<void> {
    await this.keys.deleteMany({ instanceId }, sessionOf(this.ctx));
  }
}
