import { Type } from '@sinclair/typebox';
import { Nullable } from './common.js';
import { Phone } from './messaging.js';

export const MessageParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  messageId: Type.String({ minLength: 1, maxLength: 128, description: 'The id send returned, or history’s messageId' }),
});

export const ReactionBody = Type.Object({
  emoji: Type.String({ maxLength: 32, description: 'One emoji; "" takes our reaction back' }),
});

export const EditBody = Type.Object({
  message: Type.String({ minLength: 1, maxLength: 65_536, description: 'The new text' }),
});

export const DeleteQuery = Type.Object({
  forMe: Type.Optional(Type.Boolean({ description: 'Only mark it deleted on this account; default false (delete for everyone)' })),
});

export const DeleteResponse = Type.Object({
  id: Nullable(Type.String({ description: 'WhatsApp id of the delete; null when deleted only here (forMe)' })),
});

export const ForwardBody = Type.Object({ phone: Phone });
