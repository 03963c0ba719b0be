import { Type } from '@sinclair/typebox';
import { FreeForm, Limit, Nullable, Pagination, Skip } from './common.js';

export const Phone = Type.String({ minLength: 1, maxLength: 100, description: 'Phone number in international format (79001234567, +7 900 123-45-67) or a JID (…@s.whatsapp.net, …@g.us, …@lid)' });
const Caption = Type.String({ maxLength: 4096 });
export const MAX_MENTIONS = 100;

/** What every send accepts besides its content: a reply and mentions. */
export const ReplyFields = {
  quotedMessageId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 128, description: 'Reply to this message of the same chat: the id send returned or history shows as messageId' }),
  ),
  mentions: Type.Optional(Type.Array(Phone, { maxItems: MAX_MENTIONS, description: 'Phone numbers or JIDs the message mentions' })),
};

export const SendTextBody = Type.Object({
  phone: Phone,
  message: Type.String({ minLength: 1, maxLength: 65_536 }),
  ...ReplyFields,
});

export const MediaKindField = Type.Union(
  [Type.Literal('image'), Type.Literal('video'), Type.Literal('audio'), Type.Literal('voice'), Type.Literal('document'), Type.Literal('sticker')],
  { description: 'How to send the file; its MIME type decides when absent. voice: a voice note (Ogg/Opus as is, other audio converted with ffmpeg, 415 without it); sticker: WebP only' },
);

export const SendMediaBody = Type.Object({
  phone: Phone,
  kind: Type.Optional(MediaKindField),
  ...ReplyFields,
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL of the file to send' }),
  caption: Type.Optional(Caption),
  filename: Type.Optional(Type.String({ maxLength: 255 })),
  mimeType: Type.Optional(Type.String({ maxLength: 255, pattern: '^[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+(\\s*;.*)?$' })),
});

/** The send-file form, for the OpenAPI document (the route reads and checks the form itself). */
export const SendFileForm = Type.Object({
  phone: Phone,
  caption: Type.Optional(Caption),
  kind: Type.Optional(MediaKindField),
  quotedMessageId: ReplyFields.quotedMessageId,
  mentions: Type.Optional(Type.String({ description: 'Phone numbers or JIDs the message mentions, comma-separated (or the field repeated)' })),
  file: Type.String({ format: 'binary', description: 'The file; its name and type are kept as metadata' }),
});

export const SendResponse = Type.Object({ id: Type.String({ description: 'WhatsApp message id' }) });

export const MediaParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  file: Type.String({ minLength: 1, maxLength: 100 }),
});

export const ChatParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  chatId: Type.String({ minLength: 1, maxLength: 200, description: 'Phone number or JID of the chat' }),
});

export const ChatHistoryQuery = Type.Object({
  limit: Limit(50),
  skip: Skip,
  startDate: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601' })),
  endDate: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601' })),
});

const MessageTypeName = Type.String({
  description: 'text, image, video, audio, voice (a voice note), document, sticker, location, contact, poll; unknown for anything else',
});

const Reaction = Type.Object({ from: Type.String({ description: 'JID of who reacted' }), emoji: Type.String(), at: Type.String({ description: 'When the sender last set it' }) });

const Lid = Type.String({ description: 'The LID (…@lid) WhatsApp addressed the other side by; remoteJid is its phone-number JID whenever that is known' });

