/** A bounded set of message ids: the oldest are forgotten first. */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly limit = 1000) {}

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.limit) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }

  /** True when the id was present; it is removed either way. */
  take(id: string): boolean {
    return this.ids.delete(id);
  }
}
