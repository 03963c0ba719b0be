import { Type } from '@sinclair/typebox';
import { Phone } from './messaging.js';

const ChatId = Type.String({ minLength: 1, maxLength: 200, description: 'Phone number or JID of the chat' });

export const ReadBody = Type.Object({
  chatId: ChatId,
  messageIds: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 100, description: "Messages of the chat to mark read; the chat's unread ones when absent" }),
  ),
});

export const ReadResponse = Type.Object({
  chatId: Type.String(),
  messageIds: Type.Array(Type.String(), { description: 'The received messages whose senders were sent a read receipt' }),
});

const PresenceStates = [Type.Literal('available'), Type.Literal('unavailable'), Type.Literal('composing'), Type.Literal('recording'), Type.Literal('paused')];

export const PresenceBody = Type.Object({
  chatId: Type.Optional(ChatId),
  state: Type.Union(PresenceStates, {
    description: 'available/unavailable: online or not, to everyone; composing (typing), recording (a voice note), paused: in the chat chatId',
  }),
});

export const ChatPresenceParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), chatId: ChatId });

export const ChatPresenceResponse = Type.Object({
  chatId: Type.String({ description: 'The chat JID' }),
  state: Type.Union([...PresenceStates, Type.Null()], {
    description: 'composing (typing), recording (a voice note), paused, available or unavailable; null when nothing was heard in the last 30 seconds',
  }),
  from: Type.Union([Type.String(), Type.Null()], { description: "Who showed it: the peer, or a group's member" }),
  at: Type.Union([Type.String(), Type.Null()], { description: 'When it was heard, ISO time' }),
});

export const CheckNumbersBody = Type.Object({
  phones: Type.Array(Phone, { minItems: 1, maxItems: 100 }),
});

export const CheckNumbersResponse = Type.Object({
  results: Type.Array(
    Type.Object({
      phone: Type.String({ description: 'As given' }),
      exists: Type.Boolean({ description: 'Whether it is a WhatsApp account' }),
      jid: Type.String({ description: 'The JID to send to' }),
      lid: Type.Optional(Type.String({ description: "The account's LID (…@lid), when WhatsApp gave one" })),
    }),
  ),
});
