import { MAX_CHANGE_ATTEMPTS, type MessageChanger, type MessageQuery, type MessageRecord, type MessagesRepository } from '../store.js';
import { collection, fromDocument, messageChatFilter, type MongoContext, sessionOf, toDocument } from './documents.js';

export class MongoMessagesRepository implements MessagesRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get messages() {
    return collection(this.ctx, 'messages');
  }

  async insert(message: MessageRecord): Promise<boolean> {
    // An upsert that only inserts: a duplicate is ignored without the error that would abort a transaction.
    // The key fields come from the filter; $setOnInsert names only the rest.
    const { instanceId, messageId, ...fields } = toDocument('messages', { ...message });
    const result = await this.messages.updateOne(
      { instanceId, messageId },
      { $setOnInsert: fields },
      { upsert: true, ...sessionOf(this.ctx) },
    );
    return result.upsertedCount === 1;
  }

  async findByMessageId(instanceId: string, messageId: string): Promise<MessageRecord | undefined> {
    const doc = await this.messages.findOne({ instanceId, messageId }, sessionOf(this.ctx));
    return doc ? fromDocument<MessageRecord>('messages', doc) : undefined;
  }

  async findByMediaPath(instanceId: string, mediaPath: string): Promise<MessageRecord | undefined> {
    const doc = await this.messages.findOne({ instanceId, mediaPath }, sessionOf(this.ctx));
    return doc ? fromDocument<MessageRecord>('messages', doc) : undefined;
  }

  async listChat(query: MessageQuery): Promise<{ items: MessageRecord[]; total: number }> {
    const filter = messageChatFilter(query);
    // One after the other: a session (transaction) runs one operation at a time.
    const docs = await this.messages.find(filter, sessionOf(this.ctx)).sort({ timestamp: -1, _id: -1 }).skip(query.skip).limit(query.limit).toArray();
    const total = await this.messages.countDocuments(filter, sessionOf(this.ctx));
    return { items: docs.map((d) => fromDocument<MessageRecord>('messages', d)), total };
  }

  async updateStatus(instanceId: string, messageId: string, status: string, at: number): Promise<MessageRecord | undefined> {
    const doc = await this.messages.findOneAndUpdate(
      { instanceId, messageId },
      { $set: { status, statusUpdatedAt: at, updatedAt: at } },
      { returnDocument: 'after', ...sessionOf(this.ctx) },
    );
    return doc ? fromDocument<MessageRecord>('messages', doc) : undefined;
  }

  async advanceStatus(instanceId: string, messageId: string, status: string, unless: readonly string[], at: number): Promise<MessageRecord | undefined> {
    const doc = await this.messages.findOneAndUpdate(
      { instanceId, messageId, status: { $nin: [...unless] } },
      { $set: { status, statusUpdatedAt: at, updatedAt: at } },
      { returnDocument: 'after', ...sessionOf(this.ctx) },
    );
    return doc ? fromDocument<MessageRecord>('messages', doc) : undefined;
  }

  async change(instanceId: string, messageId: string, changer: MessageChanger, at: number): Promise<MessageRecord | undefined> {
    for (let attempt = 0; attempt < MAX_CHANGE_ATTEMPTS; attempt++) {
      const doc = await this.messages.findOne({ instanceId, messageId }, sessionOf(this.ctx));
      if (!doc) return undefined;
      const current = fromDocument<MessageRecord>('messages', doc);
      const patch = changer(current);
      if (!patch) return current;
      // Compare and set on the metadata as read: a change that landed in between makes this miss.
      const written = await this.messages.findOneAndUpdate(
        { instanceId, messageId, metadata: doc.metadata },
        { $set: { content: patch.content, caption: patch.caption, metadata: patch.metadata, updatedAt: at } },
        { returnDocument: 'after', ...sessionOf(this.ctx) },
      );
      if (written) return fromDocument<MessageRecord>('messages', written);
    }
    throw new Error(`message ${messageId} changed under every one of ${MAX_CHANGE_ATTEMPTS} attempts`);
  }

  count(): Promise<number> {
    return this.messages.countDocuments({}, sessionOf(this.ctx));
  }
}
