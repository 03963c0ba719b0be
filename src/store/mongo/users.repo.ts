import type { Filter } from 'mongodb';
import type { Page, UserRecord, UsersRepository } from '../store.js';
import { collection, definedFields, fromDocument, type MongoContext, sessionOf, type StoredDocument, toDocument } from './documents.js';

export class MongoUsersRepository implements UsersRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get users() {
    return collection(this.ctx, 'users');
  }

  async insert(user: UserRecord): Promise<void> {
    await this.users.insertOne(toDocument('users', { ...user }), sessionOf(this.ctx));
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    return this.findOne({ _id: id });
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    return this.findOne({ email });
  }

  async findByApiKeyIndex(index: string): Promise<UserRecord | undefined> {
    return this.findOne({ apiKeyIndex: index });
  }

  async list(page: Page): Promise<{ items: UserRecord[]; total: number }> {
    // One after the other: a session (transaction) runs one operation at a time.
    const docs = await this.users.find({}, sessionOf(this.ctx)).sort({ createdAt: 1, _id: 1 }).skip(page.skip).limit(page.limit).toArray();
    const total = await this.users.countDocuments({}, sessionOf(this.ctx));
    return { items: docs.map(userFromDocument), total };
  }

  async update(id: string, patch: Partial<Omit<UserRecord, 'id' | 'createdAt'>>): Promise<UserRecord | undefined> {
    const fields = definedFields(patch);
    if (Object.keys(fields).length > 0) await this.users.updateOne({ _id: id }, { $set: fields }, sessionOf(this.ctx));
    return this.findById(id);
  }

  async delete(id: string): Promise<boolean> {
    await collection(this.ctx, 'limits').deleteMany({ scope: 'user', scopeId: id }, sessionOf(this.ctx));
    const result = await this.users.deleteOne({ _id: id }, sessionOf(this.ctx));
    return result.deletedCount > 0;
  }

  count(): Promise<number> {
    return this.users.countDocuments({}, sessionOf(this.ctx));
  }

  private async findOne(filter: Filter<StoredDocument>): Promise<UserRecord | undefined> {
    const doc = await this.users.findOne(filter, sessionOf(this.ctx));
    return doc ? userFromDocument(doc) : undefined;
  }
}

/** Users stored before token versions existed have none: version 0, what their tokens carry. */
function userFromDocument(doc: StoredDocument): UserRecord {
  const user = fromDocument<UserRecord>('users', doc);
  return { ...user, tokenVersion: user.tokenVersion ?? 0 };
}
