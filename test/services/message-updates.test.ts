import { describe, expect, it } from 'vitest';
import type { MessageChange, MessageUpdate } from '../../src/engines/engine.js';
import { applyChange, isRedelivery, storedPoll, tally } from '../../src/services/message-updates.js';
import type { MessageRecord } from '../../src/store/store.js';
import { messageRecord, NOW } from '../support/records.js';

const BOB = '79001234567@s.whatsapp.net';
const CAROL = '79001230002@s.whatsapp.net';
const ME = '15550001111@s.whatsapp.net';
const POLL = { question: 'Lunch?', options: ['Pizza', 'Sushi'], multipleAnswers: false };

const fromBob = (overrides: Partial<MessageRecord> = {}) => messageRecord('i1', { remoteJid: BOB, fromMe: false, content: 'hi', metadata: {}, ...overrides });
const ours = () => messageRecord('i1', { remoteJid: BOB, fromMe: true, senderJid: ME, content: 'mine', metadata: {} });
const change = (c: MessageChange, fromJid = BOB, fromMe = false): MessageUpdate => ({ targetMessageId: 'M', chatJid: BOB, fromJid, fromMe, change: c, timestamp: 1 });

/** Applies the update to the row as the store would: the row after, or the row unchanged. */
function after(row: MessageRecord, update: MessageUpdate): MessageRecord {
  const patch = applyChange(row, update, NOW);
  return patch ? { ...row, ...patch } : row;
}

describe('changes to a stored message', () => {
  it('keeps one reaction per sender, the latest, and drops it on ""', () => {
    let row = after(fromBob(), change({ kind: 'reaction', emoji: '👍' }));
    row = after(row, change({ kind: 'reaction', emoji: '🔥' }, ME, true));
    row = after(row, change({ kind: 'reaction', emoji: '❤️' }));
    expect(row.metadata.reactions).toEqual([
      { from: ME, emoji: '🔥', at: NOW },
      { from: BOB, emoji: '❤️', at: NOW },
    ]);
    expect(after(row, change({ kind: 'reaction', emoji: '' })).metadata.reactions).toEqual([{ from: ME, emoji: '🔥', at: NOW }]);
  });

  it('lets only the author edit or delete: the peer their own, we ours', () => {
    expect(applyChange(fromBob(), change({ kind: 'edit', text: 'x' }, CAROL), NOW)).toBeUndefined();
    expect(applyChange(fromBob(), change({ kind: 'edit', text: 'x' }, ME, true), NOW)).toBeUndefined();
    expect(applyChange(ours(), change({ kind: 'delete' }), NOW)).toBeUndefined();
    expect(applyChange(ours(), change({ kind: 'edit', text: 'fixed' }, ME, true), NOW)).toMatchObject({ content: 'fixed', metadata: { edits: ['mine'], editedAt: NOW } });
    const author = fromBob({ remoteJid: '120363000000000000@g.us', metadata: { author: CAROL } });
    expect(applyChange(author, change({ kind: 'delete' }, CAROL), NOW)).toMatchObject({ metadata: { deletedAt: NOW, deletedBy: CAROL } });
  });

  it('neither edits a deleted message nor deletes it twice', () => {
    const deleted = after(fromBob(), change({ kind: 'delete' }));
    expect(applyChange(deleted, change({ kind: 'edit', text: 'back' }), NOW)).toBeUndefined();
    expect(applyChange(deleted, change({ kind: 'delete' }), NOW + 1)).toBeUndefined();
  });

  it('counts votes by voter, a new vote replacing the old, options not in the poll ignored', () => {
    let row = fromBob({ messageType: 'poll', metadata: { poll: POLL } });
    row = after(row, change({ kind: 'poll_vote', options: ['Pizza'] }));
    row = after(row, change({ kind: 'poll_vote', options: ['Sushi', 'Burger'] }));
    row = after(row, change({ kind: 'poll_vote', options: ['Sushi'] }, CAROL));
    expect(tally(POLL, row.metadata.pollVotes as Record<string, string[]>)).toEqual({ Pizza: [], Sushi: [BOB, CAROL] });
    row = after(row, change({ kind: 'poll_vote', options: [] }));
    expect(row.metadata.pollVotes).toEqual({ [CAROL]: ['Sushi'] });
    expect(applyChange(fromBob(), change({ kind: 'poll_vote', options: ['Pizza'] }), NOW)).toBeUndefined();
  });

  it('hands an engine the poll with its secret and its creator', () => {
    expect(storedPoll(fromBob({ metadata: { poll: POLL, pollSecret: 'c2VjcmV0' } }))).toEqual({ ...POLL, secret: 'c2VjcmV0', creatorJid: BOB });
    expect(storedPoll({ ...ours(), metadata: { poll: POLL } })).toEqual({ ...POLL, secret: undefined, creatorJid: ME });
    expect(storedPoll(fromBob())).toBeUndefined();
    expect(storedPoll(undefined)).toBeUndefined();
  });
});

describe('a change WhatsApp delivers twice', () => {
  it('is a redelivery once it is in effect: the same reaction, vote, edit or delete from the same sender', () => {
    const reacted = after(fromBob(), change({ kind: 'reaction', emoji: '👍' }));
    expect(isRedelivery(reacted, change({ kind: 'reaction', emoji: '👍' }))).toBe(true);
    expect(isRedelivery(reacted, change({ kind: 'reaction', emoji: '❤️' }))).toBe(false);
    expect(isRedelivery(reacted, change({ kind: 'reaction', emoji: '👍' }, CAROL))).toBe(false);
    expect(isRedelivery(fromBob(), change({ kind: 'reaction', emoji: '' }))).toBe(true);

    const voted = after(fromBob({ metadata: { poll: { ...POLL, multipleAnswers: true } } }), change({ kind: 'poll_vote', options: ['Pizza', 'Sushi'] }));
    expect(isRedelivery(voted, change({ kind: 'poll_vote', options: ['Sushi', 'Pizza'] }))).toBe(true);
    expect(isRedelivery(voted, change({ kind: 'poll_vote', options: ['Sushi'] }))).toBe(false);
    expect(isRedelivery(voted, change({ kind: 'poll_vote', options: [] }, CAROL))).toBe(true);
    expect(isRedelivery(fromBob(), change({ kind: 'poll_vote', options: [] }))).toBe(false);

    const edited = after(fromBob(), change({ kind: 'edit', text: 'hello' }));
    expect(isRedelivery(edited, change({ kind: 'edit', text: 'hello' }))).toBe(true);
    expect(isRedelivery(fromBob({ content: 'hello' }), change({ kind: 'edit', text: 'hello' }))).toBe(false);
    const deleted = after(fromBob(), change({ kind: 'delete' }));
    expect(isRedelivery(deleted, change({ kind: 'delete' }))).toBe(true);
    expect(isRedelivery(fromBob(), change({ kind: 'delete' }))).toBe(false);
  });
});
