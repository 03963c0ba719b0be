import { AsyncLocalStorage } from 'node:async_hooks';
import type { Repositories, Store } from './store.js';
import type { BulkTransfer } from './transfer.js';

/** Methods that only read; every other repository method counts as a write and waits at a closed gate. */
const READ_METHOD = /^(find|get|list|count|daily|perInstance|total)/;
/** Writes that remove rows: the final catch-up of a switch must then re-copy whole collections. */
const REMOVING_METHOD = /^(delete|clear|remove|prune|purge)/;

interface WriteToken {
  active: boolean;
}

/**
 * The store every service holds. It forwards to the live store and can swap it for another
 * while the process runs (the database switch), with a write gate for the final catch-up:
 * while the gate is closed, new writes and transactions wait and reads go on.
 */
export class SwitchableStore implements Store {
  readonly users: Repositories['users'];
  readonly instances: Repositories['instances'];
  readonly webhookSettings: Repositories['webhookSettings'];
  readonly authState: Repositories['authState'];
  readonly messages: Repositories['messages'];
  readonly contacts: Repositories['contacts'];
  readonly activity: Repositories['activity'];
  readonly events: Repositories['events'];
  readonly deliveries: Repositories['deliveries'];
  readonly usage: Repositories['usage'];
  readonly limits: Repositories['limits'];

  private gate: { opened: Promise<void>; open: () => void } | undefined;
  private writesInFlight = 0;
  private drained: (() => void) | undefined;
  private readonly busy = new Map<Store, number>();
  /** A write already past the gate: what it calls on this store from inside must not wait for it. */
  private readonly writeScope = new AsyncLocalStorage<WriteToken>();
  private removals = { watching: false, seen: false };

  constructor(private live: Store) {
    this.users = this.repository('users');
    this.instances = this.repository('instances');
    this.webhookSettings = this.repository('webhookSettings');
    this.authState = this.repository('authState');
    this.messages = this.repository('messages');
    this.contacts = this.repository('contacts');
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
    return this.write((store) => store.transaction((tx) => work(this.removals.watching ? this.noteRemovals(tx) : tx)));
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

  /** Closes the gate and resolves once every write already past it has finished. */
  async pauseWrites(): Promise<void> {
    if (this.gate) throw new Error('writes are already paused');
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gate = { opened, open };
    if (this.writesInFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
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
    if (this.writeScope.getStore()?.active) return this.read(work);
    while (this.gate) await this.gate.opened;
    this.writesInFlight += 1;
    const token: WriteToken = { active: true };
    try {
      return await this.writeScope.run(token, () => this.read(work));
    } finally {
      token.active = false;
      this.writesInFlight -= 1;
      if (this.writesInFlight === 0 && this.drained) {
        this.drained();
        this.drained = undefined;
      }
    }
  }
}
