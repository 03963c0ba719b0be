/**
 * Runs tasks one after another in the order they were pushed. One per instance keeps that
 * instance's engine events and lifecycle commands strictly ordered while instances run in
 * parallel; a failed task does not stop the ones behind it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  push<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves when everything pushed so far has run. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
