import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Repositories, Store } from '../../src/store/store.js';
import { instanceRecord, messageRecord, NOW, userRecord } from '../support/records.js';
import { storeFactories } from '../support/stores.js';

const now = NOW;
const user = userRecord;
const instance = instanceRecord;
const message = messageRecord;

for (const factory of storeFactories()) {
  describe(`store contract: ${factory.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await factory.open());
    });
    afterEach(() => dispose());

    describe('users', () => {
      it('inserts, finds by id, email and API key index, updates and deletes', async () => {
        const u = user();
        await store.users.insert(u);
        expect(await store.users.findById(u.id)).toEqual(u);
        expect(await store.users.findByEmail(u.email)).toEqual(u);
        expect(await store.users.findByApiKeyIndex(u.apiKeyIndex)).toEqual(u);
        const updated = await store.users.update(u.id, { active: false, firstName: 'Z', updatedAt: now + 1 });
        expect(updated).toMatchObject({ active: false, firstName: 'Z', updatedAt: now + 1, email: u.email, tokenVersion: 0 });
        expect(await store.users.update(u.id, { tokenVersion: 1 })).toMatchObject({ tokenVersion: 1, active: false });
        expect(await store.users.findByApiKeyIndex(u.apiKeyIndex)).toMatchObject({ tokenVersion: 1 });
        expect(await store.users.delete(u.id)).toBe(true);
        expect(await store.users.findById(u.id)).toBeUndefined();
        expect(await store.users.delete(u.id)).toBe(false);
      });

      it('removes the limits set for a user with the user', async () => {
        const u = user();
        await store.users.insert(u);
        await store.limits.put({ scope: 'user', scopeId: u.id, values: { maxMessagesSent: 5 }, updatedAt: now });
        await store.limits.put({ scope: 'default', scopeId: '', values: { maxMessagesSent: 9 }, updatedAt: now });
        await store.users.delete(u.id);
        expect(await store.limits.find('user', u.id)).toBeUndefined();
        expect(await store.limits.find('default', '')).toBeDefined();
      });

            it('rejects a duplicate email', async () => {
        const u = user();
        await store.users.insert(u);
        await expect(store.users.insert(user({ email: u.email }))).rejects.toThrow();
      });

      it('lists in creation order with a total', async () => {
        for (let i = 0; i < 3; i++) await store.users.insert(user({ createdAt: now + i }));
        const page = await store.users.list({ limit: 2, skip: 1 });
        expect(page.total).toBe(3);
        expect(page.items.map((u) => u.createdAt)).toEqual([now + 1, now + 2]);
      });
    });

    describe('instances', () => {
      it('round-trips every field and lists by user and linked flag', async () => {
        const u = user();
        await store.users.insert(u);
        const a = instance(u.id, { linked: true, webhookEnabled: true, webhookUrl: 'https://x.test/h', lastActivity: now + 5, phoneJid: '1@s.whatsapp.net' });
        const b = instance(u.id, { createdAt: now + 1 });
        const c = instance('someone-else', { createdAt: now + 2 });
        for (const i of [a, b, c]) await store.instances.insert(i);
        expect(await store.instances.findById(a.id)).toEqual(a);
        expect((await store.instances.list(u.id)).map((i) => i.id)).toEqual([a.id, b.id]);
        expect((await store.instances.list()).length).toBe(3);
        expect((await store.instances.listLinked()).map((i) => i.id)).toEqual([a.id]);
        expect(await store.instances.countByUser(u.id)).toBe(2);
      });

      it('hands out strictly increasing event timestamps even when the clock stands still or goes back', async () => {
        const i = instance('u');
        await store.instances.insert(i);
        const stamp = async (at: number) => (await store.instances.nextEventTs(i.id, at)).lastEventTs;
        const first = await stamp(now);
        const second = await stamp(now);
        const third = await stamp(now - 1000);
        const later = await stamp(now + 10_000);
        expect([first, second, third, later]).toEqual([now, now + 1, now + 2, now + 10_000]);
        expect(await store.instances.nextEventTs(i.id, now)).toEqual({ ...i, lastEventTs: now + 10_001 });
      });

      it('deletes an instance with everything it owns', async () => {
        const i = instance('u');
        await store.instances.insert(i);
        await store.messages.insert(message(i.id));
        await store.contacts.upsert(i.id, '1@s.whatsapp.net', { name: 'n' }, now);
        await store.authState.set(i.id, { creds: { '': '{}' } });
        await store.events.append({ id: randomUUID(), instanceId: i.id, type: 'connected', data: {}, ts: now });
        expect(await store.instances.delete(i.id)).toBe(true);
        expect(await store.instances.findById(i.id)).toBeUndefined();
        expect(await store.messages.count()).toBe(0);
        expect(await store.contacts.find(i.id, '1@s.whatsapp.net')).toBeUndefined();
        expect(await store.authState.get(i.id, 'creds', [''])).toEqual({});
        expect(await store.events.count()).toBe(0);
      });
    });

    describe('webhook settings', () => {
      it('upserts and reads back', async () => {
        const settings = { instanceId: 'i1', notifyReceived: true, notifySent: false, notifyDelivery: true, notifyRead: false, maxRetries: 3, retryInterval: 60000, secretEnc: 'enc', headers: { A: 'b' }, events: null, updatedAt: now };
        await store.webhookSettings.upsert(settings);
        expect(await store.webhookSettings.find('i1')).toEqual(settings);
        await store.webhookSettings.upsert({ ...settings, maxRetries: 9, headers: {}, events: ['message_reaction', 'poll_vote'] });
        expect(await store.webhookSettings.find('i1')).toMatchObject({ maxRetries: 9, headers: {}, events: ['message_reaction', 'poll_vote'] });
      });
    });

    describe('auth state', () => {
      it('gets what was set, deletes on null and clears per instance', async () => {
        await store.authState.set('i1', { 'pre-key': { '1': 'a', '2': 'b' }, creds: { '': 'c' } });
        await store.authState.set('i2', { 'pre-key': { '1': 'other' } });
        expect(await store.authState.get('i1', 'pre-key', ['1', '2', '3'])).toEqual({ '1': 'a', '2': 'b' });
        await store.authState.set('i1', { 'pre-key': { '1': null, '2': 'b2' } });
        expect(await store.authState.get('i1', 'pre-key', ['1', '2'])).toEqual({ '2': 'b2' });
        await store.authState.clear('i1');
        expect(await store.authState.get('i1', 'creds', [''])).toEqual({});
        expect(await store.authState.get('i2', 'pre-key', ['1'])).toEqual({ '1': 'other' });
      });
    });

    describe('messages', () => {
      it('ignores a second insert of the same message id', async () => {
        const m = message('i1');
        expect(await store.messages.insert(m)).toBe(true);
        expect(await store.messages.insert({ ...m, id: randomUUID(), content: 'dup' })).toBe(false);
        expect((await store.messages.findByMessageId('i1', m.messageId))?.content).toBe('hi');
      });

      it('pages a chat newest first with date bounds and a total', async () => {
        for (let i = 0; i < 5; i++) await store.messages.insert(message('i1', { timestamp: now + i * 1000, content: `m${i}` }));
        await store.messages.insert(message('i1', { remoteJid: 'other@s.whatsapp.net' }));
        const page = await store.messages.listChat({ instanceId: 'i1', remoteJid: '79001234567@s.whatsapp.net', limit: 2, skip: 1 });
        expect(page.total).toBe(5);
        expect(page.items.map((m) => m.content)).toEqual(['m3', 'm2']);
        const bounded = await store.messages.listChat({ instanceId: 'i1', remoteJid: '79001234567@s.whatsapp.net', from: now + 1000, to: now + 3000, limit: 10, skip: 0 });
        expect(bounded.items.map((m) => m.content)).toEqual(['m3', 'm2', 'm1']);
      });

      it('updates status with its time', async () => {
        const m = message('i1', { fromMe: true, status: 'pending' });
        await store.messages.insert(m);
        const updated = await store.messages.updateStatus('i1', m.messageId, 'delivered', now + 50);
        expect(updated).toEqual({ ...m, status: 'delivered', statusUpdatedAt: now + 50, updatedAt: now + 50 });
        expect(await store.messages.findByMessageId('i1', m.messageId)).toEqual(updated);
        expect(await store.messages.updateStatus('i1', 'missing', 'read', now)).toBeUndefined();
      });

      it('advances status only from a status not listed', async () => {
        const m = message('i1', { fromMe: true, status: 'sent' });
        await store.messages.insert(m);
        expect(await store.messages.advanceStatus('i1', m.messageId, 'delivered', ['delivered', 'read'], now + 10)).toEqual({ ...m, status: 'delivered', statusUpdatedAt: now + 10, updatedAt: now + 10 });
        expect(await store.messages.advanceStatus('i1', m.messageId, 'read', ['read'], now + 20)).toMatchObject({ status: 'read', statusUpdatedAt: now + 20 });
        expect(await store.messages.advanceStatus('i1', m.messageId, 'delivered', ['delivered', 'read'], now + 30)).toBeUndefined();
        expect(await store.messages.advanceStatus('i1', 'missing', 'read', ['read'], now + 30)).toBeUndefined();
        expect(await store.messages.findByMessageId('i1', m.messageId)).toMatchObject({ status: 'read', statusUpdatedAt: now + 20 });
      });
    });

    describe('contacts', () => {
      it('merges fields on upsert and searches names and numbers case-insensitively', async () => {
        const created = await store.contacts.upsert('i1', '79001234567@s.whatsapp.net', { pushName: 'Gil', lastActivity: now }, now);
        const merged = await store.contacts.upsert('i1', '79001234567@s.whatsapp.net', { name: 'Hong Gildong' }, now + 1);
        expect(merged).toMatchObject({ number: '79001234567', name: 'Hong Gildong', pushName: 'Gil', lastActivity: now, isGroup: false, updatedAt: now + 1 });
        expect(merged).toEqual({ ...created, name: 'Hong Gildong', updatedAt: now + 1 });
        expect(await store.contacts.find('i1', '79001234567@s.whatsapp.net')).toEqual(merged);
        await store.contacts.upsert('i1', '1234567890@g.us', { name: 'Work group' }, now);
        expect((await store.contacts.list({ instanceId: 'i1', search: 'GILD', limit: 10, skip: 0 })).items).toHaveLength(1);
        expect((await store.contacts.list({ instanceId: 'i1', search: '9001', limit: 10, skip: 0 })).items).toHaveLength(1);
        const groups = await store.contacts.list({ instanceId: 'i1', onlyGroups: true, limit: 10, skip: 0 });
        expect(groups.items.map((c) => c.remoteJid)).toEqual(['1234567890@g.us']);
        expect(groups.items[0].isGroup).toBe(true);
        expect((await store.contacts.list({ instanceId: 'i1', search: '100%', limit: 10, skip: 0 })).total).toBe(0);
      });
    });

    describe('activity', () => {
      it('lists newest first, filtered by action and dates', async () => {
        const actions = ['qr_received', 'connected', 'disconnected', 'connected'];
        for (const [i, action] of actions.entries()) await store.activity.insert({ id: randomUUID(), instanceId: 'i1', action, details: { n: i }, createdAt: now + i });
        const all = await store.activity.list({ instanceId: 'i1', limit: 10, skip: 0 });
        expect(all.items.map((a) => a.details.n)).toEqual([3, 2, 1, 0]);
        const connected = await store.activity.list({ instanceId: 'i1', actions: ['connected'], from: now + 2, limit: 10, skip: 0 });
        expect(connected.items.map((a) => a.details.n)).toEqual([3]);
        expect(connected.total).toBe(1);
      });
    });

    describe('events', () => {
      it('pages with since (ascending, exclusive), without since (newest, ascending) and by type', async () => {
        for (let i = 0; i < 5; i++) await store.events.append({ id: randomUUID(), instanceId: 'i1', type: i % 2 ? 'message_sent' : 'message_received', data: { n: i }, ts: now + i });
        const newest = await store.events.list({ instanceId: 'i1', limit: 2 });
        expect(newest.items.map((e) => e.data.n)).toEqual([3, 4]);
        expect(newest.hasMore).toBe(true);
        const since = await store.events.list({ instanceId: 'i1', since: now + 1, limit: 2 });
        expect(since.items.map((e) => e.data.n)).toEqual([2, 3]);
        expect(since.hasMore).toBe(true);
        const typed = await store.events.list({ instanceId: 'i1', since: now - 1, types: ['message_sent'], limit: 10 });
        expect(typed.items.map((e) => e.data.n)).toEqual([1, 3]);
        expect(typed.hasMore).toBe(false);
        const [first] = since.items;
        expect(await store.events.findById(first.id)).toEqual(first);
        expect(first.seq).toBeGreaterThan(0);
      });
    });

    describe('transactions', () => {
      it('commits all or nothing', async () => {
        const i = instance('u');
        await store.instances.insert(i);
        await expect(
          store.transaction(async (tx) => {
            await tx.messages.insert(message(i.id));
            await tx.events.append({ id: randomUUID(), instanceId: i.id, type: 'message_received', data: {}, ts: now });
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await store.messages.count()).toBe(0);
        expect(await store.events.count()).toBe(0);
        await store.transaction(async (tx) => {
          await tx.messages.insert(message(i.id));
          await tx.events.append({ id: randomUUID(), instanceId: i.id, type: 'message_received', data: {}, ts: now });
        });
        expect(await store.messages.count()).toBe(1);
        expect(await store.events.count()).toBe(1);
      });

      it('serializes event timestamps of one instance across concurrent transactions', async () => {
        const i = instance('u');
        await store.instances.insert(i);
        const stamps = await Promise.all(
          Array.from({ length: 20 }, () =>
            store.transaction(async (tx) => {
              const { lastEventTs: ts } = await tx.instances.nextEventTs(i.id, now);
              await tx.events.append({ id: randomUUID(), instanceId: i.id, type: 'x', data: {}, ts });
              return ts;
            }),
          ),
        );
        expect(new Set(stamps).size).toBe(20);
        expect(Math.max(...stamps)).toBe(now + 19);
      });
    });

    describe('transaction groups', () => {
      it('commits every work that succeeds and undoes only the one that throws', async () => {
        const i = instance('u');
        await store.instances.insert(i);
        const append = (n: number) => async (tx: Repositories) => {
          await tx.messages.insert(message(i.id, { messageId: `m${n}` }));
          const { lastEventTs: ts } = await tx.instances.nextEventTs(i.id, now);
          await tx.events.append({ id: randomUUID(), instanceId: i.id, type: 'message_received', data: { n }, ts });
          return n;
        };
        const failing = async (tx: Repositories) => {
          await append(99)(tx);
          throw new Error('boom');
        };
        const settled = await store.transactionGroup([append(1), failing, append(2)]);
        expect(settled.map((s) => (s.ok ? s.value : (s.error as Error).message))).toEqual([1, 'boom', 2]);
        expect((await store.events.list({ instanceId: i.id, limit: 10 })).items.map((e) => e.data.n)).toEqual([1, 2]);
        expect(await store.messages.findByMessageId(i.id, 'm99')).toBeUndefined();
        // The undone work's timestamp went back with it: the next event follows the last kept one.
        expect((await store.instances.findById(i.id))?.lastEventTs).toBe(now + 1);
      });

      it('lets a work that broke a constraint go without aborting the rest', async () => {
        const i = instance('u');
        await store.instances.insert(i);
        const settled = await store.transactionGroup([
          (tx) => tx.instances.insert(instance('u', { id: i.id })),
          async (tx) => tx.messages.insert(message(i.id, { messageId: 'fresh' })),
        ]);
        expect(settled.map((s) => s.ok)).toEqual([false, true]);
        expect(await store.messages.findByMessageId(i.id, 'fresh')).toBeDefined();
      });

      it('settles a lone work the same way: its failure is an outcome and leaves nothing behind', async () => {
        const i = instance('u');
        await store.instances.insert(i);
        const settled = await store.transactionGroup([
          async (tx) => {
            await tx.messages.insert(message(i.id, { messageId: 'alone' }));
            throw new Error('alone fails');
          },
        ]);
        expect(settled.map((s) => (s.ok ? s.value : (s.error as Error).message))).toEqual(['alone fails']);
        expect(await store.messages.findByMessageId(i.id, 'alone')).toBeUndefined();
        const [kept] = await store.transactionGroup([async (tx) => tx.messages.insert(message(i.id, { messageId: 'kept' }))]);
        expect(kept).toEqual({ ok: true, value: true });
        expect(await store.messages.findByMessageId(i.id, 'kept')).toBeDefined();
      });
    });
  });
}