export const MessageView = Type.Object({
  id: Type.String(),
  instanceId: Type.String(),
  remoteJid: Type.String({ description: 'The chat: the phone-number JID whenever WhatsApp or a stored LID mapping tells it, else the LID' }),
  lid: Type.Optional(Lid),
  fromMe: Type.Boolean(),
  senderJid: Nullable(Type.String()),
  messageType: MessageTypeName,
  content: Nullable(Type.String({ description: 'The text (the latest edit), caption or a summary; null once deleted' })),
  messageId: Type.String(),
  hasMedia: Type.Boolean(),
  mediaUrl: Nullable(Type.String()),
  mediaSize: Nullable(Type.Integer()),
  caption: Nullable(Type.String()),
  mimeType: Nullable(Type.String()),
  fileName: Nullable(Type.String()),
  status: Type.String(),
  metadata: FreeForm,
  timestamp: Type.String({ description: 'Message time from WhatsApp' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  statusUpdatedAt: Nullable(Type.String()),
  author: Type.Optional(Type.String({ description: 'In a group: who wrote it (a phone JID, or a LID when no phone is known)' })),
  quotedMessageId: Type.Optional(Type.String({ description: 'The message this one replies to' })),
  mentions: Type.Optional(Type.Array(Type.String(), { description: 'JIDs the message mentions' })),
  location: Type.Optional(
    Type.Object({ latitude: Type.Number(), longitude: Type.Number(), name: Type.Optional(Type.String()), address: Type.Optional(Type.String()) }),
  ),
  contacts: Type.Optional(Type.Array(Type.Object({ name: Type.String(), phone: Type.Optional(Type.String()), vcard: Type.String() }))),
  poll: Type.Optional(
    Type.Object({
      question: Type.String(),
      options: Type.Array(Type.String()),
      multipleAnswers: Type.Boolean(),
      votes: Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Voter JIDs per option name; every option is listed' }),
    }),
  ),
  reactions: Type.Optional(Type.Array(Reaction, { description: 'One per sender, in the order they were last set' })),
  editedAt: Type.Optional(Type.String({ description: 'When the text was last edited' })),
  edits: Type.Optional(Type.Array(Type.String(), { description: 'The texts before each edit, oldest first' })),
  deletedAt: Type.Optional(Type.String({ description: 'When it was deleted for everyone; its content is no longer shown' })),
});

export const ChatHistoryResponse = Type.Object({ messages: Type.Array(MessageView), pagination: Pagination });

export const EventsQuery = Type.Object({
  since: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601; only events after it, oldest first' })),
  limit: Limit(20),
  types: Type.Optional(Type.String({ maxLength: 1000, description: 'Comma-separated event types, e.g. message_sent,message_received' })),
});

export const EventsResponse = Type.Object({
  events: Type.Array(Type.Object({ id: Type.String(), type: Type.String(), timestamp: Type.String(), data: FreeForm })),
  latestTimestamp: Nullable(Type.String()),
  count: Type.Integer(),
  hasMore: Type.Boolean(),
});

export const LiveContactsResponse = Type.Object({
  contacts: Type.Array(
    Type.Object({
      id: Type.String({ description: 'The phone JID when known, else the LID' }),
      name: Type.String(),
      number: Type.String(),
      isGroup: Type.Boolean(),
      lid: Type.Optional(Type.String({ description: "The contact's LID (…@lid), when WhatsApp or the stored mapping knows it" })),
    }),
  ),
});

export const AddContactBody = Type.Object({
  phone: Phone,
  name: Type.String({ minLength: 1, maxLength: 200 }),
});

export const AddContactResponse = Type.Object({
  success: Type.Boolean(),
  message: Type.String(),
  contact: Type.Object({ id: Type.String(), number: Type.String(), name: Type.String() }),
});

export const ContactView = Type.Object({
  id: Type.String(),
  instanceId: Type.String(),
  name: Nullable(Type.String()),
  number: Type.String(),
  remoteJid: Type.String({ description: 'The phone-number JID whenever it is known, else the LID' }),
  lid: Nullable(Type.String({ description: 'The LID (…@lid) WhatsApp addressed the contact by, when it did' })),
  pushName: Nullable(Type.String()),
  isGroup: Type.Boolean(),
  profilePicture: Nullable(Type.String()),
  about: Nullable(Type.String()),
  lastActivity: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const StoredContactsQuery = Type.Object({
  limit: Limit(100),
  skip: Skip,
  search: Type.Optional(Type.String({ maxLength: 200 })),
  onlyGroups: Type.Optional(Type.Boolean()),
});

export const StoredContactsResponse = Type.Object({ contacts: Type.Array(ContactView), pagination: Pagination });

export const ImportContactsResponse = Type.Object({ success: Type.Boolean(), message: Type.String(), importedCount: Type.Integer() });

export const SaveContactBody = Type.Object({
  number: Type.String({ minLength: 1, maxLength: 100, description: 'Phone number, JID, or a group id with isGroup: true' }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  pushName: Type.Optional(Type.String({ maxLength: 200 })),
  isGroup: Type.Optional(Type.Boolean()),
  profilePicture: Type.Optional(Type.String({ maxLength: 2048 })),
  about: Type.Optional(Type.String({ maxLength: 1000 })),
});
