import { initAuthCreds, proto } from 'baileys';
import { describe, expect, it } from 'vitest';
import {
  CREDS_ID,
  CREDS_TYPE,
  loadCreds,
  makeKeyStore,
  saveCreds,
} from '../../../src/engines/baileys/auth-state.js';
import { memoryAuthStore } from './memory-auth-store.js';

describe('auth state adapter', () => {
  it('starts from fresh creds and round-trips them with their buffers', async () => {
    const store = memoryAuthStore();
    const creds = await loadCreds(store);
    expect(creds.me).toBeUndefined();
    creds.me = { id: '15550001111:2@s.whatsapp.net', name: 'Bob' };
    creds.account = { details: Buffer.from([1, 2, 3]), accountSignatureKey: Buffer.alloc(32, 7) };
    await saveCreds(store, creds);
    const loaded = await loadCreds(store);
    expect(Buffer.isBuffer(loaded.noiseKey.private)).toBe(true);
    expect(Buffer.from(loaded.noiseKey.private).equals(creds.noiseKey.private)).toBe(true);
    expect(Buffer.from(loaded.signedIdentityKey.public).equals(creds.signedIdentityKey.public)).toBe(true);
    expect(loaded.me).toEqual(creds.me);
    expect(Buffer.from(loaded.account!.details!).equals(Buffer.from([1, 2, 3]))).toBe(true);
    expect(store.rows.has(`${CREDS_TYPE}/${CREDS_ID}`)).toBe(true);
  });

  it('does not persist the unconfirmed `me` of a pairing-code attempt', async () => {
    const store = memoryAuthStore();
    const creds = initAuthCreds();
    creds.me = { id: '15550001111@s.whatsapp.net', name: '~' };
    await saveCreds(store, creds);
    expect((await loadCreds(store)).me).toBeUndefined();
    expect(creds.me).toBeDefined();
  });

  it('round-trips signal keys as buffers, leaves out missing ids and deletes on null', async () => {
    const store = memoryAuthStore();
    const keys = makeKeyStore(store);
    const preKey = { public: Buffer.alloc(32, 1), private: Buffer.alloc(32, 2) };
    await keys.set({
      'pre-key': { '1': preKey, '2': preKey },
      session: { 'peer.0': Buffer.from('session-bytes') },
      'device-list': { '15550001111': ['0', '3'] },
    });
    expect(store.setCalls).toBe(1);
    const got = await keys.get('pre-key', ['1', '2', '9']);
    expect(Object.keys(got).sort()).toEqual(['1', '2']);
    expect(Buffer.isBuffer(got['1']!.public)).toBe(true);
    expect(Buffer.from(got["1"]!.private).equals(preKey.private)).toBe(true);
    const session = await keys.get('session', ['peer.0']);
    expect(Buffer.from(session['peer.0']!).toString()).toBe('session-bytes');
    expect(await keys.get('device-list', ['15550001111'])).toEqual({ '15550001111': ['0', '3'] });

    await keys.set({ 'pre-key': { '1': null } });
    expect(Object.keys(await keys.get('pre-key', ['1', '2']))).toEqual(['2']);
  });

  it('keeps the LID mappings Baileys learns, as it writes and reads them', async () => {
    const store = memoryAuthStore();
    await makeKeyStore(store).set({ 'lid-mapping': { '79001234567': '123456789012345', '123456789012345_reverse': '79001234567' } });
    // A new key store over the same rows: what a restart reads.
    const keys = makeKeyStore(store);
    expect(await keys.get('lid-mapping', ['123456789012345_reverse', '79001234567'])).toEqual({ '123456789012345_reverse': '79001234567', '79001234567': '123456789012345' });
  });

  it('rebuilds app-state-sync-key values as protobuf objects', async () => {
    const store = memoryAuthStore();
    const keys = makeKeyStore(store);
    const data = proto.Message.AppStateSyncKeyData.fromObject({
      keyData: Buffer.alloc(32, 9),
      fingerprint: { rawId: 5, currentIndex: 1, deviceIndexes: [0, 1] },
      timestamp: 1_700_000_000,
    });
    await keys.set({ 'app-state-sync-key': { AAAA: data } });
    const got = (await keys.get('app-state-sync-key', ['AAAA']))['AAAA'];
    expect(got).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(got!.keyData!).equals(Buffer.alloc(32, 9))).toBe(true);
    expect(got!.fingerprint?.rawId).toBe(5);
    expect(proto.Message.AppStateSyncKeyData.encode(got!).finish().length).toBeGreaterThan(32);
  });
});
