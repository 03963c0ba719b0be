import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catchUp, copyEverything, countAll } from '../../src/store/copy.js';
import type { DeliveryOutcome } from '../../src/store/deliveries.js';
import type { MessageRecord, Store } from '../../src/store/store.js';
import { COLLECTION_NAMES, COLLECTIONS, type CollectionName, type Row } from '../../src/store/transfer.js';
import { storeFactories } from '../support/stores.js';

const now = 1_700_000_000_000;

/** A bit of everything a store holds, written through the repositories as the services would. */
async function fill(store: Store) {
  const userId = randomUUID();
  await store.users.insert({
    id: userId,
    email: `${userId}@test.local`,
    passwordHash: 'hash',
    firstName: 'A',
    lastName: 'B',
    role: 'admin',
    active: true,
    apiKeyIndex: `idx-${userId}`,
    apiKeyEnc: 'enc',
    tokenVersion: 3,
    createdAt: now,
    updatedAt: now,
  });
  const instanceIds = [randomUUID(), randomUUID()];
  for (const [i, id] of instanceIds.entries()) {
    await store.instances.insert({
      id,
      userId,
      name: `inst ${i}`,
      description: i === 0 ? 'first' : null,
      engine: 'simulator',
      status: 'connected',
      linked: i === 0,
      phoneJid: i === 0 ? '79001234567@s.whatsapp.net' : null,
      webhookUrl: i === 0 ? 'https://example.com/hook' : null,
      webhookEnabled: i === 0,
      lastActivity: i === 0 ? now : null,
      lastEventTs: 0,
      createdAt: now + i,
      updatedAt: now + i,
    });
  }
  const [a, b] = instanceIds;
  await store.webhookSettings.upsert({
    instanceId: a,
    notifyReceived: true,
    notifySent: false,
    notifyDelivery: true,
    notifyRead: false,
    maxRetries: 3,
    retryInterval: 1000,
    secretEnc: 'secret',
    headers: { 'x-one': '1' },
    events: ['poll_vote'],
    updatedAt: now,
  });
  await store.authState.set(a, { creds: { '': '{"me":1}' }, 'pre-key': { '1': 'k1', '2': 'k2', '3': 'k3' } });
  for (let i = 0; i < 5; i++) {
    const message: MessageRecord = {
      id: randomUUID(),
      instanceId: i < 3 ? a : b,
      messageId: `m${i}`,
      remoteJid: `7900000000${i % 2}@s.whatsapp.net`,
      fromMe: i % 2 === 0,
      senderJid: null,
      messageType: i === 4 ? 'image' : 'text',
      content: `text ${i}`,
      hasMedia: i === 4,
      mediaUrl: null,
      mediaPath: i === 4 ? `${b}/m4.png` : null,
      mediaSize: i === 4 ? 1234 : null,
      caption: null,
      mimeType: i === 4 ? 'image/png' : null,
      fileName: null,
      status: 'received',
      metadata: { n: i, nested: { ok: true } },
      timestamp: now + i,
      createdAt: now + i,
      updatedAt: now + i,
      statusUpdatedAt: null,
    };
    await store.messages.insert(message);
    await store.chats.noteMessage(message, now + i);
  }
  await store.contacts.upsert(a, '79000000001@s.whatsapp.net', { name: 'Ann', pushName: 'Annie' }, now);
  await store.contacts.upsert(a, '12345@g.us', { name: 'Group' }, now);
  await store.groups.upsert({
    instanceId: a,
    groupJid: '12345@g.us',
    subject: 'Group',
    description: null,
    owner: '79000000001@s.whatsapp.net',
    announce: true,
    restrict: false,
    ephemeralSeconds: 86400,
    isAdmin: true,
    participants: [{ jid: '79000000001@s.whatsapp.net', lid: '1234567@lid', admin: 'superadmin' }],
    groupCreatedAt: now,
    updatedAt: now,
  });
  await store.activity.insert({ id: randomUUID(), instanceId: a, action: 'connected', details: { via: 'qr' }, createdAt: now });
  for (let i = 0; i < 3; i++) {
    await store.events.append({ id: randomUUID(), instanceId: i < 2 ? a : b, type: 'message_received', data: { i }, ts: now + i, webhook: i < 2 });
  }
  // The webhook outbox: the first event delivered (a cursor and its range), the second failed once (a row).
  await settleNext(store, a, now, { status: 'delivered', attempts: 1, lastStatusCode: 200, deliveredAt: now });
  await settleNext(store, a, now, { attempts: 1, lastAttemptAt: now, lastStatusCode: 500, lastError: 'boom', nextAttemptAt: now + 60_000 });
  await store.usage.add(a, userId, '2026-11-24', { messagesReceived: 3, apiCalls: 7 });
  await store.limits.put({ scope: 'user', scopeId: userId, values: { messagesPerDay: 100 }, window: 'week', updatedAt: now });
  await store.limits.put({ scope: 'default', scopeId: '', values: { maxInstances: 5 }, updatedAt: now });
  await store.limits.recordNotice(`user:${userId}`, 'messagesPerDay', now, now);
  return { userId, a, b };
}

