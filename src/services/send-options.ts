import type { SendOptions } from '../engines/engine.js';
import { NotFoundError } from '../core/errors.js';
import { normalizeRecipient } from '../core/phone.js';
import type { MessageRecord, Store } from '../store/store.js';

/** What every send route accepts besides its own content: a reply and mentions. */
export interface ReplyAndMentions {
  /** The id (as send returned it, history's `messageId`) of a message of the same chat. */
  quotedMessageId?: string;
  /** Phone numbers or JIDs. */
  mentions?: string[];
}

/**
 * The engine's send options for `input` in the chat `chatJid`. A reply must quote a message this
 * gateway stored in that chat: WhatsApp would show a reply to nothing otherwise.
 */
export async function sendOptionsFor(store: Store, instance: { id: string; phoneJid: string | null }, chatJid: string, input: ReplyAndMentions): Promise<SendOptions> {
  const options: SendOptions = {};
  if (input.mentions?.length) {
    options.mentions = [...new Set(input.mentions.map((m, i) => normalizeRecipient(m, `mentions[${i}]`).jid))];
  }
  if (input.quotedMessageId !== undefined) {
    const row = await store.messages.findByMessageId(instance.id, input.quotedMessageId);
    if (!row || row.remoteJid !== chatJid) {
      throw new NotFoundError(`quotedMessageId ${input.quotedMessageId} is not a message of the chat ${chatJid}`, [{ field: 'quotedMessageId', message: 'is not a stored message of this chat' }]);
    }
    options.quoted = quotedOf(row, instance.phoneJid);
  }
  return options;
}

function quotedOf(row: MessageRecord, ownJid: string | null): NonNullable<SendOptions['quoted']> {
  const senderJid = row.fromMe ? (ownJid ?? row.senderJid ?? row.remoteJid) : (row.senderJid ?? row.remoteJid);
  return { messageId: row.messageId, chatJid: row.remoteJid, fromMe: row.fromMe, senderJid, text: row.content ?? undefined };
}

/**
 * What a send keeps in its row's metadata, the way received replies, mentions and the peer's LID
 * are kept.
 */
export function sentDetails(options: SendOptions, to?: { lid?: string }): { lid?: string; quotedMessageId?: string; mentions?: string[]; forwarded?: true } {
  const details: { lid?: string; quotedMessageId?: string; mentions?: string[]; forwarded?: true } = {};
  if (to?.lid) details.lid = to.lid;
  if (options.quoted) details.quotedMessageId = options.quoted.messageId;
  if (options.mentions) details.mentions = options.mentions;
  if (options.forwarded) details.forwarded = true;
  return details;
}
