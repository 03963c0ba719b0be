import { describe, expect, it } from 'vitest';
import {
  activityFilter,
  contactFilter,
  deltaFilter,
  documentId,
  escapeRegex,
  eventFilter,
  fromDocument,
  messageChatFilter,
  toDocument,
  usageFilter,
} from '../../src/store/mongo/documents.js';
import { INDEXES } from '../../src/store/mongo/indexes.js';
import { maskUrl } from '../../src/store/open.js';
import { COLLECTION_NAMES } from '../../src/store/transfer.js';
import { messageRecord, NOW } from '../support/records.js';

const message = messageRecord('inst-1', { id: 'msg-1', messageId: 'WA1', createdAt: NOW + 1, updatedAt: NOW + 2 });

describe('MongoDB documents', () => {
  it('stores a record under its own string id, with times as numbers and objects as objects', () => {
    const doc = toDocument('messages', { ...message });
    expect(doc._id).toBe('msg-1');
    expect(doc).not.toHaveProperty('id');
    expect(doc.timestamp).toBe(1_700_000_000_000);
    expect(doc.metadata).toEqual({ pushName: 'X' });
    expect(doc.fromMe).toBe(false);
    expect(fromDocument('messages', doc)).toEqual(message);
  });

  it('keys composite collections by a JSON array of their key fields, which no separator can fake', () => {
    expect(documentId('authState', { instanceId: 'a', type: 'pre-key', id: '1' })).toBe('["a","pre-key","1"]');
    expect(documentId('authState', { instanceId: 'a:b', type: 'c', id: 'd' })).not.toBe(documentId('authState', { instanceId: 'a', type: 'b:c', id: 'd' }));
    expect(documentId('usage', { instanceId: 'i', day: '2026-11-24', apiCalls: 3 })).toBe('["i","2026-11-24"]');
    expect(documentId('limitNotices', { scopeKey: 'user:1', limitName: 'x', windowStart: 5 })).toBe('["user:1","x",5]');
    expect(documentId('webhookSettings', { instanceId: 'inst-1' })).toBe('inst-1');
    // The webhook outbox: a cursor per instance, an advance per (instance, time); the repository writes these ids itself.
    expect(documentId('webhookCursors', { instanceId: 'inst-1', ts: 5, lockedUntil: null })).toBe('inst-1');
    expect(documentId('webhookRanges', { instanceId: 'inst-1', toTs: 1_700_000_000_001, at: 9 })).toBe(JSON.stringify(['inst-1', 1_700_000_000_001]));
  });

  it('keeps the id field of a composite-key record (auth state keys have one of their own)', () => {
    const row = { instanceId: 'a', type: 'pre-key', id: '1', value: 'v' };
    const doc = toDocument('authState', row);
    expect(doc).toMatchObject({ _id: '["a","pre-key","1"]', id: '1' });
    expect(fromDocument('authState', doc)).toEqual(row);
  });

  it('leaves undefined fields out rather than storing null', () => {
    const doc = toDocument('limits', { scope: 'default', scopeId: '', values: { maxInstances: 2 }, window: undefined, updatedAt: 1 });
    expect(doc).not.toHaveProperty('window');
  });

  it('builds the chat, contact, activity, event and usage filters the SQL adapter applies', () => {
    expect(messageChatFilter({ instanceId: 'i', remoteJid: 'j', from: 1, to: 9, limit: 10, skip: 0 })).toEqual({ instanceId: 'i', remoteJid: 'j', timestamp: { $gte: 1, $lte: 9 } });
    expect(messageChatFilter({ instanceId: 'i', remoteJid: 'j', limit: 10, skip: 0 })).toEqual({ instanceId: 'i', remoteJid: 'j' });
    const pattern = { $regex: 'a\\.b%_', $options: 'i' };
    expect(contactFilter({ instanceId: 'i', search: 'a.b%_', onlyGroups: true, limit: 1, skip: 0 })).toEqual({
      instanceId: 'i',
      isGroup: true,
      $or: [{ name: pattern }, { pushName: pattern }, { number: pattern }],
    });
    expect(activityFilter({ instanceId: 'i', actions: ['a', 'b'], from: 5, limit: 1, skip: 0 })).toEqual({ instanceId: 'i', action: { $in: ['a', 'b'] }, createdAt: { $gte: 5 } });
    expect(activityFilter({ instanceId: 'i', actions: [], limit: 1, skip: 0 })).toEqual({ instanceId: 'i' });
    expect(eventFilter({ instanceId: 'i', since: 7, types: ['x'], limit: 1 })).toEqual({ instanceId: 'i', type: { $in: ['x'] }, ts: { $gt: 7 } });
    expect(usageFilter({ userId: 'u', fromDay: '2026-11-01', toDay: '2026-11-30' })).toEqual({ userId: 'u', day: { $gte: '2026-11-01', $lte: '2026-11-30' } });
  });

  it('escapes every regex metacharacter of a search', () => {
    const special = '.*+?^${}()|[]\\';
    expect(new RegExp(escapeRegex(special)).test(`x${special}y`)).toBe(true);
    expect(new RegExp(escapeRegex('a.c')).test('abc')).toBe(false);
  });

  it('filters a catch-up by the collection’s delta rule', () => {
    expect(deltaFilter('messages', 100)).toEqual({ updatedAt: { $gte: 100 } });
    expect(deltaFilter('events', 5)).toEqual({ seq: { $gte: 5 } });
    expect(deltaFilter('deliveries', 100)).toEqual({ $or: [{ updatedAt: { $gte: 100 } }, { status: 'pending' }] });
    expect(deltaFilter('users', 100)).toEqual({});
    expect(deltaFilter('messages', undefined)).toEqual({});
  });

  it('declares the unique keys the SQL schema enforces, for every collection', () => {
    const unique = (name: keyof typeof INDEXES) => INDEXES[name].filter((i) => i.unique).map((i) => Object.keys(i.key));
    expect(unique('users')).toEqual([['email'], ['apiKeyIndex']]);
    expect(unique('messages')).toEqual([['instanceId', 'messageId']]);
    expect(unique('contacts')).toEqual([['instanceId', 'remoteJid']]);
    expect(unique('authState')).toEqual([['instanceId', 'type', 'id']]);
    expect(unique('usage')).toEqual([['instanceId', 'day']]);
    expect(unique('limits')).toEqual([['scope', 'scopeId']]);
    expect(unique('limitNotices')).toEqual([['scopeKey', 'limitName', 'windowStart']]);
    expect(unique('events')).toEqual([['seq']]);
    expect(Object.keys(INDEXES).sort()).toEqual([...COLLECTION_NAMES].sort());
  });
});

describe('masked database URLs', () => {
  it('hides passwords, keeps everything else', () => {
    expect(maskUrl('postgres://gw:s3cr%40t@db:5432/wa')).toBe('postgres://gw:****@db:5432/wa');
    expect(maskUrl('mongodb://u:p@h1:1,h2:2/wa?replicaSet=rs0')).toBe('mongodb://u:****@h1:1,h2:2/wa?replicaSet=rs0');
    expect(maskUrl('postgres://db/wa?user=gw&password=secret')).toBe('postgres://db/wa?user=gw&password=****');
    expect(maskUrl('file:./data/whatsapp-api.db')).toBe('file:./data/whatsapp-api.db');
    expect(maskUrl('postgres://gw@db/wa')).toBe('postgres://gw@db/wa');
  });
});
