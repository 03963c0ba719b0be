import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageStatus } from '../../src/engines/engine.js';
import { statusesNotAdvancedBy } from '../../src/services/message-status.js';
import type { Store } from '../../src/store/store.js';
import { DECOY_TEXT, writeBeforeSentRename } from '../support/old-statuses.js';
import { forgetContactLids } from '../support/old-contacts.js';
import { forgetWebhookEvents } from '../support/old-webhook-settings.js';
import { messageRecord, NOW } from '../support/records.js';
import { type OpenedStore, storeFactories } from '../support/stores.js';

for (const factory of storeFactories()) {
  describe(`store migrations: ${factory.name}`, () => {
    let opened: OpenedStore;
    beforeEach(async () => {
      opened = await factory.open();
    });
    afterEach(() => opened.dispose());

    it('renames the stored status server_ack to sent in messages and events, and nothing else', async () => {
      const untouched = messageRecord('i1', { fromMe: true, status: 'delivered' });
      await opened.store.messages.insert(untouched);
      const old = await writeBeforeSentRename(opened.store, 'i1');

      const store: Store = await opened.reopen();

      expect(await store.messages.findByMessageId('i1', old.messageId)).toMatchObject({ status: 'sent', content: DECOY_TEXT, statusUpdatedAt: NOW + 1 });
      expect((await store.messages.findByMessageId('i1', untouched.messageId))?.status).toBe('delivered');
      expect((await store.events.findById(old.sentEventId))?.data).toMatchObject({ status: 'sent', body: DECOY_TEXT });
      expect((await store.events.findById(old.statusEventId))?.data).toEqual({
        instanceId: 'i1',
        messageId: old.messageId,
        remoteJid: old.remoteJid,
        from: old.remoteJid,
        fromMe: true,
        status: 'sent',
      });
      const feed = await store.events.list({ instanceId: 'i1', limit: 10 });
      expect(feed.items.map((e) => e.data.status)).toEqual(['sent', 'sent']);
    });

    it('keeps a renamed message in its place in the status order', async () => {
      const old = await writeBeforeSentRename(opened.store, 'i1');
      const store = await opened.reopen();
      const advance = (status: MessageStatus, at: number) => store.messages.advanceStatus('i1', old.messageId, status, statusesNotAdvancedBy(status) ?? [], at);
      expect(await advance('sent', NOW + 2)).toBeUndefined();
      expect(await advance('delivered', NOW + 3)).toMatchObject({ status: 'delivered', statusUpdatedAt: NOW + 3 });
      expect(await advance('sent', NOW + 4)).toBeUndefined();
    });

    it('records the rename as done: a later open does not run it again', async () => {
      await opened.store.messages.insert(messageRecord('i1', { fromMe: true, status: 'server_ack' }));
      const store = await opened.reopen();
      const [row] = (await store.messages.listChat({ instanceId: 'i1', remoteJid: '79001234567@s.whatsapp.net', limit: 1, skip: 0 })).items;
      expect(row.status).toBe('server_ack');
    });

    it('adds the webhook event subscription to settings stored before it: none (the flags decide)', async () => {
      const settings = { instanceId: 'i1', notifyReceived: true, notifySent: false, notifyDelivery: false, notifyRead: false, maxRetries: 3, retryInterval: 1000, secretEnc: null, headers: {}, events: null, updatedAt: NOW };
      await opened.store.webhookSettings.upsert(settings);
      await forgetWebhookEvents(opened.store);
      const store = await opened.reopen();
      expect(await store.webhookSettings.find('i1')).toEqual(settings);
      await store.webhookSettings.upsert({ ...settings, events: ['poll_vote'] });
      expect((await store.webhookSettings.find('i1'))?.events).toEqual(['poll_vote']);
    });

    it('adds the LID to contacts stored before it: none, until WhatsApp names one', async () => {
      const jid = '79001234567@s.whatsapp.net';
      await opened.store.contacts.upsert('i1', jid, { pushName: 'Ann' }, NOW);
      await forgetContactLids(opened.store);
      const store = await opened.reopen();
      expect(await store.contacts.find('i1', jid)).toMatchObject({ remoteJid: jid, pushName: 'Ann', lid: null });
      await store.contacts.upsert('i1', jid, { lid: '123456789012345@lid' }, NOW + 1);
      expect(await store.contacts.find('i1', jid)).toMatchObject({ pushName: 'Ann', lid: '123456789012345@lid' });
    });
  });
}
