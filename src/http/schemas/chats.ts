import { Type } from '@sinclair/typebox';
import { Limit, Nullable, Pagination, Skip } from './common.js';

export const ChatsQuery = Type.Object({
  limit: Limit(50),
  skip: Skip,
  search: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name, push name or phone number, any case' })),
});

export const ChatLastMessageView = Type.Object({
  id: Type.String({ description: 'WhatsApp message id' }),
  type: Type.String({ description: 'text, image, video, audio, voice, document, sticker, location, contact, poll, …' }),
  preview: Nullable(Type.String({ description: 'The text or caption, cut to 200 characters; null once deleted' })),
  deleted: Type.Boolean({ description: 'Deleted for everyone' }),
  fromMe: Type.Boolean(),
  status: Type.String(),
  timestamp: Type.String({ description: 'Message time from WhatsApp' }),
});

export const ChatView = Type.Object({
  chatId: Type.String({ description: 'JID of the chat; use it (or the phone) as :chatId' }),
  phone: Type.String({ description: 'The number part of the JID (a group id for groups)' }),
  name: Type.String({ description: 'The saved contact name, else the WhatsApp push name, else the phone' }),
  isGroup: Type.Boolean(),
  unreadCount: Type.Integer({ minimum: 0, description: 'Inbound messages since the chat was last marked read' }),
  lastActivityAt: Type.String({ description: 'Time of the newest message' }),
  lastMessage: Nullable(ChatLastMessageView),
});

export const ChatsResponse = Type.Object({ chats: Type.Array(ChatView), pagination: Pagination });
