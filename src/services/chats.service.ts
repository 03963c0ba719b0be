import { NotFoundError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import { resolveRecipient } from './recipients.js';
import type { SessionManager } from './sessions.js';
import type { ChatRecord } from '../store/chats.js';
import type { Store, UserRecord } from '../store/store.js';
import type { InstancesService } from './instances.service.js';

export interface ChatListQuery {
  limit: number;
  skip: number;
  search?: string;
}

/**
 * The conversation list. Chats are kept by the messaging service with every stored message (in
 * its transaction); here they are read and marked read.
 */
export class ChatsService {
  constructor(
    private readonly store: Store,
    private readonly instances: InstancesService,
    private readonly sessions: SessionManager,
    private readonly clock: Clock,
  ) {}

  /** Newest activity first. */
  async list(user: UserRecord, instanceId: string, query: ChatListQuery): Promise<{ items: ChatRecord[]; total: number }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const search = query.search?.trim() || undefined;
    return this.store.chats.list({ instanceId: instance.id, search, limit: query.limit, skip: query.skip });
  }

  /** Sets the chat's unread count to 0. `chatId` is a phone number or any JID, as in history. */
  async markRead(user: UserRecord, instanceId: string, chatId: string): Promise<ChatRecord> {
    const instance = await this.instances.getOwned(user, instanceId);
    const chat = await resolveRecipient(this.sessions, instance.id, chatId, 'chatId');
    const notFound = () => new NotFoundError(`Chat ${chatId} not found: the instance has no message with it`);
    if (!(await this.store.chats.markRead(instance.id, chat.jid, this.clock()))) throw notFound();
    const read = await this.store.chats.find(instance.id, chat.jid);
    if (!read) throw notFound();
    return read;
  }
}
