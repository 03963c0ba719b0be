import type { PresenceState } from '../engines/engine.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import { normalizeRecipient } from '../core/phone.js';
import { resolveRecipient } from './recipients.js';
import type { InstanceRecord, MessageRecord, Store, UserRecord } from '../store/store.js';
import { fromEngine } from './engine-call.js';
import type { InstancesService } from './instances.service.js';
import { messageRefOf } from './message-mapping.js';
import type { SessionManager } from './sessions.js';

/** At most this many of a chat's newest received messages get a read receipt when none are named. */
const MAX_READ_AT_ONCE = 100;

export interface NumberCheckResult {
  phone: string;
  exists: boolean;
  jid: string;
  lid?: string;
}

/**
 * What a user does in a chat rather than to one message: mark it read (receipts to the peer),
 * show typing or online, and ask WhatsApp which numbers are accounts.
 */
export class ChatActionsService {
  constructor(
    private readonly store: Store,
    private readonly instances: InstancesService,
    private readonly sessions: SessionManager,
    private readonly clock: Clock,
  ) {}

  /**
   * Sends read receipts for the named messages, or for the chat's unread ones, and sets the
   * chat's unread count to 0. Our own messages need no receipt and are left out.
   */
  async read(user: UserRecord, instanceId: string, input: { chatId: string; messageIds?: string[] }): Promise<{ chatId: string; messageIds: string[] }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const chat = await resolveRecipient(this.sessions, instance.id, input.chatId, 'chatId');
    const stored = await this.store.chats.find(instance.id, chat.jid);
    if (!stored) throw new NotFoundError(`Chat ${input.chatId} not found: the instance has no message with it`, [{ field: 'chatId', message: 'has no messages' }]);
    const rows = input.messageIds ? await this.named(instance, chat.jid, input.messageIds) : await this.unread(instance, chat.jid, stored.unreadCount);
    const theirs = rows.filter((row) => !row.fromMe);
    if (theirs.length > 0) {
      const session = this.sessions.connectedSession(instance.id);
      await fromEngine('WhatsApp did not take the read receipts', () => session.markRead(theirs.map((row) => messageRefOf(row))));
    }
    await this.store.chats.markRead(instance.id, chat.jid, this.clock());
    return { chatId: chat.jid, messageIds: theirs.map((row) => row.messageId) };
  }

  async presence(user: UserRecord, instanceId: string, input: { chatId?: string; state: PresenceState }): Promise<{ success: true }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const inChat = input.state === 'composing' || input.state === 'recording' || input.state === 'paused';
    if (inChat && !input.chatId) {
      throw new ValidationError(`chatId is required for ${input.state}: typing and recording show in one chat`, [{ field: 'chatId', message: `is required with state ${input.state}` }]);
    }
    const chatJid = input.chatId ? (await resolveRecipient(this.sessions, instance.id, input.chatId, 'chatId')).jid : undefined;
    const session = this.sessions.connectedSession(instance.id);
    await fromEngine('WhatsApp did not take the presence', () => session.sendPresence(input.state, chatJid));
    return { success: true };
  }

  async checkNumbers(user: UserRecord, instanceId: string, phones: string[]): Promise<{ results: NumberCheckResult[] }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const jids = phones.map((phone, i) => normalizeRecipient(phone, `phones[${i}]`).jid);
    const session = this.sessions.connectedSession(instance.id);
    const checks = await fromEngine('WhatsApp did not check the numbers', () => session.account.checkNumbers(jids));
    return { results: checks.map((check, i) => ({ phone: phones[i], exists: check.exists, jid: check.jid, ...(check.lid ? { lid: check.lid } : {}) })) };
  }

  private async named(instance: InstanceRecord, chatJid: string, messageIds: string[]): Promise<MessageRecord[]> {
    const rows: MessageRecord[] = [];
    for (const [i, messageId] of messageIds.entries()) {
      const row = await this.store.messages.findByMessageId(instance.id, messageId);
      if (!row || row.remoteJid !== chatJid) {
        throw new NotFoundError(`Message ${messageId} is not a message of the chat ${chatJid}`, [{ field: `messageIds[${i}]`, message: 'is not a stored message of this chat' }]);
      }
      rows.push(row);
    }
    return rows;
  }

  /** The chat's newest received messages, as many as it has unread. */
  private async unread(instance: InstanceRecord, chatJid: string, unreadCount: number): Promise<MessageRecord[]> {
    if (unreadCount === 0) return [];
    const page = await this.store.messages.listChat({ instanceId: instance.id, remoteJid: chatJid, limit: MAX_READ_AT_ONCE, skip: 0 });
    return page.items.filter((row) => !row.fromMe).slice(0, Math.min(unreadCount, MAX_READ_AT_ONCE));
  }
}
