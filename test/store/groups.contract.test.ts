import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GroupRecord } from '../../src/store/groups.js';
import type { Store } from '../../src/store/store.js';
import { NOW } from '../support/records.js';
import { type OpenedStore, storeFactories } from '../support/stores.js';

const ANN = '79001110001@s.whatsapp.net';

function group(groupJid: string, overrides: Partial<GroupRecord> = {}): GroupRecord {
  return {
    instanceId: 'i1',
    groupJid,
    subject: 'Team',
    description: null,
    owner: ANN,
    announce: false,
    restrict: false,
    ephemeralSeconds: 0,
    isAdmin: true,
    participants: [{ jid: ANN, lid: '123456789012345@lid', admin: 'superadmin' }, { jid: '79001110002@s.whatsapp.net', admin: null }],
    groupCreatedAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

for (const factory of storeFactories()) {
  describe(`groups store contract: ${factory.name}`, () => {
    let opened: OpenedStore;
    let s: Store;
    beforeEach(async () => {
      opened = await factory.open();
      s = opened.store;
    });
    afterEach(() => opened.dispose());

    it('stores a group with its members and replaces it on the next upsert', async () => {
      await s.groups.upsert(group('1@g.us'));
      expect(await s.groups.find('i1', '1@g.us')).toEqual(group('1@g.us'));
      const changed = group('1@g.us', { subject: 'Renamed', description: 'About', announce: true, restrict: true, ephemeralSeconds: 604800, isAdmin: false, participants: [], groupCreatedAt: null, updatedAt: NOW + 1 });
      await s.groups.upsert(changed);
      expect(await s.groups.find('i1', '1@g.us')).toEqual(changed);
      expect(await s.groups.find('i2', '1@g.us')).toBeUndefined();
    });

    it('lists by subject with search and paging, and deletes', async () => {
      await s.groups.upsert(group('1@g.us', { subject: 'Bravo' }));
      await s.groups.upsert(group('2@g.us', { subject: 'Alpha 100%' }));
      await s.groups.upsert(group('3@g.us', { subject: 'Charlie' }));
      await s.groups.upsert(group('4@g.us', { instanceId: 'i2', subject: 'Other' }));
      const all = await s.groups.list({ instanceId: 'i1', limit: 10, skip: 0 });
      expect(all.total).toBe(3);
      expect(all.items.map((g) => g.subject)).toEqual(['Alpha 100%', 'Bravo', 'Charlie']);
      expect((await s.groups.list({ instanceId: 'i1', limit: 1, skip: 1 })).items.map((g) => g.subject)).toEqual(['Bravo']);
      expect((await s.groups.list({ instanceId: 'i1', search: 'CHAR', limit: 10, skip: 0 })).items.map((g) => g.groupJid)).toEqual(['3@g.us']);
      expect((await s.groups.list({ instanceId: 'i1', search: '0%', limit: 10, skip: 0 })).items.map((g) => g.groupJid)).toEqual(['2@g.us']);
      expect((await s.groups.list({ instanceId: 'i1', search: '2@g', limit: 10, skip: 0 })).items.map((g) => g.groupJid)).toEqual(['2@g.us']);
      expect(await s.groups.delete('i1', '1@g.us')).toBe(true);
      expect(await s.groups.delete('i1', '1@g.us')).toBe(false);
      expect((await s.groups.list({ instanceId: 'i1', limit: 10, skip: 0 })).total).toBe(2);
    });

    it('replaces all groups of one instance at once, leaving other instances alone', async () => {
      await s.groups.upsert(group('1@g.us'));
      await s.groups.upsert(group('2@g.us'));
      await s.groups.upsert(group('9@g.us', { instanceId: 'i2' }));
      await s.groups.replaceAll('i1', [group('2@g.us', { subject: 'Kept' }), group('3@g.us')]);
      expect((await s.groups.list({ instanceId: 'i1', limit: 10, skip: 0 })).items.map((g) => [g.groupJid, g.subject])).toEqual([
        ['2@g.us', 'Kept'],
        ['3@g.us', 'Team'],
      ]);
      await s.groups.replaceAll('i1', []);
      expect((await s.groups.list({ instanceId: 'i1', limit: 10, skip: 0 })).total).toBe(0);
      expect(await s.groups.find('i2', '9@g.us')).toBeDefined();
    });
  });
}
