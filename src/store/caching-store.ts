import type { InstanceRecord, InstancesRepository, Page, Repositories, Settled, Store, UserRecord, UsersRepository } from './store.js';
import type { BulkTransfer } from './transfer.js';
import type { LimitScope, LimitsRecord, LimitsRepository } from './usage.js';
import { ReadThroughCache } from '../core/cache.js';

/** Records kept per cache; a few MB at most, and the TTL keeps only what is in use anyway. */
const MAX_ENTRIES = 10_000;

type Patch<T> = Partial<Omit<T, 'id' | 'userId' | 'createdAt'>>;

/**
 * What every request reads and rarely changes, answered from memory: users by id and by API-key
 * index, instances by id, limits by level. Every write to those rows in this process goes
 * through this store (every service holds it), so it is seen at once: the affected entries are
 * dropped when the write starts, again when it returns, and for writes inside a transaction
 * again after the transaction ends, so a read that raced the write cannot keep the old row.
 * Writes made by another process (another node on the same database) are seen after at most
 * `ttlMs` (CACHE_TTL_MS), the age of the oldest entry. Reads inside a transaction always go to
 * the database. A database switch copies every row before the store is swapped, so cached rows
 * stay right across it.
 *
 * Users are dropped all together on any user write (rare), and a user's deletion also drops
 * every instance and limit, since the database may remove their rows by cascade.
 */
export class CachingStore implements Store {
  readonly users: UsersRepository;
  readonly instances: InstancesRepository;
  readonly limits: LimitsRepository;
  readonly webhookSettings: Store['webhookSettings'];
  readonly authState: Store['authState'];
  readonly messages: Store['messages'];
  readonly contacts: Store['contacts'];
  readonly chats: Store['chats'];
  readonly groups: Store['groups'];
  readonly activity: Store['activity'];
  readonly events: Store['events'];
  readonly deliveries: Store['deliveries'];
  readonly usage: Store['usage'];

  private readonly caches: Caches;

  constructor(
    private readonly inner: Store,
    ttlMs: number,
  ) {
    this.caches = {
      userById: new ReadThroughCache(ttlMs, MAX_ENTRIES),
      userByKey: new ReadThroughCache(ttlMs, MAX_ENTRIES),
      instances: new ReadThroughCache(ttlMs, MAX_ENTRIES),
      limits: new ReadThroughCache(ttlMs, MAX_ENTRIES),
    };
    const direct = { caches: this.caches, written: afterEach };
    this.users = new CachedUsers(inner.users, direct);
    this.instances = new CachedInstances(inner.instances, direct);
    this.limits = new CachedLimits(inner.limits, direct);
    this.webhookSettings = inner.webhookSettings;
    this.authState = inner.authState;
    this.messages = inner.messages;
    this.contacts = inner.contacts;
    this.chats = inner.chats;
    this.groups = inner.groups;
    this.activity = inner.activity;
    this.events = inner.events;
    this.deliveries = inner.deliveries;
    this.usage = inner.usage;
  }

  get provider(): Store['provider'] {
    return this.inner.provider;
  }

  get transfer(): BulkTransfer {
    return this.inner.transfer;
  }

