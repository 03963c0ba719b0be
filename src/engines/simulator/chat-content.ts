import type { MediaKind, NormalizedMessage } from '../engine.js';
import { SimulatorStateError } from './options.js';
import { vcard } from './wire-format.js';

/** What a simulated phone puts in a chat: exactly one kind of content. */
export interface ChatContent {
  text?: string;
  /** With `text`: the id of the message this one replies to. */
  quotedMessageId?: string;
  media?: { kind: MediaKind; data: Buffer; mimeType: string; fileName?: string; caption?: string };
  contact?: { name: string; phone: string };
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  reaction?: { targetMessageId: string; emoji: string };
}

type Envelope = Omit<NormalizedMessage, 'type'>;

/** The normalized message a linked device sees for `content` sent in a chat. */
export function chatMessage(envelope: Envelope, content: ChatContent): NormalizedMessage {
  const given = (['text', 'media', 'contact', 'location', 'reaction'] as const).filter((k) => content[k] !== undefined);
  if (given.length !== 1) {
    throw new SimulatorStateError('A simulated message needs exactly one of text, media, a contact, a location or a reaction');
  }
  if (content.media) {
    const { data, kind, mimeType, fileName, caption } = content.media;
    return { ...envelope, type: kind, caption, media: { kind, mimeType, fileName, size: data.length, download: async () => data } };
  }
  if (content.contact) {
    // WhatsApp's card names the account by its digits (waid), whatever way the number was typed.
    const { name, phone } = content.contact;
    return { ...envelope, type: 'contact', contact: { name, phone: phone.replace(/\D/g, ''), vcard: vcard(name, phone) } };
  }
  if (content.location) return { ...envelope, type: 'location', location: { ...content.location } };
  if (content.reaction) return { ...envelope, type: 'reaction', reaction: { ...content.reaction } };
  return { ...envelope, type: 'text', text: content.text, quotedMessageId: content.quotedMessageId };
}
