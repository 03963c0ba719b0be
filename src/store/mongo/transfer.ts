import type { AnyBulkWriteOperation, Filter } from 'mongodb';
import { type BulkTransfer, COLLECTIONS, type CollectionName, type ExportQuery, type Row } from '../transfer.js';
import { collection, COUNTERS, deltaFilter, fromDocument, type MongoContext, type StoredDocument, toDocument } from './documents.js';

/** Bulk export and import for the database switch: pages by `_id`, upserts by `_id`. */
export class MongoBulkTransfer implements BulkTransfer {
  constructor(private readonly ctx: MongoContext) {}

  count(name: CollectionName): Promise<number> {
    return collection(this.ctx, name).countDocuments({});
  }

  async deltaMark(name: CollectionName): Promise<number | null> {
    const delta = COLLECTIONS[name].delta;
    if (delta.kind !== 'since') return null;
    const [row] = await collection(this.ctx, name)
      .aggregate<{ mark: number | null }>([{ $group: { _id: null, mark: { $max: `$${delta.field}` } } }])
      .toArray();
    return row?.mark ?? null;
  }

  async exportBatch(name: CollectionName, query: ExportQuery): Promise<{ rows: Row[]; next: string | null }> {
    const filter: Filter<StoredDocument> = { ...deltaFilter(name, query.since) };
    if (query.after !== null) filter._id = { $gt: query.after };
    const docs = await collection(this.ctx, name).find(filter).sort({ _id: 1 }).limit(query.limit).toArray();
    const last = docs.at(-1);
    return { rows: docs.map((d) => fromDocument<Row>(name, d)), next: docs.length === query.limit && last ? last._id : null };
  }

  async importBatch(name: CollectionName, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    const operations: AnyBulkWriteOperation<StoredDocument>[] = rows.map((row) => {
      const doc = toDocument(name, row);
      return { replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } };
    });
    await collection(this.ctx, name).bulkWrite(operations, { ordered: false });
    if (name === 'events') {
      // Copied events keep their seq; new appends must continue after the highest one.
      const highest = Math.max(...rows.map((r) => Number(r.seq)));
      await this.ctx.db.collection<{ _id: string; seq: number }>(COUNTERS).updateOne({ _id: 'events' }, { $max: { seq: highest } }, { upsert: true });
    }
  }

  async clear(name: CollectionName): Promise<void> {
    await collection(this.ctx, name).deleteMany({});
  }
}
