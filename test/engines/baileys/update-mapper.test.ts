import { randomBytes } from 'node:crypto';
import { proto, type WAMessage } from 'baileys';
import { describe, expect, it } from 'vitest';
import { encryptPollVote } from '../../../emulator/poll-vote.js';
import { decryptVote } from '../../../src/engines/baileys/poll-votes.js';
import { mapUpdate, type MappedUpdate } from '../../../src/engines/baileys/update-mapper.js';

const PEER = '79001234567@s.whatsapp.net';
const PEER_LID = '123456789012345@lid';
const ME = '15550001111@s.whatsapp.net';

function incoming(message: proto.IMessage, key: Partial<proto.IMessageKey> = {}): WAMessage {
  return proto.WebMessageInfo.fromObject({
    key: { remoteJid: PEER, fromMe: false, id: 'PROTO1', ...key },
    messageTimestamp: 1_700_000_000,
    message,
  }) as WAMessage;
}

const update = (mapped: MappedUpdate | undefined) => (mapped?.kind === 'update' ? mapped.update : undefined);
const base = { chatJid: PEER, fromJid: PEER, fromMe: false, timestamp: 1_700_000_000 };

describe('mapUpdate', () => {
  it('maps a reaction to its target, and an empty one as taken back', () => {
    const like = incoming({ reactionMessage: { key: { id: 'TARGET', remoteJid: ME, fromMe: false }, text: '👍', senderTimestampMs: 1 } });
    expect(update(mapUpdate(like, ME))).toEqual({ ...base, targetMessageId: 'TARGET', change: { kind: 'reaction', emoji: '👍' } });
    const removed = incoming({ reactionMessage: { key: { id: 'TARGET' }, text: '' } });
    expect(update(mapUpdate(removed, ME))?.change).toEqual({ kind: 'reaction', emoji: '' });
  });

  it('maps a revoke to a delete of the message it names', () => {
    const revoke = incoming({ protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE, key: { id: 'GONE', remoteJid: ME, fromMe: true } } });
    expect(update(mapUpdate(revoke, ME))).toEqual({ ...base, targetMessageId: 'GONE', change: { kind: 'delete' } });
  });

  it('maps an edit, bare or wrapped in editedMessage, to the new text', () => {
    const edit = { type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT, key: { id: 'OLD', fromMe: true }, editedMessage: { conversation: 'fixed' } };
    expect(update(mapUpdate(incoming({ protocolMessage: edit }), ME))).toEqual({ ...base, targetMessageId: 'OLD', change: { kind: 'edit', text: 'fixed' } });
    const wrapped = incoming({ editedMessage: { message: { protocolMessage: { ...edit, editedMessage: { extendedTextMessage: { text: 'fixed again' } } } } } });
    expect(update(mapUpdate(wrapped, ME))?.change).toEqual({ kind: 'edit', text: 'fixed again' });
    const caption = incoming({ protocolMessage: { ...edit, editedMessage: { imageMessage: { caption: 'new caption' } } } });
    expect(update(mapUpdate(caption, ME))?.change).toEqual({ kind: 'edit', text: 'new caption' });
  });

  it('names our own JID as the author of a change made from our phone, and the phone JID of a LID sender', () => {
    const ours = incoming({ reactionMessage: { key: { id: 'T' }, text: '🔥' } }, { fromMe: true });
    expect(update(mapUpdate(ours, ME))).toMatchObject({ fromMe: true, fromJid: ME });
    const lid = incoming({ reactionMessage: { key: { id: 'T' }, text: '🔥' } }, { remoteJid: PEER_LID });
    (lid.key as { remoteJidAlt?: string }).remoteJidAlt = PEER;
    expect(update(mapUpdate(lid, ME))).toMatchObject({ chatJid: PEER, fromJid: PEER, lid: PEER_LID });
  });

  it('leaves chat messages and other protocol messages alone', () => {
    expect(mapUpdate(incoming({ conversation: 'hi' }), ME)).toBeUndefined();
    expect(mapUpdate(incoming({ protocolMessage: { type: proto.Message.ProtocolMessage.Type.EPHEMERAL_SETTING } }), ME)).toBeUndefined();
    expect(mapUpdate(incoming({ reactionMessage: { text: '👍' } }), ME)).toBeUndefined();
  });
});

describe('poll votes', () => {
  const secret = randomBytes(32);
  const poll = { question: 'Lunch?', options: ['Pizza', 'Sushi', 'Soup'], multipleAnswers: true, secret: secret.toString('base64'), creatorJid: PEER };
  const voteMessage = (options: string[], voterJid = PEER) =>
    incoming({
      pollUpdateMessage: {
        pollCreationMessageKey: { id: 'POLL', remoteJid: ME, fromMe: true },
        vote: encryptPollVote(options, { pollMsgId: 'POLL', pollCreatorJid: PEER, voterJid, secret }),
        senderTimestampMs: 1,
      },
    });

  it('decrypts a vote with the poll secret into option names', () => {
    const mapped = mapUpdate(voteMessage(['Pizza', 'Soup']), ME);
    expect(mapped?.kind).toBe('vote');
    if (mapped?.kind !== 'vote') return;
    expect(decryptVote(mapped.vote, poll, ME)).toEqual({ ...base, targetMessageId: 'POLL', change: { kind: 'poll_vote', options: ['Pizza', 'Soup'] } });
  });

  it('reads a vote taken back as no options', () => {
    const mapped = mapUpdate(voteMessage([]), ME);
    if (mapped?.kind !== 'vote') throw new Error('not a vote');
    expect(decryptVote(mapped.vote, poll, ME)?.change).toEqual({ kind: 'poll_vote', options: [] });
  });

  it('cannot read a vote without the secret or with another one', () => {
    const mapped = mapUpdate(voteMessage(['Sushi']), ME);
    if (mapped?.kind !== 'vote') throw new Error('not a vote');
    expect(decryptVote(mapped.vote, { ...poll, secret: undefined }, ME)).toBeUndefined();
    expect(decryptVote(mapped.vote, { ...poll, secret: randomBytes(32).toString('base64') }, ME)).toBeUndefined();
  });

  it('tries the LID form of the voter when the vote was encrypted under it', () => {
    const msg = voteMessage(['Sushi'], PEER_LID);
    (msg.key as { remoteJidAlt?: string }).remoteJidAlt = PEER_LID;
    const mapped = mapUpdate(msg, ME);
    if (mapped?.kind !== 'vote') throw new Error('not a vote');
    expect(decryptVote(mapped.vote, poll, ME)?.change).toEqual({ kind: 'poll_vote', options: ['Sushi'] });
  });
});
