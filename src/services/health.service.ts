import type { Store } from '../store/store.js';

export class HealthService {
  constructor(private readonly store: () => Store) {}

  get provider(): string {
    return this.store().provider;
  }

  async databaseReachable(): Promise<boolean> {
    try {
      await this.store().ping();
      return true;
    } catch {
      return false;
    }
  }
}
