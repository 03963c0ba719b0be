/** Conversations: one row per (instance, chat JID), kept with every stored message. */

/** What a chat row holds; the list joins the rest (last message, contact) at read time. */
export interface ChatRow {
  instanceId: string;
  chatJid: string;
  /** Row id (`MessageRecord.id`, time-ordered) of the newest message. */
  lastMessageId: string;
  /** Time of the newest message (WhatsApp's, epoch ms). */
  lastActivityAt: number;
  /** Inbound messages since the chat was last read. */
  unreadCount: number;
  createdAt: number;
  updatedAt: number;
}

/** The newest message of a chat, as the conversation list shows it. */
export interface ChatLastMessage {
  messageId: string;
  messageType: string;
  /** The text, or a media message's caption; null when it has neither. */
  text: string | null;
  fromMe: boolean;
  status: string;
  timestamp: number;
  /** The message was deleted for everyone (its metadata has `deletedAt`). */
  deleted: boolean;
}

export interface ChatRecord {
  instanceId: string;
  chatJid: string;
  /** The contact's saved name; null when none is stored. */
  contactName: string | null;
  /** The name the sender gave themselves in WhatsApp; null when unknown. */
  pushName: string | null;
  /** The contact's number (the JID's user part when no contact is stored). */
  number: string;
  /** Null only if the message row has gone (an instance being deleted). */
  lastMessage: ChatLastMessage | null;
  lastActivityAt: number;
  unreadCount: number;
}

export interface ChatQuery {
  instanceId: string;
  /** Case-insensitive substring of the contact's name, push name or the chat JID (so the phone). */
  search?: string;
  limit: number;
  skip: number;
}

/** The message a chat notes: the stored row's fields that matter to it. */
export interface ChatMessage {
  /** The row id: time-ordered, so it breaks ties between messages of one second. */
  id: string;
  instanceId: string;
  remoteJid: string;
  messageId: string;
  fromMe: boolean;
  timestamp: number;
}

export interface ChatsRepository {
  /**
   * Notes a message just stored, in the same transaction as its insert: creates the chat, makes
   * the message its last one unless the chat already has a newer one (a tie goes to the later
   * insert, as history orders ties), and counts an inbound message as unread.
   */
  noteMessage(message: ChatMessage, now: number): Promise<void>;
  find(instanceId: string, chatJid: string): Promise<ChatRecord | undefined>;
  /** Newest activity first; a tie in time goes to the chat whose last message was stored later. */
  list(query: ChatQuery): Promise<{ items: ChatRecord[]; total: number }>;
  /** Sets the unread count to 0; false when the instance has no such chat. */
  markRead(instanceId: string, chatJid: string, now: number): Promise<boolean>;
}
