import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageRecord, Store } from '../../src/store/store.js';
import { messageRecord, NOW } from '../support/records.js';
import { storeFactories } from '../support/stores.js';

/** What the messaging services rely on beyond the core contract, for every store adapter. */
const now = NOW;

const message = (overrides: Partial<MessageRecord> = {}) => messageRecord('i1', { metadata: {}, ...overrides });

for (const factory of storeFactories()) {
  describe(`messaging store contract: ${factory.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await factory.open());
    });
    afterEach(() => dispose());

    it('finds a message by its stored media path, within its instance only', async () => {
      const withMedia = message({ hasMedia: true, mediaPath: 'i1/3f1c2a7e-0000-4000-8000-000000000000.png', mimeType: 'image/png', fileName: 'cat.png' });
      await store.messages.insert(withMedia);
      await store.messages.insert(message());
      expect(await store.messages.findByMediaPath('i1', withMedia.mediaPath!)).toMatchObject({ messageId: withMedia.messageId, mimeType: 'image/png', fileName: 'cat.png' });
      expect(await store.messages.findByMediaPath('i2', withMedia.mediaPath!)).toBeUndefined();
      expect(await store.messages.findByMediaPath('i1', 'i1/other.png')).toBeUndefined();
    });

    it('changes a message atomically: concurrent changes all survive', async () => {
      const m = message({ content: 'hi' });
      await store.messages.insert(m);
      const addReaction = (from: string) => (row: MessageRecord) => ({
        content: row.content,
        caption: row.caption,
        metadata: { ...row.metadata, reactions: [...((row.metadata.reactions as string[] | undefined) ?? []), from] },
      });
      await Promise.all(['a', 'b', 'c', 'd'].map((from) => store.messages.change('i1', m.messageId, addReaction(from), now + 1)));
      const stored = await store.messages.findByMessageId('i1', m.messageId);
      expect((stored?.metadata.reactions as string[]).sort()).toEqual(['a', 'b', 'c', 'd']);
      expect(stored?.updatedAt).toBe(now + 1);
    });

    it('changes text and caption with the metadata; leaves the row when the change declines; unknown ids are undefined', async () => {
      const m = message({ content: 'old', caption: 'old' });
      await store.messages.insert(m);
      const changed = await store.messages.change('i1', m.messageId, (row) => ({ content: 'new', caption: 'new', metadata: { ...row.metadata, edits: [row.content] } }), now + 5);
      expect(changed).toMatchObject({ content: 'new', caption: 'new', metadata: { edits: ['old'] } });
      expect(await store.messages.findByMessageId('i1', m.messageId)).toEqual(changed);
      expect(await store.messages.change('i1', m.messageId, () => undefined, now + 9)).toEqual(changed);
      expect(await store.messages.change('i1', 'missing', () => ({ content: 'x', caption: null, metadata: {} }), now)).toBeUndefined();
      expect(await store.messages.change('i2', m.messageId, () => ({ content: 'x', caption: null, metadata: {} }), now)).toBeUndefined();
    });

    it('breaks ties of one timestamp by descending id', async () => {
      for (const id of ['00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000003', '00000000-0000-7000-8000-000000000002']) {
        await store.messages.insert(message({ id, content: id.slice(-1) }));
      }
      const page = await store.messages.listChat({ instanceId: 'i1', remoteJid: '79001234567@s.whatsapp.net', limit: 10, skip: 0 });
      expect(page.items.map((m) => m.content)).toEqual(['3', '2', '1']);
    });

    it('takes % and _ in a contact search literally', async () => {
      await store.contacts.upsert('i1', '79001234567@s.whatsapp.net', { name: '100% Real' }, now);
      await store.contacts.upsert('i1', '79001234568@s.whatsapp.net', { name: 'snake_case' }, now);
      await store.contacts.upsert('i1', '79001234569@s.whatsapp.net', { name: 'Plain' }, now);
      const search = async (text: string) => (await store.contacts.list({ instanceId: 'i1', search: text, limit: 10, skip: 0 })).items.map((c) => c.name);
      expect(await search('%')).toEqual(['100% Real']);
      expect(await search('_')).toEqual(['snake_case']);
      expect(await search('\\')).toEqual([]);
    });
  });
}
