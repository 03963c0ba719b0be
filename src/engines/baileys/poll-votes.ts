import { decryptPollVote, getAggregateVotesInPollMessage, getKeyAuthor, jidNormalizedUser, type proto, type WAMessageKey } from 'baileys';
import type { MessageUpdate, SessionContext, StoredPoll } from '../engine.js';
import type { EncryptedVote } from './update-mapper.js';

/**
 * Reports a vote once it is read. A vote is readable only with its poll's secret, which the
 * services keep with the stored poll, so it is looked up first.
 */
export function readVote(ctx: SessionContext, vote: EncryptedVote, ownJid: string | undefined): void {
  const { targetMessageId } = vote.update;
  void (async () => {
    const poll = await ctx.getPoll?.(targetMessageId);
    const update = poll && decryptVote(vote, poll, ownJid);
    if (update) ctx.emit({ type: 'message_update', update });
    else ctx.logger.debug({ instanceId: ctx.instanceId, pollId: targetMessageId, known: !!poll }, 'poll vote not readable: poll or its secret unknown');
  })().catch((err: unknown) => ctx.logger.warn({ instanceId: ctx.instanceId, err }, 'poll vote lookup failed'));
}

/**
 * The names of the options a vote selects, decrypted with the poll's secret; `undefined` when it
 * cannot be read (no secret kept, or a key that does not open it).
 *
 * The vote is encrypted under the JIDs the voter's device used for the poll's creator and for
 * itself, which may be the phone-number or the LID form; each known form is tried, and AES-GCM
 * refuses a wrong one, so a success is the right one.
 */
export function decryptVote(encrypted: EncryptedVote, poll: StoredPoll, ownJid: string | undefined): MessageUpdate | undefined {
  if (!poll.secret) return undefined;
  const me = ownJid ? jidNormalizedUser(ownJid) : undefined;
  const pollEncKey = Buffer.from(poll.secret, 'base64');
  const creators = unique([poll.creatorJid, getKeyAuthor(encrypted.pollKey, me)]);
  const voters = unique([getKeyAuthor(encrypted.voteKey, me), encrypted.voteKey.participantAlt, encrypted.voteKey.remoteJidAlt, encrypted.update.fromJid]);
  for (const pollCreatorJid of creators) {
    for (const voterJid of voters) {
      const vote = tryDecrypt(encrypted.vote, { pollCreatorJid, pollMsgId: encrypted.update.targetMessageId, pollEncKey, voterJid });
      if (vote) return { ...encrypted.update, change: { kind: 'poll_vote', options: optionNames(poll, vote, encrypted.voteKey, me) } };
    }
  }
  return undefined;
}

function tryDecrypt(vote: proto.Message.IPollEncValue, ctx: Parameters<typeof decryptPollVote>[1]): proto.Message.PollVoteMessage | undefined {
  try {
    return decryptPollVote(vote, ctx);
  } catch {
    return undefined;
  }
}

/** Baileys' own tally maps the SHA-256 hashes a vote carries back to the option names. */
function optionNames(poll: StoredPoll, vote: proto.Message.PollVoteMessage, voteKey: WAMessageKey, me: string | undefined): string[] {
  const tally = getAggregateVotesInPollMessage(
    {
      message: { pollCreationMessage: { name: poll.question, options: poll.options.map((optionName) => ({ optionName })) } },
      pollUpdates: [{ pollUpdateMessageKey: voteKey, vote }],
    },
    me,
  );
  return tally.filter((option) => option.voters.length > 0).map((option) => option.name);
}

function unique(jids: Array<string | null | undefined>): string[] {
  return [...new Set(jids.filter((j): j is string => !!j))];
}
