import { readFile, rm } from 'node:fs/promises';
import { encryptedStream, type MediaType, proto } from 'baileys';
import type { MediaHost } from './media-host.js';
import { encryptPollVote, type VoteContext } from './poll-vote.js';

/** What a simulated phone can put in a chat. A reaction or reply names a message of that chat. */
export type PeerContent =
  | { text: string; quotedMessageId?: string; mentions?: string[] }
  | { image: Buffer; caption?: string; mimetype?: string }
  /** `ptt`: a voice note, recorded in the chat, rather than an audio file. */
  | { audio: Buffer; ptt?: boolean; mimetype?: string }
  | { document: Buffer; fileName?: string; caption?: string; mimetype?: string }
  | { location: { latitude: number; longitude: number; name?: string } }
  | { contact: { name: string; phone: string } }
  | { reaction: { messageId: string; emoji: string } }
  | { contacts: Array<{ name: string; phone: string }> }
  /** `secret` is the poll's messageSecret: its votes are encrypted with it. */
  | { poll: { question: string; options: string[]; multipleAnswers?: boolean; secret: Buffer } }
  /** Changes to a message the sender wrote earlier in the chat. */
  | { edit: { messageId: string; text: string } }
  | { revoke: { messageId: string } }
  | { pollVote: { options: string[] } & VoteContext };

/** The stanza `type` WhatsApp puts on a message of this content. */
export function stanzaType(message: proto.IMessage): string {
  if (message.conversation || message.extendedTextMessage) return 'text';
  if (message.reactionMessage) return 'reaction';
  if (message.protocolMessage) return 'text';
  if (message.pollCreationMessageV3 || message.pollUpdateMessage) return 'poll';
  return 'media';
}

/**
 * Builds the message a phone sends. `otherJid` is the other side of the chat as the sender sees
 * it: the chat a reaction's key names and the author of the message a reply quotes.
 */
export async function peerMessage(media: MediaHost, content: PeerContent, otherJid: string): Promise<proto.IMessage> {
  if ('text' in content) {
    const { text, quotedMessageId, mentions } = content;
    if (!quotedMessageId && !mentions?.length) return { conversation: text };
    const quote = quotedMessageId ? { stanzaId: quotedMessageId, participant: otherJid, quotedMessage: { conversation: '' } } : {};
    return { extendedTextMessage: { text, contextInfo: { ...quote, ...(mentions?.length && { mentionedJid: mentions }) } } };
  }
  if ('location' in content) {
    const { latitude, longitude, name } = content.location;
    return { locationMessage: { degreesLatitude: latitude, degreesLongitude: longitude, name } };
  }
  if ('contact' in content) {
    const { name, phone } = content.contact;
    const digits = phone.replace(/\D/g, '');
    const vcard = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${name}`, `TEL;type=CELL;waid=${digits}:+${digits}`, 'END:VCARD'].join('\n');
    return { contactMessage: { displayName: name, vcard } };
  }
  if ('contacts' in content || 'poll' in content || 'edit' in content || 'revoke' in content || 'pollVote' in content) return laterKinds(content, otherJid);
  if ('reaction' in content) {
    const { messageId, emoji } = content.reaction;
    return { reactionMessage: { key: { remoteJid: otherJid, id: messageId, fromMe: false }, text: emoji, senderTimestampMs: Date.now() } };
  }
  if ('audio' in content) {
    const uploaded = await upload(media, content.audio, 'audio');
    return { audioMessage: { ...uploaded, mimetype: content.mimetype ?? 'audio/ogg; codecs=opus', ptt: content.ptt ?? false, seconds: 1 } };
  }
  if ('image' in content) {
    const uploaded = await upload(media, content.image, 'image');
    return { imageMessage: { ...uploaded, mimetype: content.mimetype ?? 'image/jpeg', caption: content.caption } };
  }
  const uploaded = await upload(media, content.document, 'document');
  return {
    documentMessage: {
      ...uploaded,
      mimetype: content.mimetype ?? 'application/octet-stream',
      fileName: content.fileName,
      caption: content.caption,
    },
  };
}

/** The kinds issue 18 added: several cards, polls, and changes to an earlier message. */
type LaterKind = Extract<PeerContent, { contacts: unknown } | { poll: unknown } | { edit: unknown } | { revoke: unknown } | { pollVote: unknown }>;

function laterKinds(content: LaterKind, otherJid: string): proto.IMessage {
  if ('contacts' in content) {
    return { contactsArrayMessage: { displayName: `${content.contacts.length} contacts`, contacts: content.contacts.map(card) } };
  }
  if ('poll' in content) {
    const { question, options, multipleAnswers, secret } = content.poll;
    return {
      pollCreationMessageV3: { name: question, options: options.map((optionName) => ({ optionName })), selectableOptionsCount: multipleAnswers ? 0 : 1 },
      messageContextInfo: { messageSecret: secret },
    };
  }
  // The sender's own earlier message: fromMe in its key, as the sender's phone writes it.
  const own = (id: string) => ({ remoteJid: otherJid, id, fromMe: true });
  if ('edit' in content) {
    const { messageId, text } = content.edit;
    return { protocolMessage: { type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT, key: own(messageId), editedMessage: { conversation: text }, timestampMs: Date.now() } };
  }
  if ('revoke' in content) return { protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE, key: own(content.revoke.messageId) } };
  const { options, ...ctx } = content.pollVote;
  return { pollUpdateMessage: { pollCreationMessageKey: own(ctx.pollMsgId), vote: encryptPollVote(options, ctx), senderTimestampMs: Date.now() } };
}

function card({ name, phone }: { name: string; phone: string }): proto.Message.IContactMessage {
  const digits = phone.replace(/\D/g, '');
  return { displayName: name, vcard: ['BEGIN:VCARD', 'VERSION:3.0', `FN:${name}`, `TEL;type=CELL;waid=${digits}:+${digits}`, 'END:VCARD'].join('\n') };
}

/** What a phone does before sending media: encrypt it, upload it, describe where it is. */
async function upload(media: MediaHost, data: Buffer, type: MediaType) {
  const enc = await encryptedStream(data, type);
  try {
    const directPath = media.put(type, await readFile(enc.encFilePath));
    return {
      url: media.url(directPath),
      directPath,
      mediaKey: enc.mediaKey,
      fileSha256: enc.fileSha256,
      fileEncSha256: enc.fileEncSha256,
      fileLength: enc.fileLength,
      mediaKeyTimestamp: Math.floor(Date.now() / 1000),
    };
  } finally {
    await rm(enc.encFilePath, { force: true });
    if (enc.originalFilePath) await rm(enc.originalFilePath, { force: true });
  }
}
