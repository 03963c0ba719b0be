import type { MessageChange, MessageUpdate, Poll, StoredPoll } from '../engines/engine.js';
import type { MessagePatch, MessageRecord } from '../store/store.js';
import type { EventType } from './event-log.js';

/*
 * Reactions, edits, deletes and poll votes: changes to an earlier message, kept on that
 * message's row (its metadata) rather than as rows of their own, and announced as events.
 */

/** One sender's reaction to a message; a sender has at most one. */
export interface StoredReaction {
  from: string;
  emoji: string;
  /** Epoch ms. */
  at: number;
}

/** Message metadata keys this module owns. */
export interface ChangeMetadata {
  reactions?: StoredReaction[];
  /** Epoch ms of the last edit. */
  editedAt?: number;
  /** The texts the message had before each edit, oldest first. */
  edits?: string[];
  deletedAt?: number;
  deletedBy?: string;
  poll?: Poll;
  /** The poll's vote secret (base64): never shown, only handed back to the engine. */
  pollSecret?: string;
  /** Each voter's current choice (option names); a new vote replaces the voter's old one. */
  pollVotes?: Record<string, string[]>;
}

const EVENT_OF: Record<MessageChange['kind'], EventType> = {
  reaction: 'message_reaction',
  edit: 'message_edited',
  delete: 'message_deleted',
  poll_vote: 'poll_vote',
};

export function changeEventType(change: MessageChange): EventType {
  return EVENT_OF[change.kind];
}

/** The event's data: the spec-like core fields first, then where and when. */
export function changePayload(update: MessageUpdate): Record<string, unknown> {
  const { change } = update;
  const data: Record<string, unknown> = { messageId: update.targetMessageId, from: update.fromJid };
  if (update.lid) data.lid = update.lid;
  if (change.kind === 'reaction') data.emoji = change.emoji;
  if (change.kind === 'edit') data.body = change.text;
  if (change.kind === 'poll_vote') data.selectedOptions = change.options;
  return { ...data, chatId: update.chatJid, fromMe: update.fromMe, timestamp: update.timestamp };
}

/**
 * The row after `update`, or undefined when it does not apply: a vote on what is no poll, an
 * edit of what has no text, or an edit or delete by someone who did not send the message.
 */
export function applyChange(row: MessageRecord, update: MessageUpdate, at: number): MessagePatch | undefined {
  const meta = row.metadata as ChangeMetadata & Record<string, unknown>;
  const { change } = update;
  const author = row.fromMe ? undefined : ((meta.author as string | undefined) ?? row.remoteJid);
  const bySender = update.fromMe ? row.fromMe : update.fromJid === author;
  switch (change.kind) {
    case 'reaction': {
      const others = (meta.reactions ?? []).filter((r) => r.from !== update.fromJid);
      const reactions = change.emoji === '' ? others : [...others, { from: update.fromJid, emoji: change.emoji, at }];
      return { content: row.content, caption: row.caption, metadata: { ...meta, reactions } };
    }
    case 'edit': {
      // The same edit again (a redelivery) changes nothing.
      if (!bySender || row.content === null || row.content === change.text || meta.deletedAt !== undefined) return undefined;
      const metadata = { ...meta, editedAt: at, edits: [...(meta.edits ?? []), row.content] };
      return { content: change.text, caption: row.caption === null ? null : change.text, metadata };
    }
    case 'delete':
      if (!bySender || meta.deletedAt !== undefined) return undefined;
      return { content: row.content, caption: row.caption, metadata: { ...meta, deletedAt: at, deletedBy: update.fromJid } };
    case 'poll_vote': {
      if (!meta.poll) return undefined;
      const known = change.options.filter((o) => meta.poll!.options.includes(o));
      const pollVotes = { ...(meta.pollVotes ?? {}) };
      if (known.length === 0) delete pollVotes[update.fromJid];
      else pollVotes[update.fromJid] = known;
      return { content: row.content, caption: row.caption, metadata: { ...meta, pollVotes } };
    }
  }
}

/**
 * Whether `update` is already in effect on the row: the same reaction, vote, edit or delete
 * from the same sender. WhatsApp redelivers messages after a reconnect (the same message id
 * twice); such a copy changes nothing and is not announced again.
 */
export function isRedelivery(row: MessageRecord, update: MessageUpdate): boolean {
  const meta = row.metadata as ChangeMetadata & Record<string, unknown>;
  const { change } = update;
  switch (change.kind) {
    case 'reaction': {
      const current = meta.reactions?.find((r) => r.from === update.fromJid)?.emoji ?? '';
      return current === change.emoji;
    }
    case 'poll_vote': {
      if (!meta.poll) return false;
      const current = meta.pollVotes?.[update.fromJid] ?? [];
      const known = change.options.filter((o) => meta.poll!.options.includes(o));
      return current.length === known.length && known.every((o) => current.includes(o));
    }
    case 'edit':
      return meta.editedAt !== undefined && row.content === change.text;
    case 'delete':
      return meta.deletedAt !== undefined && meta.deletedBy === update.fromJid;
  }
}

/** A stored poll as an engine needs it to read votes; undefined for a row that is no poll. */
export function storedPoll(row: MessageRecord | undefined): StoredPoll | undefined {
  const meta = row?.metadata as ChangeMetadata | undefined;
  if (!row || !meta?.poll) return undefined;
  const creatorJid = row.fromMe ? (row.senderJid ?? '') : ((row.metadata.author as string | undefined) ?? row.remoteJid);
  return { ...meta.poll, secret: meta.pollSecret, creatorJid };
}

/** Votes per option, in the poll's option order; every option is listed, voted for or not. */
export function tally(poll: Poll, pollVotes: Record<string, string[]> | undefined): Record<string, string[]> {
  const votes: Record<string, string[]> = Object.fromEntries(poll.options.map((o) => [o, []]));
  for (const [voter, options] of Object.entries(pollVotes ?? {})) {
    for (const option of options) votes[option]?.push(voter);
  }
  return votes;
}
