import type { EngineEvent, MediaKind, MessageChange, NormalizedMessage, Poll } from '../engine.js';
import { SimulatorStateError } from './options.js';
import { vcard } from './wire-format.js';

interface Card {
  name: string;
  phone: string;
}

/**
 * What a simulated phone puts in a chat: exactly one kind of content, or one change to an
 * earlier message of the chat (a reaction, an edit, a delete, a poll vote).
 */
export interface ChatContent {
  text?: string;
  /** With `text`: the id of the message this one replies to. */
  quotedMessageId?: string;
  media?: { kind: MediaKind; data: Buffer; mimeType: string; fileName?: string; caption?: string };
  contact?: Card;
  /** Several cards in one message. */
  contacts?: Card[];
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  poll?: Poll;
  /** With a message: the JIDs it mentions. */
  mentions?: string[];
  reaction?: { targetMessageId: string; emoji: string };
  edit?: { targetMessageId: string; text: string };
  delete?: { targetMessageId: string };
  pollVote?: { targetMessageId: string; options: string[] };
}

const KINDS = ['text', 'media', 'contact', 'contacts', 'location', 'poll', 'reaction', 'edit', 'delete', 'pollVote'] as const;

type Envelope = Omit<NormalizedMessage, 'type'>;

/** The cards `content` carries (a single `contact` is a list of one). */
export function cardsOf(content: ChatContent): Card[] {
  return content.contacts ?? (content.contact ? [content.contact] : []);
}

/**
 * What a linked device sees for `content` sent in a chat: a message, or for a change the update
 * of the message it targets (carried by a protocol message with the envelope's id).
 */
export function chatEvent(envelope: Envelope, content: ChatContent): EngineEvent {
  const given = KINDS.filter((k) => content[k] !== undefined);
  if (given.length !== 1) {
    throw new SimulatorStateError(`A simulated message needs exactly one of ${KINDS.join(', ')}`);
  }
  const change = changeOf(content);
  if (change) {
    const fromJid = envelope.senderJid ?? envelope.chatJid;
    const lid = envelope.lid ? { lid: envelope.lid } : {};
    return { type: 'message_update', update: { targetMessageId: change.target, chatJid: envelope.chatJid, fromJid, ...lid, fromMe: envelope.fromMe, change: change.change, timestamp: envelope.timestamp } };
  }
  const message = chatMessage(envelope, content);
  if (content.mentions) message.mentions = content.mentions;
  return { type: 'message', message };
}

function chatMessage(envelope: Envelope, content: ChatContent): NormalizedMessage {
  if (content.media) {
    const { data, kind, mimeType, fileName, caption } = content.media;
    return { ...envelope, type: kind, caption, media: { kind, mimeType, fileName, size: data.length, download: async () => data } };
  }
  const cards = cardsOf(content);
  if (cards.length > 0) {
    // WhatsApp's card names the account by its digits (waid), whatever way the number was typed.
    return { ...envelope, type: 'contact', contacts: cards.map(({ name, phone }) => ({ name, phone: phone.replace(/\D/g, ''), vcard: vcard(name, phone) })) };
  }
  if (content.location) return { ...envelope, type: 'location', location: { ...content.location } };
  if (content.poll) return { ...envelope, type: 'poll', poll: { ...content.poll, options: [...content.poll.options] } };
  return { ...envelope, type: 'text', text: content.text, quotedMessageId: content.quotedMessageId };
}

function changeOf(content: ChatContent): { target: string; change: MessageChange } | undefined {
  if (content.reaction) return { target: content.reaction.targetMessageId, change: { kind: 'reaction', emoji: content.reaction.emoji } };
  if (content.edit) return { target: content.edit.targetMessageId, change: { kind: 'edit', text: content.edit.text } };
  if (content.delete) return { target: content.delete.targetMessageId, change: { kind: 'delete' } };
  if (content.pollVote) return { target: content.pollVote.targetMessageId, change: { kind: 'poll_vote', options: [...content.pollVote.options] } };
  return undefined;
}

export interface InboundMessage extends ChatContent {
  /** Phone number, phone JID or LID (`…@lid`) of the virtual sender. */
  from: string;
  /**
   * With a phone `from`: the LID the peer writes from. WhatsApp then names both, and the device
   * keeps the mapping, so a later message from the bare LID is known by its number.
   */
  lid?: string;
  /** The group JID when the sender writes in a group rather than to us. */
  group?: string;
  pushName?: string;
}

export interface PhoneMessage extends ChatContent {
  /** Phone number or JID of the chat the account's own phone writes to. */
  to: string;
}