async function settleNext(store: Store, instanceId: string, now: number, outcome: DeliveryOutcome): Promise<void> {
  // Later than the events it settles, so each is due.
  const [next] = (await store.deliveries.claimDue(now + 10, now + 1000, 1000)).filter((d) => d.instanceId === instanceId);
  await store.deliveries.settle(next, now + 1000, outcome, now);
}

async function everything(store: Store, collection: CollectionName): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | null = null;
  do {
    const batch = await store.transfer.exportBatch(collection, { after, limit: 2 });
    rows.push(...batch.rows);
    after = batch.next;
  } while (after !== null);
  const key = (r: Row) => JSON.stringify(COLLECTIONS[collection].key.map((k) => r[k]));
  return rows.sort((x, y) => key(x).localeCompare(key(y)));
}

const factories = storeFactories();

for (const from of factories) {
  for (const to of factories) {
    describe(`bulk transfer: ${from.name} → ${to.name}`, () => {
      let source: Store;
      let target: Store;
      const disposers: Array<() => Promise<void>> = [];
      beforeEach(async () => {
        const s = await from.open();
        const t = await to.open();
        source = s.store;
        target = t.store;
        disposers.push(s.dispose, t.dispose);
      });
      afterEach(async () => {
        for (const dispose of disposers.splice(0)) await dispose();
      });

      it('copies every row of every collection unchanged, in small batches', async () => {
        const { userId, a } = await fill(source);
        const marks = await copyEverything(source, target, { batchSize: 2 });
        const copied = await catchUp(source, target, marks, false, { batchSize: 2 });
        expect(copied).toEqual(await countAll(source));
        for (const collection of COLLECTION_NAMES) {
          expect(copied[collection], collection).toBeGreaterThan(0);
          expect(await everything(target, collection), collection).toEqual(await everything(source, collection));
        }
        // Through the repositories too: the records read back the same on the other side.
        expect(await target.users.findById(userId)).toEqual(await source.users.findById(userId));
        expect(await target.webhookSettings.find(a)).toEqual(await source.webhookSettings.find(a));
        expect(await target.authState.get(a, 'pre-key', ['1', '2', '3'])).toEqual({ '1': 'k1', '2': 'k2', '3': 'k3' });
        expect(await target.limits.find('user', userId)).toEqual(await source.limits.find('user', userId));
        expect(await target.limits.find('default', '')).toEqual(await source.limits.find('default', ''));
        expect(await target.usage.daily({ userId })).toEqual(await source.usage.daily({ userId }));
        const chats = (store: Store) => store.chats.list({ instanceId: a, limit: 10, skip: 0 });
        expect(await chats(target)).toEqual(await chats(source));
        expect((await chats(target)).total).toBe(2);
        expect(await target.limits.recordNotice(`user:${userId}`, 'messagesPerDay', now, now)).toBe(false);
      });

      it('keeps event seqs and continues after the highest one', async () => {
        const { a } = await fill(source);
        await catchUp(source, target, await copyEverything(source, target), false);
        const highest = Math.max(...(await everything(source, 'events')).map((r) => Number(r.seq)));
        const next = await target.events.append({ id: randomUUID(), instanceId: a, type: 'connected', data: {}, ts: now + 100 });
        expect(next).toBeGreaterThan(highest);
      });

      it('catches up with rows written, changed and removed after the first pass', async () => {
        const { a, b } = await fill(source);
        const marks = await copyEverything(source, target);
        await source.messages.updateStatus(a, 'm0', 'read', now + 50);
        await source.events.append({ id: randomUUID(), instanceId: a, type: 'message_status', data: {}, ts: now + 60 });
        await source.authState.set(a, { 'pre-key': { '1': null, '4': 'k4' } });
        await source.usage.add(a, 'u', '2026-11-24', { apiCalls: 1 });
        await source.chats.markRead(a, '79000000001@s.whatsapp.net', now + 70);
        await catchUp(source, target, marks, false);
        expect((await target.chats.find(a, '79000000001@s.whatsapp.net'))?.unreadCount).toBe(0);
        expect((await target.messages.findByMessageId(a, 'm0'))?.status).toBe('read');
        expect(await target.authState.get(a, 'pre-key', ['1', '4'])).toEqual({ '4': 'k4' });
        expect(await everything(target, 'events')).toEqual(await everything(source, 'events'));
        expect(await everything(target, 'usage')).toEqual(await everything(source, 'usage'));

        const again = await copyEverything(source, target);
        await source.instances.delete(b);
        const copied = await catchUp(source, target, again, true);
        expect(copied).toEqual(await countAll(source));
        expect(await target.instances.findById(b)).toBeUndefined();
        expect(await target.messages.findByMessageId(b, 'm3')).toBeUndefined();
      });

      it('empties the target first, so switching back and forth leaves no stale rows', async () => {
        await fill(target);
        await fill(source);
        await catchUp(source, target, await copyEverything(source, target), false);
        expect(await countAll(target)).toEqual(await countAll(source));
      });
    });
  }
}
