/**
 * A read-through cache of records by key, for lookups every request makes. Entries live at most
 * `ttlMs` (what bounds how long another process's write can go unseen here) and at most `max`
 * of them are kept, the oldest stored dropped first. A write in this process calls `invalidate`
 * (or `clear`), which also spoils any load already running: a load that read the row before
 * the write committed must not put the old row back.
 */
export class ReadThroughCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  /** Loads in flight; `stale` once a write made their result unsafe to keep. */
  private readonly loading = new Map<string, { promise: Promise<V | undefined>; stale: boolean }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const entry = this.entries.get(key);
    if (entry) {
      if (entry.expires > performance.now()) return Promise.resolve(entry.value);
      this.entries.delete(key);
    }
    const running = this.loading.get(key);
    if (running && !running.stale) return running.promise;
    return this.load(key, load);
  }

  /** The value held for `key`, if it has not expired; never loads. */
  peek(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > performance.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Holds a value learned rather than loaded (an event), replacing any load in flight. */
  set(key: string, value: V): void {
    this.invalidate(key);
    if (this.ttlMs > 0) this.store(key, value);
  }

  invalidate(key: string): void {
    this.entries.delete(key);
    const running = this.loading.get(key);
    if (running) running.stale = true;
  }

  clear(): void {
    this.entries.clear();
    for (const running of this.loading.values()) running.stale = true;
  }

  private load(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const flight = { promise: undefined as unknown as Promise<V | undefined>, stale: false };
    const done = () => {
      if (this.loading.get(key) === flight) this.loading.delete(key);
    };
    flight.promise = load().then(
      (value) => {
        done();
        // Misses (undefined) are not kept: a row created a moment later must be found at once.
        if (value !== undefined && !flight.stale && this.ttlMs > 0) this.store(key, value);
        return value;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
    this.loading.set(key, flight);
    return flight.promise;
  }

  private store(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: performance.now() + this.ttlMs });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}
