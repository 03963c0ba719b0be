import { getContentType, normalizeMessageContent, toNumber, type WAMessage, proto } from 'baileys';
import type { ContactCard, MediaKind, NormalizedMessage } from '../engine.js';
import { lidOf, preferPhoneJid } from './jid.js';
import { parseVcard } from './vcard.js';

type Content = proto.IMessage;
type Mapped = Pick<NormalizedMessage, 'type' | 'text' | 'caption' | 'media' | 'location' | 'contacts' | 'poll'>;

export interface MapContext {
  /** Our own normalized JID, used as the author of fromMe messages. */
  ownJid?: string;
  /** Builds the downloader for a media message; injected so mapping stays pure. */
  download: (msg: WAMessage) => () => Promise<Buffer>;
}

const STATUS_BROADCAST = 'status@broadcast';

const DEFAULT_MIME: Record<MediaKind, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  voice: 'audio/ogg; codecs=opus',
  document: 'application/octet-stream',
  sticker: 'image/webp',
};

interface MediaFields {
  mimetype?: string | null;
  fileLength?: Parameters<typeof toNumber>[0];
  caption?: string | null;
  fileName?: string | null;
}

function media(kind: MediaKind, fields: MediaFields, download: () => Promise<Buffer>): Mapped {
  const size = fields.fileLength == null ? undefined : toNumber(fields.fileLength);
  return {
    type: kind,
    caption: fields.caption || undefined,
    media: {
      kind,
      mimeType: fields.mimetype || DEFAULT_MIME[kind],
      fileName: fields.fileName || undefined,
      size,
      download,
    },
  };
}

function mapContent(content: Content, download: () => Promise<Buffer>): Mapped | undefined {
  switch (getContentType(content)) {
    case 'conversation':
      return { type: 'text', text: content.conversation ?? '' };
    case 'extendedTextMessage':
      return { type: 'text', text: content.extendedTextMessage?.text ?? '' };
    case 'imageMessage':
      return media('image', content.imageMessage!, download);
    case 'videoMessage':
      return media('video', content.videoMessage!, download);
    case 'ptvMessage':
      return media('video', content.ptvMessage!, download);
    case 'audioMessage':
      return media(content.audioMessage!.ptt ? 'voice' : 'audio', content.audioMessage!, download);
    case 'documentMessage':
      return media('document', content.documentMessage!, download);
    case 'stickerMessage':
      return media('sticker', content.stickerMessage!, download);
    case 'locationMessage':
    case 'liveLocationMessage': {
      const loc = content.locationMessage ?? content.liveLocationMessage!;
      const named = loc as proto.Message.ILocationMessage;
      return {
        type: 'location',
        location: {
          latitude: loc.degreesLatitude ?? 0,
          longitude: loc.degreesLongitude ?? 0,
          name: named.name || undefined,
          address: named.address || undefined,
        },
      };
    }
    case 'contactMessage':
    case 'contactsArrayMessage': {
      const cards = content.contactMessage ? [content.contactMessage] : (content.contactsArrayMessage?.contacts ?? []);
      if (cards.length === 0) return undefined;
      return { type: 'contact', contacts: cards.map(contactCard) };
    }
    case 'pollCreationMessage':
    case 'pollCreationMessageV2':
    case 'pollCreationMessageV3': {
      const poll = content.pollCreationMessage ?? content.pollCreationMessageV2 ?? content.pollCreationMessageV3!;
      return {
        type: 'poll',
        poll: {
          question: poll.name ?? '',
          options: (poll.options ?? []).map((o) => o.optionName ?? ''),
          // 0 means "as many as you like"; WhatsApp's single-answer polls say 1.
          multipleAnswers: (poll.selectableOptionsCount ?? 0) !== 1,
        },
      };
    }
    case undefined:
    case 'reactionMessage':
    case 'protocolMessage':
    case 'pollUpdateMessage':
    case 'encReactionMessage':
    case 'encEventResponseMessage':
    case 'keepInChatMessage':
    case 'pinInChatMessage':
      // Changes to earlier messages (update-mapper.ts) and signalling between devices: not chat messages.
      return undefined;
    default:
      return { type: 'unknown' };
  }
}

function contactCard(card: proto.Message.IContactMessage): ContactCard {
  const vcard = card.vcard ?? '';
  const parsed = vcard ? parseVcard(vcard) : {};
  return { name: card.displayName || parsed.name || '', phone: parsed.phone, vcard };
}

function contextOf(content: Content): proto.IContextInfo | undefined {
  const type = getContentType(content);
  if (!type) return undefined;
  const inner = content[type];
  if (!inner || typeof inner !== 'object') return undefined;
  return (inner as { contextInfo?: proto.IContextInfo | null }).contextInfo ?? undefined;
}

/**
 * Turns one Baileys message into the port's shape, or `undefined` for anything that is not a
 * chat message (protocol and key-distribution messages, failed decryptions, status posts).
 */
export function mapMessage(msg: WAMessage, ctx: MapContext): NormalizedMessage | undefined {
  const key = msg.key;
  if (!key?.id || !key.remoteJid || key.remoteJid === STATUS_BROADCAST) return undefined;
  const content = normalizeMessageContent(msg.message);
  if (!content) return undefined;
  const mapped = mapContent(content, ctx.download(msg));
  if (!mapped) return undefined;

  const chatJid = preferPhoneJid(key.remoteJid, key.remoteJidAlt);
  const fromMe = !!key.fromMe;
  const senderJid = fromMe
    ? ctx.ownJid
    : key.participant
      ? preferPhoneJid(key.participant, key.participantAlt)
      : chatJid;
  const lid = key.participant ? (fromMe ? undefined : lidOf(key.participant, key.participantAlt)) : lidOf(key.remoteJid, key.remoteJidAlt);
  const timestamp = msg.messageTimestamp == null ? 0 : toNumber(msg.messageTimestamp);
  const context = contextOf(content);
  const mentions = context?.mentionedJid?.filter(Boolean);
  // The poll's votes are encrypted with this; without it they could never be read.
  const secret = mapped.poll ? (content.messageContextInfo ?? msg.message?.messageContextInfo)?.messageSecret : undefined;
  return {
    messageId: key.id,
    chatJid,
    fromMe,
    senderJid,
    ...(lid ? { lid } : {}),
    pushName: msg.pushName || undefined,
    ...mapped,
    quotedMessageId: context?.stanzaId || undefined,
    forwarded: context?.isForwarded || undefined,
    mentions: mentions && mentions.length > 0 ? mentions : undefined,
    pollSecret: secret && secret.length > 0 ? Buffer.from(secret).toString('base64') : undefined,
    timestamp: timestamp || Math.floor(Date.now() / 1000),
  };
}
