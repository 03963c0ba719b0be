import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
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

  it('gives up a pause whose writes do not finish, and lets writes through again', async () => {
    let release!: () => void;
    const blocker = new Promise<void>((r) => (release = r));
    const stuck = store.transaction(async (tx) => {
      await blocker;
      await tx.users.insert(user('stuck'));
    });
    await expect(store.pauseWrites(100)).rejects.toThrow(/1 write\(s\) still running after 100 ms/);
    // The gate is open again: a new write is not held by it (only by SQLite's one connection,
    // which the stuck transaction holds until it ends).
    const after = store.users.insert(user('after'));
    release();
    await Promise.all([stuck, after]);
    expect(await store.users.findById('after')).toBeDefined();
    expect(await store.users.findById('stuck')).toBeDefined();
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
