import { generateMessageIDV2, toNumber, type AnyMessageContent, type WAMessage, type WAMessageKey, type WASocket } from 'baileys';
import type { ContactCard, Location, MessageRef, OutgoingMedia, Poll, QuotedMessage, SendOptions, SendResult } from '../engine.js';

/**
 * Baileys labels every image `image/jpeg` and every document `application/pdf` unless told
 * otherwise, so the caller's MIME type is always passed through.
 */
export function mediaContent(media: OutgoingMedia): AnyMessageContent {
  const { data, mimeType: mimetype, caption, fileName } = media;
  switch (media.kind) {
    case 'image':
      return { image: data, mimetype, caption };
    case 'video':
      return { video: data, mimetype, caption };
    case 'audio':
      // WhatsApp plays Ogg/Opus audio as a voice note; anything else is an audio file.
      return { audio: data, mimetype, ptt: mimetype.startsWith('audio/ogg') };
    case 'voice':
      return { audio: data, mimetype, ptt: true };
    case 'document':
      return { document: data, mimetype, fileName: fileName ?? 'file', caption };
    case 'sticker':
      return { sticker: data, mimetype };
  }
}

export function locationContent(location: Location): AnyMessageContent {
  const { latitude, longitude, name, address } = location;
  return { location: { degreesLatitude: latitude, degreesLongitude: longitude, name, address } };
}

/** One card is a contactMessage, several a contactsArrayMessage; Baileys picks by the count. */
export function contactsContent(cards: ContactCard[]): AnyMessageContent {
  const displayName = cards.length === 1 ? cards[0].name : `${cards.length} contacts`;
  return { contacts: { displayName, contacts: cards.map((card) => ({ displayName: card.name, vcard: card.vcard })) } };
}

/**
 * A poll with its secret chosen here, so it can be kept: peers encrypt their votes with it.
 * `selectableCount` 0 lets a voter pick any number of options, 1 exactly one.
 */
export function pollContent(poll: Poll, secret: Uint8Array): AnyMessageContent {
  return { poll: { name: poll.question, values: poll.options, selectableCount: poll.multipleAnswers ? 0 : 1, messageSecret: secret } };
}

/** The key WhatsApp names a message of a chat by; the author only when it is someone else's in a group. */
export function messageKey(ref: MessageRef): WAMessageKey {
  const participant = !ref.fromMe && ref.senderJid !== ref.chatJid ? ref.senderJid : undefined;
  return { remoteJid: ref.chatJid, fromMe: ref.fromMe, id: ref.messageId, participant };
}

/**
 * The quoted message as Baileys wants it: a WAMessage whose text becomes the snippet the
 * recipient sees (Baileys copies it into contextInfo.quotedMessage with the id and author).
 */
export function quotedMessage(quoted: QuotedMessage): WAMessage {
  return {
    key: messageKey(quoted),
    message: { conversation: quoted.text ?? '' },
  };
}

/**
 * Sends with an id chosen before sending, so the session can recognise its own message when
 * Baileys echoes it back as an `append` upsert (which may happen before `sendMessage` resolves).
 */
export async function sendContent(
  sock: WASocket,
  to: string,
  content: AnyMessageContent,
  options: SendOptions,
  remember: (messageId: string) => void,
): Promise<SendResult> {
  const messageId = generateMessageIDV2(sock.user?.id);
  remember(messageId);
  // Baileys reads `mentions` and `contextInfo` from any content, though its types list them only for some kinds.
  const extra: Record<string, unknown> = {};
  if (options.mentions?.length) extra.mentions = options.mentions;
  if (options.forwarded) extra.contextInfo = { isForwarded: true, forwardingScore: 1 };
  const quoted = options.quoted ? quotedMessage(options.quoted) : undefined;
  const sent = await sock.sendMessage(to, { ...content, ...extra } as AnyMessageContent, { messageId, quoted });
  const stamp = sent?.messageTimestamp == null ? 0 : toNumber(sent.messageTimestamp);
  return { messageId: sent?.key.id ?? messageId, timestamp: stamp || Math.floor(Date.now() / 1000) };
}
