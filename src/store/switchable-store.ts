import type { Repositories, Settled, Store } from './store.js';
import type { BulkTransfer } from './transfer.js';

/** Methods that only read; every other repository method counts as a write and waits at a closed gate. */
const READ_METHOD = /^(find|get|list|count|daily|perInstance|total)/;
/** Writes that remove rows: the final catch-up of a switch must then re-copy whole collections. */
const REMOVING_METHOD = /^(delete|clear|remove|prune|purge)/;

/** How long a switch waits for writes already past its gate before it gives up. */
const DRAIN_TIMEOUT_MS = 30_000;

/**
 * The store every service holds. It forwards to the live store and can swap it for another
 * while the process runs (the database switch), with a write gate for the final catch-up:
 * while the gate is closed, new writes and transactions wait and reads go on.
 *
 * A transaction's work must use only the repositories it is handed, never this store: on
 * SQLite an outer call inside a transaction waits for the connection the transaction holds.
 * The gate relies on that rule instead of tracking which write a call comes from, because
 * tracking it (AsyncLocalStorage) made every promise in the process pay for async hooks,
 * measured at a tenth of a request's CPU (docs/PERFORMANCE.md).
 */
export class SwitchableStore implements Store {
  readonly users: Repositories['users'];
  readonly instances: Repositories['instances'];
  readonly webhookSettings: Repositories['webhookSettings'];
  readonly authState: Repositories['authState'];
  readonly messages: Repositories['messages'];
  readonly contacts: Repositories['contacts'];
  readonly chats: Repositories['chats'];
  readonly groups: Repositories['groups'];
  readonly activity: Repositories['activity'];
  readonly events: Repositories['events'];
  readonly deliveries: Repositories['deliveries'];
  readonly usage: Repositories['usage'];
  readonly limits: Repositories['limits'];

  private gate: { opened: Promise<void>; open: () => void } | undefined;
  private writesInFlight = 0;
  private drained: (() => void) | undefined;
  private readonly busy = new Map<Store, number>();
  private removals = { watching: false, seen: false };

  constructor(private live: Store) {
    this.users = this.repository('users');
    this.instances = this.repository('instances');
    this.webhookSettings = this.repository('webhookSettings');
    this.authState = this.repository('authState');
    this.messages = this.repository('messages');
    this.contacts = this.repository('contacts');
    this.chats = this.repository('chats');
    this.groups = this.repository('groups');
    this.activity = this.repository('activity');
    this.events = this.repository('events');
    this.deliveries = this.repository('deliveries');
    this.usage = this.repository('usage');
    this.limits = this.repository('limits');
  }

  get provider(): Store['provider'] {
    return this.live.provider;
  }

  /** The store in charge right now (reads of the switch itself go straight to it). */
  get current(): Store {
    return this.live;
  }

  get transfer(): BulkTransfer {
    return this.live.transfer;
  }

  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.write((store) => store.transaction((tx) => work(this.watched(tx))));
  }

  transactionGroup(works: ReadonlyArray<(tx: Repositories) => Promise<unknown>>): Promise<Settled[]> {
    return this.write((store) => store.transactionGroup(works.map((work) => (tx: Repositories) => work(this.watched(tx)))));
  }

  ping(): Promise<void> {
    return this.read((store) => store.ping());
  }

  async close(): Promise<void> {
    await this.live.close();
  }

  /** Starts noting removing writes, so a switch knows whether its catch-up may rely on deltas. */
  watchRemovals(): void {
    this.removals = { watching: true, seen: false };
  }

  /** Whether a removing write ran since `watchRemovals`; stops watching. */
  takeRemovals(): boolean {
    const seen = this.removals.seen;
    this.removals = { watching: false, seen: false };
    return seen;
  }

  /**
   * Closes the gate and resolves once every write already past it has finished. A write that
   * does not finish in `timeoutMs` (one that broke the rule above, say) reopens the gate and
   * fails the pause, so a switch cannot hold every writer forever.
   */
  async pauseWrites(timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
    if (this.gate) throw new Error('writes are already paused');
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gate = { opened, open };
    if (this.writesInFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const drained = new Promise<boolean>((resolve) => (this.drained = () => resolve(true)));
    const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const done = await Promise.race([drained, expired]);
    clearTimeout(timer);
    if (done) return;
    this.drained = undefined;
    this.resumeWrites();
    throw new Error(`${this.writesInFlight} write(s) still running after ${timeoutMs} ms; writes resumed`);
  }

  /**
   * Opens the gate; with `next`, waiting and future calls go to `next` from now on. Returns the
   * store that was replaced (or undefined), for the caller to retire once it is idle.
   */
  resumeWrites(next?: Store): Store | undefined {
    const previous = next ? this.live : undefined;
    if (next) this.live = next;
    const gate = this.gate;
    this.gate = undefined;
    gate?.open();
    return previous;
  }

  /** Resolves when no call is running on `store` any more (or after `timeoutMs`). */
  async idle(store: Store, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.busy.get(store) ?? 0) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  private repository<K extends keyof Repositories>(name: K): Repositories[K] {
    return new Proxy({} as Repositories[K], {
      get: (_target, method) => {
        if (typeof method !== 'string') return undefined;
        const call = (store: Store, args: unknown[]) => {
          const repo = store[name] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
          if (typeof repo[method] !== 'function') throw new TypeError(`${name}.${method} is not a function`);
          return repo[method](...args);
        };
        if (READ_METHOD.test(method)) return (...args: unknown[]) => this.read((store) => call(store, args));
        return (...args: unknown[]) => {
          if (this.removals.watching && REMOVING_METHOD.test(method)) this.removals.seen = true;
          return this.write((store) => call(store, args));
        };
      },
    });
  }

  /** A transaction's repositories, noting removals while a switch watches for them. */
  private watched(tx: Repositories): Repositories {
    return this.removals.watching ? this.noteRemovals(tx) : tx;
  }

  /** The transaction's own repositories, telling the switch when one of them removes rows. */
  private noteRemovals(tx: Repositories): Repositories {
    const noted = {} as Record<string, unknown>;
    for (const [name, repo] of Object.entries(tx) as Array<[string, object]>) {
      noted[name] = new Proxy(repo, {
        get: (target, method) => {
          if (typeof method === 'string' && REMOVING_METHOD.test(method)) this.removals.seen = true;
          const value: unknown = Reflect.get(target, method);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    }
    return noted as unknown as Repositories;
  }

  private async read<T>(work: (store: Store) => Promise<T>): Promise<T> {
    const store = this.live;
    this.busy.set(store, (this.busy.get(store) ?? 0) + 1);
    try {
      return await work(store);
    } finally {
      this.busy.set(store, (this.busy.get(store) ?? 1) - 1);
    }
  }

  private async write<T>(work: (store: Store) => Promise<T>): Promise<T> {
    while (this.gate) await this.gate.opened;
    this.writesInFlight += 1;
    try {
      return await this.read(work);
    } finally {
      this.writesInFlight -= 1;
      if (this.writesInFlight === 0 && this.drained) {
        this.drained();
        this.drained = undefined;
      }
    }
  }
}
