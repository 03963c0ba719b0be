import type { Document, Filter } from 'mongodb';
import type { ChatMessage, ChatQuery, ChatRecord, ChatRow, ChatsRepository } from '../chats.js';
import type { ContactRecord, MessageRecord } from '../store.js';
import { collection, documentId, escapeRegex, fromDocument, type MongoContext, sessionOf, type StoredDocument } from './documents.js';

function chatRecord(row: ChatRow, message: MessageRecord | undefined, contact: ContactRecord | undefined): ChatRecord {
  return {
    instanceId: row.instanceId,
    chatJid: row.chatJid,
    contactName: contact?.name ?? null,
    pushName: contact?.pushName ?? null,
    number: contact?.number ?? row.chatJid.split('@')[0],
    lastMessage: message
      ? {
          messageId: message.messageId,
          messageType: message.messageType,
          text: message.content ?? message.caption,
          fromMe: message.fromMe,
          status: message.status,
          timestamp: message.timestamp,
          deleted: message.metadata.deletedAt !== undefined,
        }
      : null,
    lastActivityAt: row.lastActivityAt,
    unreadCount: row.unreadCount,
  };
}

export class MongoChatsRepository implements ChatsRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get chats() {
    return collection(this.ctx, 'chats');
  }

  async noteMessage(message: ChatMessage, now: number): Promise<void> {
    const key = { instanceId: message.instanceId, chatJid: message.remoteJid };
    const newer = { $gte: [message.timestamp, '$lastActivityAt'] };
    // A pipeline update: the last message moves only to a message not older than it, in one step.
    await this.chats.updateOne(
      { _id: documentId('chats', key) },
      [
        {
          $set: {
            // Literals: a value starting with `$` would otherwise be read as a field path.
            instanceId: { $literal: key.instanceId },
            chatJid: { $literal: key.chatJid },
            createdAt: { $ifNull: ['$createdAt', now] },
            lastMessageId: { $cond: [{ $or: [{ $eq: [{ $type: '$lastActivityAt' }, 'missing'] }, newer] }, { $literal: message.id }, '$lastMessageId'] },
            lastActivityAt: { $max: ['$lastActivityAt', message.timestamp] },
            unreadCount: { $add: [{ $ifNull: ['$unreadCount', 0] }, message.fromMe ? 0 : 1] },
            updatedAt: now,
          },
        },
      ],
      { upsert: true, ...sessionOf(this.ctx) },
    );
  }

  async find(instanceId: string, chatJid: string): Promise<ChatRecord | undefined> {
    const doc = await this.chats.findOne({ _id: documentId('chats', { instanceId, chatJid }) }, sessionOf(this.ctx));
    if (!doc) return undefined;
    const [chat] = await this.withDetails([fromDocument<ChatRow>('chats', doc)]);
    return chat;
  }

  async list(query: ChatQuery): Promise<{ items: ChatRecord[]; total: number }> {
    const filter: Filter<StoredDocument> = { instanceId: query.instanceId };
    if (query.search) {
      const pattern = { $regex: escapeRegex(query.search), $options: 'i' };
      // Names live on contacts: the chats whose contact matches, or whose JID does.
      const named = await collection(this.ctx, 'contacts')
        .find({ instanceId: query.instanceId, $or: [{ name: pattern }, { pushName: pattern }] }, { projection: { remoteJid: 1 }, ...sessionOf(this.ctx) })
        .toArray();
      filter.$or = [{ chatJid: pattern }, { chatJid: { $in: named.map((c) => c.remoteJid as string) } }];
    }
    // One after the other: a session (transaction) runs one operation at a time.
    const docs = await this.chats.find(filter, sessionOf(this.ctx)).sort({ lastActivityAt: -1, lastMessageId: -1 }).skip(query.skip).limit(query.limit).toArray();
    const total = await this.chats.countDocuments(filter, sessionOf(this.ctx));
    return { items: await this.withDetails(docs.map((d) => fromDocument<ChatRow>('chats', d))), total };
  }

  async markRead(instanceId: string, chatJid: string, now: number): Promise<boolean> {
    const result = await this.chats.updateOne(
      { _id: documentId('chats', { instanceId, chatJid }) },
      { $set: { unreadCount: 0, updatedAt: now } },
      sessionOf(this.ctx),
    );
    return result.matchedCount > 0;
  }

  /** The page's last messages and contacts, two queries for the whole page. */
  private async withDetails(rows: ChatRow[]): Promise<ChatRecord[]> {
    if (rows.length === 0) return [];
    const instanceId = rows[0].instanceId;
    const byMessage = new Map<string, MessageRecord>();
    const byJid = new Map<string, ContactRecord>();
    const messages = await collection(this.ctx, 'messages')
      .find({ _id: { $in: rows.map((r) => r.lastMessageId) } }, sessionOf(this.ctx))
      .toArray();
    for (const doc of messages as Document[]) {
      const message = fromDocument<MessageRecord>('messages', doc);
      byMessage.set(message.id, message);
    }
    const contacts = await collection(this.ctx, 'contacts')
      .find({ instanceId, remoteJid: { $in: rows.map((r) => r.chatJid) } }, sessionOf(this.ctx))
      .toArray();
    for (const doc of contacts as Document[]) {
      const contact = fromDocument<ContactRecord>('contacts', doc);
      byJid.set(contact.remoteJid, contact);
    }
    return rows.map((row) => chatRecord(row, byMessage.get(row.lastMessageId), byJid.get(row.chatJid)));
  }
}
