import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../src/core/ids.js';
import type { MessageRecord, Store } from '../../src/store/store.js';
import { forgetChats } from '../support/old-chats.js';
import { messageRecord, NOW } from '../support/records.js';
import { type OpenedStore, storeFactories } from '../support/stores.js';

const ANN = '79001110001@s.whatsapp.net';
const BOB = '79001110002@s.whatsapp.net';
const GROUP = '120363000000000001@g.us';

/** A message stored as the messaging service stores one: the row, then its chat noted. */
async function store(into: Store, overrides: Partial<MessageRecord>): Promise<MessageRecord> {
  const message = messageRecord('i1', { id: timeOrderedId(), remoteJid: ANN, ...overrides });
  await into.messages.insert(message);
  await into.chats.noteMessage(message, NOW);
  return message;
}

const page = (s: Store, search?: string) => s.chats.list({ instanceId: 'i1', search, limit: 10, skip: 0 });

for (const factory of storeFactories()) {
  describe(`chats store contract: ${factory.name}`, () => {
    let opened: OpenedStore;
    let s: Store;
    beforeEach(async () => {
      opened = await factory.open();
      s = opened.store;
    });
    afterEach(() => opened.dispose());

    it('makes a chat of the first message and counts inbound messages as unread', async () => {
      await store(s, { content: 'one' });
      await store(s, { content: 'two', timestamp: NOW + 1000 });
      const mine = await store(s, { content: 'mine', fromMe: true, status: 'sent', timestamp: NOW + 2000 });
      expect(await s.chats.find('i1', ANN)).toEqual({
        instanceId: 'i1',
        chatJid: ANN,
        contactName: null,
        pushName: null,
        number: '79001110001',
        lastMessage: { messageId: mine.messageId, messageType: 'text', text: 'mine', fromMe: true, status: 'sent', timestamp: NOW + 2000, deleted: false },
        lastActivityAt: NOW + 2000,
        unreadCount: 2,
      });
    });

    it('tells a last message deleted for everyone', async () => {
      const last = await store(s, { content: 'oops' });
      await s.messages.change('i1', last.messageId, (row) => ({ content: row.content, caption: row.caption, metadata: { ...row.metadata, deletedAt: NOW + 9 } }), NOW + 9);
      expect((await s.chats.find('i1', ANN))?.lastMessage).toMatchObject({ messageId: last.messageId, deleted: true });
      expect((await s.chats.list({ instanceId: 'i1', limit: 10, skip: 0 })).items[0].lastMessage?.deleted).toBe(true);
    });

    it("shows the last message's current status and the contact's names", async () => {
      const sent = await store(s, { fromMe: true, status: 'sent' });
      await s.messages.updateStatus('i1', sent.messageId, 'read', NOW + 5);
      await s.contacts.upsert('i1', ANN, { name: 'Ann', pushName: 'annie' }, NOW);
      expect(await s.chats.find('i1', ANN)).toMatchObject({ contactName: 'Ann', pushName: 'annie', lastMessage: { status: 'read' } });
    });

    it('keeps the newer last message when an older one arrives late, and the later one of a tie', async () => {
      const newer = await store(s, { content: 'newer', timestamp: NOW + 1000 });
      await store(s, { content: 'older', timestamp: NOW });
      expect(await s.chats.find('i1', ANN)).toMatchObject({ lastMessage: { messageId: newer.messageId }, lastActivityAt: NOW + 1000, unreadCount: 2 });
      const tie = await store(s, { content: 'same second', timestamp: NOW + 1000 });
      expect((await s.chats.find('i1', ANN))?.lastMessage?.messageId).toBe(tie.messageId);
    });

    it('takes a caption as the text of a media message', async () => {
      await store(s, { messageType: 'image', content: null, caption: 'a cat', hasMedia: true });
      expect((await s.chats.find('i1', ANN))?.lastMessage).toMatchObject({ messageType: 'image', text: 'a cat' });
    });

    it('lists newest activity first, a tie to the chat stored later, within the instance only', async () => {
      await store(s, { remoteJid: ANN, timestamp: NOW });
      await store(s, { remoteJid: BOB, timestamp: NOW });
      await store(s, { remoteJid: GROUP, timestamp: NOW - 1000, fromMe: true });
      const elsewhere = messageRecord('i2', { remoteJid: ANN });
      await s.messages.insert(elsewhere);
      await s.chats.noteMessage(elsewhere, NOW);
      const all = await page(s);
      expect(all.total).toBe(3);
      expect(all.items.map((c) => c.chatJid)).toEqual([BOB, ANN, GROUP]);
      const second = await s.chats.list({ instanceId: 'i1', limit: 1, skip: 1 });
      expect(second).toMatchObject({ total: 3, items: [{ chatJid: ANN }] });
    });

    it('searches the contact name, push name and the JID, any case, with % and _ taken literally', async () => {
      await store(s, { remoteJid: ANN });
      await store(s, { remoteJid: BOB });
      await s.contacts.upsert('i1', ANN, { name: '100% Ann' }, NOW);
      await s.contacts.upsert('i1', BOB, { pushName: 'bob_the_builder' }, NOW);
      const jids = async (search: string) => (await page(s, search)).items.map((c) => c.chatJid);
      expect(await jids('100%')).toEqual([ANN]);
      expect(await jids('ANN')).toEqual([ANN]);
      expect(await jids('BOB_')).toEqual([BOB]);
      expect(await jids('1110002')).toEqual([BOB]);
      expect(await jids('_x')).toEqual([]);
      expect((await page(s, 'ann')).total).toBe(1);
    });

    it('marks a chat read, and tells when there is no such chat', async () => {
      await store(s, {});
      await store(s, {});
      expect(await s.chats.markRead('i1', ANN, NOW + 1)).toBe(true);
      expect((await s.chats.find('i1', ANN))?.unreadCount).toBe(0);
      await store(s, {});
      expect((await s.chats.find('i1', ANN))?.unreadCount).toBe(1);
      expect(await s.chats.markRead('i1', BOB, NOW)).toBe(false);
      expect(await s.chats.markRead('i2', ANN, NOW)).toBe(false);
    });

    it('notes the message in the transaction of its insert: a rollback leaves no chat', async () => {
      await expect(
        s.transaction(async (tx) => {
          const message = messageRecord('i1', { remoteJid: ANN });
          await tx.messages.insert(message);
          await tx.chats.noteMessage(message, NOW);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      // MongoDB without a replica set has no transactions; the contract holds where there are.
      if (s.provider !== 'mongodb') expect(await s.chats.find('i1', ANN)).toBeUndefined();
    });

    it('goes with its instance', async () => {
      await s.instances.insert({ id: 'i1', userId: 'u1', name: 'x', description: null, engine: 'simulator', status: 'created', linked: false, phoneJid: null, webhookUrl: null, webhookEnabled: false, lastActivity: null, lastEventTs: 0, createdAt: NOW, updatedAt: NOW });
      await store(s, {});
      await s.instances.delete('i1');
      expect(await s.chats.find('i1', ANN)).toBeUndefined();
    });

    it('makes chats of the messages stored before chats were kept, all read', async () => {
      await store(s, { remoteJid: ANN, content: 'old', timestamp: NOW });
      const last = await store(s, { remoteJid: ANN, content: 'last', timestamp: NOW + 1000 });
      const tie = [await store(s, { remoteJid: BOB, timestamp: NOW }), await store(s, { remoteJid: BOB, timestamp: NOW })];
      await forgetChats(s);
      s = await opened.reopen();
      const chats = await page(s);
      expect(chats.items.map((c) => [c.chatJid, c.lastMessage?.messageId, c.unreadCount])).toEqual([
        [ANN, last.messageId, 0],
        [BOB, tie[1].messageId, 0],
      ]);
      expect(chats.items[0].lastActivityAt).toBe(NOW + 1000);
    });
  });
}
