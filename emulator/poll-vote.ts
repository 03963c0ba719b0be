import { randomBytes } from 'node:crypto';
import { aesEncryptGCM, hmacSign, proto, sha256 } from 'baileys';

/** Who a vote is between, as the voter's phone names them: the key the vote is encrypted under. */
export interface VoteContext {
  pollMsgId: string;
  pollCreatorJid: string;
  voterJid: string;
  /** The poll's messageSecret. */
  secret: Buffer;
}

/**
 * A poll vote as a phone sends it: the SHA-256 of each chosen option name, encrypted with a key
 * derived from the poll's secret. The inverse of Baileys' decryptPollVote.
 */
export function encryptPollVote(options: string[], ctx: VoteContext): proto.Message.IPollEncValue {
  const sign = Buffer.concat([Buffer.from(ctx.pollMsgId), Buffer.from(ctx.pollCreatorJid), Buffer.from(ctx.voterJid), Buffer.from('Poll Vote'), new Uint8Array([1])]);
  const key0 = hmacSign(ctx.secret, new Uint8Array(32), 'sha256');
  const encKey = hmacSign(sign, key0, 'sha256');
  const plain = proto.Message.PollVoteMessage.encode({ selectedOptions: options.map((o) => sha256(Buffer.from(o))) }).finish();
  const encIv = randomBytes(12);
  const encPayload = aesEncryptGCM(plain, encKey, encIv, Buffer.from(`${ctx.pollMsgId}\u0000${ctx.voterJid}`));
  return { encPayload, encIv };
}
