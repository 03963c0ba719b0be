interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** Promises waiting for the next occurrence of something (a QR, a close). */
export class Waiters<T> {
  private pending: Waiter<T>[] = [];

  wait(timeoutMs?: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject };
      this.pending.push(waiter);
      if (timeoutMs === undefined) return;
      const timer = setTimeout(() => {
        this.pending = this.pending.filter((w) => w !== waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = <A>(fn: (a: A) => void) => (a: A) => {
        clearTimeout(timer);
        fn(a);
      };
      waiter.resolve = settle(resolve);
      waiter.reject = settle(reject);
    });
  }

  resolveAll(value: T): void {
    const pending = this.pending;
    this.pending = [];
    for (const w of pending) w.resolve(value);
  }

  rejectAll(error: Error): void {
    const pending = this.pending;
    this.pending = [];
    for (const w of pending) w.reject(error);
  }
}