  async transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    const pending: Array<() => void> = [];
    try {
      return await this.inner.transaction((tx) => work(this.inTransaction(tx, pending)));
    } finally {
      for (const invalidate of pending) invalidate();
    }
  }

  async transactionGroup(works: ReadonlyArray<(tx: Repositories) => Promise<unknown>>): Promise<Settled[]> {
    const pending: Array<() => void> = [];
    try {
      return await this.inner.transactionGroup(works.map((work) => (tx: Repositories) => work(this.inTransaction(tx, pending))));
    } finally {
      for (const invalidate of pending) invalidate();
    }
  }

  /** A transaction's repositories: reads uncached, invalidations held until it ends. */
  private inTransaction(tx: Repositories, pending: Array<() => void>): Repositories {
    const scope: Scope = { caches: this.caches, written: (invalidate) => pending.push(invalidate), uncached: true };
    return {
      ...pick(tx),
      users: new CachedUsers(tx.users, scope),
      instances: new CachedInstances(tx.instances, scope),
      limits: new CachedLimits(tx.limits, scope),
    };
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

interface Caches {
  userById: ReadThroughCache<UserRecord>;
  userByKey: ReadThroughCache<UserRecord>;
  instances: ReadThroughCache<InstanceRecord>;
  limits: ReadThroughCache<LimitsRecord | null>;
}

/**
 * Where a repository runs: on the store (reads cached, a write invalidates again once it
 * returns) or in a transaction (reads uncached, invalidated again once the transaction ends).
 */
interface Scope {
  caches: Caches;
  written(invalidate: () => void): void;
  uncached?: boolean;
}

const afterEach = (invalidate: () => void): void => invalidate();

/** The repositories this store passes through unchanged, taken from a transaction's own. */
function pick(tx: Repositories): Omit<Repositories, 'users' | 'instances' | 'limits'> {
  const { webhookSettings, authState, messages, contacts, chats, groups, activity, events, deliveries, usage } = tx;
  return { webhookSettings, authState, messages, contacts, chats, groups, activity, events, deliveries, usage };
}

async function writing<T>(scope: Scope, invalidate: () => void, write: () => Promise<T>): Promise<T> {
  invalidate();
  try {
    return await write();
  } finally {
    scope.written(invalidate);
  }
}

/** Copies hand out, so a caller changing its record cannot change what the next request reads. */
function copy<T extends object>(record: T | undefined): T | undefined {
  return record && { ...record };
}

class CachedUsers implements UsersRepository {
  constructor(
    private readonly inner: UsersRepository,
    private readonly scope: Scope,
  ) {}

  async findById(id: string): Promise<UserRecord | undefined> {
    if (this.scope.uncached) return this.inner.findById(id);
    return copy(await this.scope.caches.userById.get(id, () => this.inner.findById(id)));
  }

  async findByApiKeyIndex(index: string): Promise<UserRecord | undefined> {
    if (this.scope.uncached) return this.inner.findByApiKeyIndex(index);
    return copy(await this.scope.caches.userByKey.get(index, () => this.inner.findByApiKeyIndex(index)));
  }

  findByEmail(email: string): Promise<UserRecord | undefined> {
    return this.inner.findByEmail(email);
  }

  list(page: Page): Promise<{ items: UserRecord[]; total: number }> {
    return this.inner.list(page);
  }

  count(): Promise<number> {
    return this.inner.count();
  }

  insert(user: UserRecord): Promise<void> {
    return writing(this.scope, () => this.dropUsers(), () => this.inner.insert(user));
  }

  update(id: string, patch: Patch<UserRecord>): Promise<UserRecord | undefined> {
    return writing(this.scope, () => this.dropUsers(), () => this.inner.update(id, patch));
  }

  delete(id: string): Promise<boolean> {
    const { caches } = this.scope;
    const drop = () => {
      this.dropUsers();
      caches.instances.clear();
      caches.limits.clear();
    };
    return writing(this.scope, drop, () => this.inner.delete(id));
  }

  private dropUsers(): void {
    this.scope.caches.userById.clear();
    this.scope.caches.userByKey.clear();
  }
}

class CachedInstances implements InstancesRepository {
  constructor(
    private readonly inner: InstancesRepository,
    private readonly scope: Scope,
  ) {}

  async findById(id: string): Promise<InstanceRecord | undefined> {
    if (this.scope.uncached) return this.inner.findById(id);
    return copy(await this.scope.caches.instances.get(id, () => this.inner.findById(id)));
  }

  list(userId?: string): Promise<InstanceRecord[]> {
    return this.inner.list(userId);
  }

  listLinked(): Promise<InstanceRecord[]> {
    return this.inner.listLinked();
  }

  countByUser(userId: string): Promise<number> {
    return this.inner.countByUser(userId);
  }

  count(): Promise<number> {
    return this.inner.count();
  }

  insert(instance: InstanceRecord): Promise<void> {
    return writing(this.scope, this.drop(instance.id), () => this.inner.insert(instance));
  }

  update(id: string, patch: Patch<InstanceRecord>): Promise<InstanceRecord | undefined> {
    return writing(this.scope, this.drop(id), () => this.inner.update(id, patch));
  }

  delete(id: string): Promise<boolean> {
    const { caches } = this.scope;
    const drop = () => {
      caches.instances.invalidate(id);
      caches.limits.invalidate(limitsKey('instance', id));
    };
    return writing(this.scope, drop, () => this.inner.delete(id));
  }

  /**
   * Moves only `lastEventTs`, which nothing reads from a cached instance (the event log takes it
   * from this call's own result), so the cached row stays: dropping it here made every message's
   * next request read its instance again (bench/, `npm run bench:queries`).
   */
  nextEventTs(id: string, now: number): ReturnType<InstancesRepository['nextEventTs']> {
    return this.inner.nextEventTs(id, now);
  }

  private drop(id: string): () => void {
    return () => this.scope.caches.instances.invalidate(id);
  }
}

class CachedLimits implements LimitsRepository {
  constructor(
    private readonly inner: LimitsRepository,
    private readonly scope: Scope,
  ) {}

  async find(scope: LimitScope, scopeId: string): Promise<LimitsRecord | undefined> {
    if (this.scope.uncached) return this.inner.find(scope, scopeId);
    // Most levels set nothing: that answer is kept too (as null), or every check would ask again.
    // Handed out frozen, not copied: the same object until the row changes lets LimitsService
    // resolve a level's limits once instead of on every check.
    const record = await this.scope.caches.limits.get(limitsKey(scope, scopeId), async () => {
      const found = await this.inner.find(scope, scopeId);
      return found ? Object.freeze({ ...found, values: Object.freeze({ ...found.values }) }) : null;
    });
    return record ?? undefined;
  }

  put(record: LimitsRecord): Promise<void> {
    const key = limitsKey(record.scope, record.scopeId);
    return writing(this.scope, () => this.scope.caches.limits.invalidate(key), () => this.inner.put(record));
  }

  recordNotice(scopeKey: string, limitName: string, windowStart: number, now: number): Promise<boolean> {
    return this.inner.recordNotice(scopeKey, limitName, windowStart, now);
  }
}

function limitsKey(scope: LimitScope, scopeId: string): string {
  return `${scope}:${scopeId}`;
}
