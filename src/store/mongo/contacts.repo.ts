import { randomUUID } from 'node:crypto';
import type { ContactPatch, ContactQuery, ContactRecord, ContactsRepository } from '../store.js';
import { collection, contactFilter, definedFields, fromDocument, type MongoContext, sessionOf } from './documents.js';

export class MongoContactsRepository implements ContactsRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get contacts() {
    return collection(this.ctx, 'contacts');
  }

  async upsert(instanceId: string, remoteJid: string, patch: ContactPatch, now: number): Promise<ContactRecord> {
    const set = definedFields(patch);
    const defaults: Record<string, unknown> = {
      number: remoteJid.split('@')[0],
      lid: null,
      name: null,
      pushName: null,
      isGroup: remoteJid.endsWith('@g.us'),
      profilePicture: null,
      about: null,
      lastActivity: null,
    };
    // A field goes in $set or $setOnInsert, never both: the patch wins, defaults only fill a new contact.
    const onInsert = Object.fromEntries(Object.entries(defaults).filter(([field]) => !(field in set)));
    const doc = await this.contacts.findOneAndUpdate(
      { instanceId, remoteJid },
      { $set: { ...set, updatedAt: now }, $setOnInsert: { _id: randomUUID(), createdAt: now, ...onInsert } },
      { upsert: true, returnDocument: 'after', ...sessionOf(this.ctx) },
    );
    if (!doc) throw new Error(`contact ${remoteJid} vanished after upsert`);
    return fromDocument<ContactRecord>('contacts', doc);
  }

  async find(instanceId: string, remoteJid: string): Promise<ContactRecord | undefined> {
    const doc = await this.contacts.findOne({ instanceId, remoteJid }, sessionOf(this.ctx));
    return doc ? fromDocument<ContactRecord>('contacts', doc) : undefined;
  }

  async list(query: ContactQuery): Promise<{ items: ContactRecord[]; total: number }> {
    const filter = contactFilter(query);
    const docs = await this.contacts.find(filter, sessionOf(this.ctx)).sort({ name: 1, remoteJid: 1 }).skip(query.skip).limit(query.limit).toArray();
    const total = await this.contacts.countDocuments(filter, sessionOf(this.ctx));
    return { items: docs.map((d) => fromDocument<ContactRecord>('contacts', d)), total };
  }
}
