import type { EngineEvent } from '../../src/engines/engine.js';

type Matcher<T extends EngineEvent['type']> = (e: Extract<EngineEvent, { type: T }>) => boolean;

/** Collects engine events and lets a test wait for the next one that matches. */
export class EventRecorder {
  readonly events: EngineEvent[] = [];
  private cursor = 0;
  private wake?: () => void;

  readonly emit = (event: EngineEvent): void => {
    this.events.push(event);
    this.wake?.();
  };

  /** Waits for a matching event emitted after the previous `next` match. */
  async next<T extends EngineEvent['type']>(
    type: T,
    match: Matcher<T> = () => true,
    timeoutMs = 10_000,
  ): Promise<Extract<EngineEvent, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.cursor; i < this.events.length; i++) {
        const e = this.events[i]!;
        if (e.type === type && match(e as Extract<EngineEvent, { type: T }>)) {
          this.cursor = i + 1;
          return e as Extract<EngineEvent, { type: T }>;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.events.slice(this.cursor).map((e) => (e.type === 'message' ? e.type : e));
        throw new Error(`no ${type} event within ${timeoutMs} ms; saw ${JSON.stringify(seen)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
