import { Type } from '@sinclair/typebox';
import { Phone, ReplyFields } from './messaging.js';

export const SendLocationBody = Type.Object({
  phone: Phone,
  latitude: Type.Number({ minimum: -90, maximum: 90, description: 'Degrees, -90 to 90' }),
  longitude: Type.Number({ minimum: -180, maximum: 180, description: 'Degrees, -180 to 180' }),
  name: Type.Optional(Type.String({ maxLength: 256, description: 'Name of the place' })),
  address: Type.Optional(Type.String({ maxLength: 1024 })),
  ...ReplyFields,
});

export const MAX_CARDS = 10;

const Card = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 256 }),
  phone: Type.String({ minLength: 1, maxLength: 100, description: 'Phone number of the contact, in international format' }),
  organization: Type.Optional(Type.String({ maxLength: 256 })),
  email: Type.Optional(Type.String({ maxLength: 320, format: 'email' })),
});

export const SendContactBody = Type.Object({
  phone: Phone,
  contacts: Type.Array(Card, { minItems: 1, maxItems: MAX_CARDS, description: '1 to 10 cards, sent as vCards in one message' }),
  ...ReplyFields,
});

export const SendPollBody = Type.Object({
  phone: Phone,
  question: Type.String({ minLength: 1, maxLength: 255 }),
  options: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 2, maxItems: 12, uniqueItems: true, description: '2 to 12 different options' }),
  multipleAnswers: Type.Optional(Type.Boolean({ description: 'Whether a voter may pick several options; default false' })),
  ...ReplyFields,
});
