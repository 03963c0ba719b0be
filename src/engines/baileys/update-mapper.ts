import { getContentType, normalizeMessageContent, toNumber, type WAMessage, type WAMessageKey, proto } from 'baileys';
import type { MessageChange, MessageUpdate } from '../engine.js';
import { lidOf, preferPhoneJid } from './jid.js';

/** A poll vote as it arrives: encrypted, to be read with the poll's secret (poll-votes.ts). */
export interface EncryptedVote {
  update: Omit<MessageUpdate, 'change'>;
  /** The vote message's key: its author is part of the decryption. */
  voteKey: WAMessageKey;
  /** The poll's key as the voter wrote it. */
  pollKey: proto.IMessageKey;
  vote: proto.Message.IPollEncValue;
}

export type MappedUpdate = { kind: 'update'; update: MessageUpdate } | { kind: 'vote'; vote: EncryptedVote };

function textOf(message: proto.IMessage | null | undefined): string | undefined {
  const content = normalizeMessageContent(message);
  if (!content) return undefined;
  return content.conversation ?? content.extendedTextMessage?.text ?? content.imageMessage?.caption ?? content.videoMessage?.caption ?? content.documentMessage?.caption ?? undefined;
}

/**
 * Turns a protocol message that changes an earlier message (a reaction, an edit, a revoke, a
 * poll vote) into the port's update; `undefined` for anything else. Edits come as a
 * `protocolMessage` of type MESSAGE_EDIT, possibly wrapped in `editedMessage` (unwrapped by
 * normalizeMessageContent).
 */
export function mapUpdate(msg: WAMessage, ownJid: string | undefined): MappedUpdate | undefined {
  const key = msg.key;
  if (!key?.id || !key.remoteJid) return undefined;
  const content = normalizeMessageContent(msg.message);
  if (!content) return undefined;
  const chatJid = preferPhoneJid(key.remoteJid, key.remoteJidAlt);
  const fromMe = !!key.fromMe;
  const fromJid = fromMe ? (ownJid ?? '') : key.participant ? preferPhoneJid(key.participant, key.participantAlt) : chatJid;
  const lid = fromMe ? undefined : key.participant ? lidOf(key.participant, key.participantAlt) : lidOf(key.remoteJid, key.remoteJidAlt);
  const stamp = msg.messageTimestamp == null ? 0 : toNumber(msg.messageTimestamp);
  const base = { chatJid, fromJid, ...(lid ? { lid } : {}), fromMe, timestamp: stamp || Math.floor(Date.now() / 1000) };
  const change = (targetMessageId: string | null | undefined, c: MessageChange): MappedUpdate | undefined =>
    targetMessageId ? { kind: 'update', update: { ...base, targetMessageId, change: c } } : undefined;

  switch (getContentType(content)) {
    case 'reactionMessage': {
      const reaction = content.reactionMessage!;
      return change(reaction.key?.id, { kind: 'reaction', emoji: reaction.text ?? '' });
    }
    case 'protocolMessage': {
      const protocol = content.protocolMessage!;
      if (protocol.type === proto.Message.ProtocolMessage.Type.REVOKE) return change(protocol.key?.id, { kind: 'delete' });
      if (protocol.type === proto.Message.ProtocolMessage.Type.MESSAGE_EDIT) {
        const text = textOf(protocol.editedMessage);
        return text === undefined ? undefined : change(protocol.key?.id, { kind: 'edit', text });
      }
      return undefined;
    }
    case 'pollUpdateMessage': {
      const poll = content.pollUpdateMessage!;
      const pollKey = poll.pollCreationMessageKey;
      if (!pollKey?.id || !poll.vote) return undefined;
      return { kind: 'vote', vote: { update: { ...base, targetMessageId: pollKey.id }, voteKey: key, pollKey, vote: poll.vote } };
    }
    default:
      return undefined;
  }
}
