import type { WASocket } from 'baileys';
import { describe, expect, it } from 'vitest';
import { BaileysAccount } from '../../../src/engines/baileys/account.js';

const PHONE = '79001234567@s.whatsapp.net';
const LID = '205000000000001@lid';
const OTHER = '79007654321@s.whatsapp.net';

/** A socket that knows one LID ↔ phone mapping and answers the blocklist it is given. */
function socket(listed: string[]): WASocket {
  return {
    fetchBlocklist: async () => listed,
    signalRepository: { lidMapping: { getPNForLID: async (lid: string) => (lid === LID ? PHONE : null) } },
  } as unknown as WASocket;
}

/** A failure to follow the list surfaces as an unhandled rejection, which fails the test. */
function account(sock: WASocket): BaileysAccount {
  return new BaileysAccount({
    socket: () => sock,
    openSocket: () => sock,
    me: () => ({}),
    contact: () => undefined,
    warn: (err) => {
      throw err;
    },
  });
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

/*
 * The Baileys session refuses a send to an account it blocks, knowing its blocklist from what
 * WhatsApp says: the list read when the connection opens, then its blocklist notifications,
 * which name accounts by LID.
 */
describe('the blocklist a Baileys session follows', () => {
  it('reads the list when the connection opens and refuses a send to a listed LID by its phone, and by the LID', async () => {
    const sock = socket([LID]);
    const subject = account(sock);
    subject.onEvents(sock, { 'connection.update': { connection: 'open' } });
    await expect(subject.refuseIfBlocked(PHONE)).rejects.toMatchObject({ reason: 'blocked' });
    await expect(subject.refuseIfBlocked(`${LID.split('@')[0]}:3@lid`)).rejects.toMatchObject({ reason: 'blocked' });
    await expect(subject.refuseIfBlocked(OTHER)).resolves.toBeUndefined();
  });

  it('follows blocklist notifications: an added LID is refused by its phone, a removed one is not', async () => {
    const sock = socket([]);
    const subject = account(sock);
    subject.onEvents(sock, { 'blocklist.update': { blocklist: [LID], type: 'add' } });
    await settled();
    await expect(subject.refuseIfBlocked(PHONE)).rejects.toMatchObject({ reason: 'blocked' });
    subject.onEvents(sock, { 'blocklist.update': { blocklist: [LID], type: 'remove' } });
    await expect(subject.refuseIfBlocked(PHONE)).resolves.toBeUndefined();

    subject.onEvents(sock, { 'blocklist.set': { blocklist: [OTHER] } });
    await settled();
    await expect(subject.refuseIfBlocked(OTHER)).rejects.toMatchObject({ reason: 'blocked' });
    expect(await subject.getBlocklist()).toEqual([]);
  });
});
