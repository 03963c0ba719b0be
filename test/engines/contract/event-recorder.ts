import type { EngineEvent, StoredPoll } from '../../../src/engines/engine.js';

type Matcher<T extends EngineEvent['type']> = (e: Extract<EngineEvent, { type: T }>) => boolean;

/** Collects engine events and lets a test wait for the next one that matches. */
export class EventRecorder {
  readonly events: EngineEvent[] = [];
  private cursor = 0;
  /** Every waiter is woken by each event, so concurrent waits do not starve each other. */
  private readonly wakers = new Set<() => void>();

  readonly emit = (event: EngineEvent): void => {
    this.events.push(event);
    for (const wake of [...this.wakers]) wake();
  };

  private storing?: Promise<void>;

  /** As the services' `handled`: resolves once the events so far are stored, unless a test holds the store. */
  readonly handled = (): Promise<void> => this.storing ?? Promise.resolve();

  /** Holds every store until the returned function is called: a slow or dying store. */
  holdStores(): () => void {
    let release!: () => void;
    this.storing = new Promise((resolve) => (release = resolve));
    return () => {
      this.storing = undefined;
      release();
    };
  }

  /** Waits for a matching event emitted after the previous `next` match. */
  async next<T extends EngineEvent['type']>(
    type: T,
    match: Matcher<T> = () => true,
    timeoutMs = 10_000,
  ): Promise<Extract<EngineEvent, { type: T }>> {
    const [event, index] = await this.waitFrom(this.cursor, type, match, timeoutMs);
    this.cursor = index + 1;
    return event;
  }

  /** Waits for a matching event emitted at any time, leaving the `next` cursor where it is. */
  async find<T extends EngineEvent['type']>(
    type: T,
    match: Matcher<T> = () => true,
    timeoutMs = 10_000,
  ): Promise<Extract<EngineEvent, { type: T }>> {
    return (await this.waitFrom(0, type, match, timeoutMs))[0];
  }

  private readonly sentPolls = new Map<string, StoredPoll>();

  /** A poll this device sent, kept as the services keep it (with the secret `sendPoll` returned). */
  keepSentPoll(messageId: string, poll: StoredPoll): void {
    this.sentPolls.set(messageId, poll);
  }

  /** A poll this device sent or received, as the services would keep it for reading its votes. */
  poll(messageId: string): StoredPoll | undefined {
    const sent = this.sentPolls.get(messageId);
    if (sent) return sent;
    const found = this.all('message').find((e) => e.message.messageId === messageId && e.message.poll);
    if (!found) return undefined;
    const { message } = found;
    return { ...message.poll!, secret: message.pollSecret, creatorJid: message.senderJid ?? message.chatJid };
  }

  /** Events of one type, in the order they came. */
  all<T extends EngineEvent['type']>(type: T): Extract<EngineEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
  }

  private async waitFrom<T extends EngineEvent['type']>(
    start: number,
    type: T,
    match: Matcher<T>,
    timeoutMs: number,
  ): Promise<[Extract<EngineEvent, { type: T }>, number]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = start; i < this.events.length; i++) {
        const e = this.events[i]!;
        if (e.type === type && match(e as Extract<EngineEvent, { type: T }>)) return [e as Extract<EngineEvent, { type: T }>, i];
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.events.slice(start).map((e) => (e.type === 'message' ? e.type : e));
        throw new Error(`no ${type} event within ${timeoutMs} ms; saw ${JSON.stringify(seen)}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.wakers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.wakers.add(wake);
      });
    }
  }
}
