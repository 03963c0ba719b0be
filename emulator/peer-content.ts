import { readFile, rm } from 'node:fs/promises';
import { encryptedStream, type MediaType, type proto } from 'baileys';
import type { MediaHost } from './media-host.js';

/** What a simulated phone can put in a chat. A reaction or reply names a message of that chat. */
export type PeerContent =
  | { text: string; quotedMessageId?: string }
  | { image: Buffer; caption?: string; mimetype?: string }
  | { document: Buffer; fileName?: string; caption?: string; mimetype?: string }
  | { location: { latitude: number; longitude: number; name?: string } }
  | { contact: { name: string; phone: string } }
  | { reaction: { messageId: string; emoji: string } };

/** The stanza `type` WhatsApp puts on a message of this content. */
export function stanzaType(message: proto.IMessage): string {
  if (message.conversation || message.extendedTextMessage) return 'text';
  if (message.reactionMessage) return 'reaction';
  return 'media';
}

/**
 * Builds the message a phone sends. `otherJid` is the other side of the chat as the sender sees
 * it: the chat a reaction's key names and the author of the message a reply quotes.
 */
export async function peerMessage(media: MediaHost, content: PeerContent, otherJid: string): Promise<proto.IMessage> {
  if ('text' in content) {
    if (!content.quotedMessageId) return { conversation: content.text };
    return {
      extendedTextMessage: {
        text: content.text,
        contextInfo: { stanzaId: content.quotedMessageId, participant: otherJid, quotedMessage: { conversation: '' } },
      },
    };
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
  if ('reaction' in content) {
    const { messageId, emoji } = content.reaction;
    return { reactionMessage: { key: { remoteJid: otherJid, id: messageId, fromMe: false }, text: emoji, senderTimestampMs: Date.now() } };
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
