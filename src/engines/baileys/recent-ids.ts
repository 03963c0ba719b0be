/** A bounded map from message ids to what we noted about them: the oldest are forgotten first. */
export class RecentIds<V = true> {
  private readonly ids = new Map<string, V>();

  constructor(private readonly limit = 1000) {}

  add(id: string, value: V): void {
    this.ids.set(id, value);
    if (this.ids.size > this.limit) {
      const oldest = this.ids.keys().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }

  /** The value noted for the id, if it is still known; it stays known. */
  get(id: string): V | undefined {
    return this.ids.get(id);
  }

  /** The value noted for the id, if it is still known; it is forgotten either way. */
  take(id: string): V | undefined {
    const value = this.ids.get(id);
    this.ids.delete(id);
    return value;
  }
}
