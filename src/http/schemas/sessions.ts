import { Type } from '@sinclair/typebox';
import { FreeForm, IsoDate, Limit, Pagination, Skip } from './common.js';

export const QrQuery = Type.Object({
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('png'), Type.Literal('svg'), Type.Literal('image')], {
      description: 'json (default): the QR string; png or svg: the picture itself; image: the string plus a PNG data URL',
    }),
  ),
});

export const QrCodeView = Type.Object({
  qrCode: Type.String({ description: 'The string to encode in a QR code (WhatsApp format)' }),
  image: Type.Optional(Type.String({ description: 'PNG data URL, with format=image' })),
});

export const QrGenerating = Type.Object({
  message: Type.String(),
  status: Type.Literal('generating'),
});

export const PairingCodeBody = Type.Object({
  phone: Type.String({ minLength: 1, maxLength: 40, description: 'The phone number of the WhatsApp account to link, international format' }),
});

export const PairingCodeView = Type.Object({ code: Type.String({ description: 'Type it on the phone: Linked devices → Link with phone number' }) });

export const WhatsappStatusView = Type.Object({ ready: Type.Boolean(), status: Type.String(), hasQr: Type.Boolean() });

export const ActivityQuery = Type.Object({
  limit: Limit(100),
  skip: Skip,
  actions: Type.Optional(Type.String({ maxLength: 500, description: 'Comma-separated actions, e.g. connected,disconnected,qr_received' })),
  startDate: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601' })),
  endDate: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601' })),
});

export const ActivityView = Type.Object({
  logs: Type.Array(
    Type.Object({
      id: Type.String(),
      instanceId: Type.String(),
      action: Type.String(),
      details: FreeForm,
      createdAt: IsoDate,
    }),
  ),
  pagination: Pagination,
});

export const ScanBody = Type.Object({
  phone: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'The virtual phone number; a free one is chosen when left out' })),
  pushName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});

export const ScanView = Type.Object({ success: Type.Boolean(), phone: Type.String({ description: 'The JID the instance is linked to' }) });

const MediaKind = Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('audio'), Type.Literal('voice'), Type.Literal('document'), Type.Literal('sticker')], {
  description: '`voice` is a voice note (push-to-talk); `audio` an audio file',
});

const MessageId = Type.String({ minLength: 1, maxLength: 128, description: 'The id of the message changed (history `messageId`)' });
const Card = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), phone: Type.String({ minLength: 1, maxLength: 40 }) });

export const InboundBody = Type.Object({
  from: Type.String({ minLength: 1, maxLength: 60, description: 'Phone number, phone JID or LID (…@lid) of the virtual sender' }),
  lid: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 60,
      description:
        'With a phone-number from: the LID (…@lid) the peer writes from, as WhatsApp now addresses many chats; the instance learns the mapping, so a later message from the bare LID reports the phone number too',
    }),
  ),
  group: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'A group JID: the sender, a member, writes in that group' })),
  pushName: Type.Optional(Type.String({ maxLength: 100 })),
  text: Type.Optional(Type.String({ maxLength: 65_536 })),
  media: Type.Optional(
    Type.Object({
      kind: MediaKind,
      base64: Type.Optional(Type.String()),
      url: Type.Optional(Type.String({ maxLength: 2048 })),
      mimeType: Type.String({ minLength: 3, maxLength: 200 }),
      fileName: Type.Optional(Type.String({ maxLength: 255 })),
      caption: Type.Optional(Type.String({ maxLength: 4096 })),
    }),
  ),
  contact: Type.Optional(Card),
  location: Type.Optional(
    Type.Object({
      latitude: Type.Number({ minimum: -90, maximum: 90 }),
      longitude: Type.Number({ minimum: -180, maximum: 180 }),
      name: Type.Optional(Type.String({ maxLength: 200 })),
      address: Type.Optional(Type.String({ maxLength: 500 })),
    }),
  ),
  quotedMessageId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'With text: the message this one replies to' })),
  contacts: Type.Optional(Type.Array(Card, { minItems: 1, maxItems: 10, description: 'Several contact cards in one message' })),
  poll: Type.Optional(
    Type.Object({
      question: Type.String({ minLength: 1, maxLength: 255 }),
      options: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 2, maxItems: 12 }),
      multipleAnswers: Type.Optional(Type.Boolean({ default: false })),
    }),
  ),
  mentions: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 50, description: 'Phones or JIDs the message mentions' })),
  reaction: Type.Optional(Type.Object({ messageId: MessageId, emoji: Type.String({ maxLength: 32, description: '"" takes the reaction back' }) })),
  edit: Type.Optional(Type.Object({ messageId: MessageId, text: Type.String({ minLength: 1, maxLength: 65_536 }) })),
  delete: Type.Optional(Type.Object({ messageId: MessageId })),
  pollVote: Type.Optional(
    Type.Object({
      messageId: MessageId,
      options: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 12, description: 'Option names; [] takes the vote back' }),
    }),
  ),
  presence: Type.Optional(
    Type.Union([Type.Literal('available'), Type.Literal('unavailable'), Type.Literal('composing'), Type.Literal('recording'), Type.Literal('paused')], {
      description: 'The peer shows a presence instead of sending a message: typing (composing), recording a voice note or paused in its chat with the instance, or online/offline',
    }),
  ),
});

export const InboundView = Type.Object({
  id: Type.Optional(Type.String({ description: 'The id of the message (or of the protocol message carrying a change); absent for a presence' })),
});

export const DisconnectBody = Type.Object({
  reason: Type.Union([Type.Literal('connection_lost'), Type.Literal('bad_session'), Type.Literal('conflict'), Type.Literal('logged_out')]),
  failReconnects: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 1000, description: 'How many of the following connection attempts fail too (to exhaust the reconnect policy)' }),
  ),
});

const PresenceStateName = Type.String({ description: 'available, unavailable, composing, recording or paused' });

export const PresencesView = Type.Object({
  presences: Type.Record(Type.String(), PresenceStateName, { description: 'Peer JID → the presence it last showed the instance' }),
  shown: Type.Object({
    everyone: Type.Optional(PresenceStateName),
    chats: Type.Record(Type.String(), PresenceStateName, { description: "Chat JID → what the instance last showed there (virtual peers' chats included)" }),
  }, { description: 'What the instance showed through POST /api/whatsapp/:id/presence' }),
});
