import type { Repositories, Settled, Store } from './store.js';

interface Job {
  key: string;
  work: (tx: Repositories) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Works committed together at most; a bound on how long one group holds the database. */
const MAX_GROUP = 256;

/**
 * Group commit for the write path: works queued in the same turn of the event loop, or while
 * the groups in flight commit, share one transaction, each in its own savepoint, so one that
 * fails undoes only itself and the others still commit. A commit was the largest single cost
 * of a message on SQLite (a send is four event records, an inbound message a record and a
 * webhook outcome). A group starts at the end of the turn (`setImmediate`): SQLite runs a whole
 * transaction without yielding to I/O, so the requests and timers handled in one turn are the
 * ones that can share it, and waiting for them costs a lone work next to nothing. SQLite has
 * one writer, so one group runs at a time there; PostgreSQL keeps a few in flight on its pool.
 */
export class GroupCommit {
  private queue: Job[] = [];
  private groupsInFlight = 0;
  private scheduled = false;

  constructor(private readonly store: Store) {}

  /**
   * Runs `work` in a transaction shared with other works and resolves once it committed. `work`
   * must use only `tx` (the transaction may hold the database's one writer), must not wait for
   * another `run`, which could be queued behind its own group, and may be run again after a
   * write conflict. `key` orders a group's works (see `commit`): the instance the work writes.
   * `now` starts a group at once when one may run, with what is queued so far: for rare writes
   * that clients look for right after a change they can already see (see EventLog.record).
   */
  run<T>(key: string, work: (tx: Repositories) => Promise<T>, options: { now?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ key, work, resolve: resolve as (value: unknown) => void, reject });
      if (options.now) this.flush();
      else this.schedule();
    });
  }

  /** Resolves once every work queued so far has settled: at shutdown, before the store closes. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.groupsInFlight > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.groupsInFlight < this.maxGroupsInFlight()) {
      this.groupsInFlight += 1;
      void this.commit(this.queue.splice(0, MAX_GROUP)).finally(() => {
        this.groupsInFlight -= 1;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }

  private maxGroupsInFlight(): number {
    return this.store.provider === 'postgres' ? 4 : 1;
  }

  private async commit(jobs: Job[]): Promise<void> {
    // A work locks rows of its own instance. Groups in flight together take those locks in the
    // same order (a stable sort keeps each instance's works in order), so two groups cannot wait
    // for each other.
    jobs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    let settled: Settled[];
    try {
      settled = await this.store.transactionGroup(jobs.map((job) => job.work));
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = settled[i];
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
