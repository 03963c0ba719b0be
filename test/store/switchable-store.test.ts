import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store, UserRecord } from '../../src/store/store.js';
import { SwitchableStore } from '../../src/store/switchable-store.js';
import type { SqlStore } from '../../src/store/sql/sql-store.js';
import { userRecord } from '../support/records.js';


const user = (id: string) => userRecord({ id });

/** Resolves after every callback already queued has run: long enough for a write that is not gated to finish. */
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('switchable store', () => {
  let dir: string;
  let first: SqlStore;
  let second: SqlStore;
  let store: SwitchableStore;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wa-switch-'));
    first = await openSqliteStore(path.join(dir, 'first.db'));
    second = await openSqliteStore(path.join(dir, 'second.db'));
    store = new SwitchableStore(first);
  });
  afterEach(async () => {
    await first.close().catch(() => undefined);
    await second.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds new writes at a closed gate while reads go on, then sends them to the new store', async () => {
    await store.users.insert(user('before'));
    await store.pauseWrites();
    let written = false;
    const held = store.users.insert(user('during')).then(() => (written = true));
    const transaction = store.transaction((tx) => tx.users.insert(user('in-tx')));
    await settle();
    expect(written).toBe(false);
    expect(await store.users.findById('before')).toBeDefined();
    expect(await store.users.count()).toBe(1);

    await second.users.insert(user('before'));
    expect(store.resumeWrites(second)).toBe(first);
    await held;
    await transaction;
    expect(store.provider).toBe('sqlite');
    expect(await second.users.findById('during')).toBeDefined();
    expect(await second.users.findById('in-tx')).toBeDefined();
    expect(await first.users.findById('during')).toBeUndefined();
  });

  it('waits for writes already past the gate before it reports the gate closed', async () => {
    let release!: () => void;
    const blocker = new Promise<void>((r) => (release = r));
    const running = store.transaction(async (tx) => {
      await blocker;
      await tx.users.insert(user('slow'));
    });
    let paused = false;
    const pausing = store.pauseWrites().then(() => (paused = true));
    await settle();
    expect(paused).toBe(false);
    release();
    await running;
    await pausing;
    expect(await first.users.findById('slow')).toBeDefined();
    store.resumeWrites();
  });

  it('lets a running write call the store again without waiting for itself', async () => {
    // SQLite's single connection would block an outer call inside its transaction, so a store
    // whose transaction is just the callback stands in.
    const inserted: string[] = [];
    const users = { insert: async (u: UserRecord) => void inserted.push(u.id) };
    const plain = { provider: 'sqlite', users, transaction: (work: (tx: unknown) => Promise<unknown>) => work({ users }) } as unknown as Store;
    const wrapped = new SwitchableStore(plain);
    let release!: () => void;
    const blocker = new Promise<void>((r) => (release = r));
    const outer = wrapped.transaction(async () => {
      await blocker;
      await wrapped.users.insert(user('nested'));
    });
    const pausing = wrapped.pauseWrites();
    release();
    await outer;
    await pausing;
    expect(inserted).toEqual(['nested']);
    wrapped.resumeWrites();
  });

  it('notes removing writes only while watching, inside transactions too', async () => {
    await store.users.insert(user('gone'));
    await store.users.delete('gone');
    store.watchRemovals();
    expect(store.takeRemovals()).toBe(false);
    store.watchRemovals();
    await store.authState.clear('x');
    expect(store.takeRemovals()).toBe(true);
    store.watchRemovals();
    await store.transaction(async (tx) => {
      await tx.users.insert(user('inside'));
      expect(await tx.users.findById('inside')).toBeDefined();
    });
    expect(store.takeRemovals()).toBe(false);
    store.watchRemovals();
    await store.transaction((tx) => tx.instances.delete('none'));
    expect(store.takeRemovals()).toBe(true);
  });
});
