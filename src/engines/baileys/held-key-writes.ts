import type { SignalDataSet, SignalDataTypeMap, SignalKeyStore } from 'baileys';

type Pending = Record<string, Record<string, unknown>>;

/** What decrypting a message changes: sessions, sender keys, and the one-time pre-key it uses up. */
const DECRYPTION_STATE = new Set(['session', 'sender-key', 'sender-key-memory']);
const isDecryptionState = (type: string, value: unknown) => DECRYPTION_STATE.has(type) || (type === 'pre-key' && value === null);

/**
 * Keeps Signal key writes in memory while a received message is between its decryption and our
 * store, and writes them when no such message is left (`flush`).
 *
 * Decrypting a message moves the Signal session on and uses up the message's key (and a first
 * message's one-time pre-key), and Baileys writes that before the message reaches us. Written
 * at once, a crash before our store would leave keys that can no longer decrypt the copy
 * WhatsApp delivers again ("Key used already"); kept back, the restarted session has the keys
 * as they were and decrypts it. Reads see the kept writes, so the live session never goes back.
 * Everything else (new pre-keys, which the server hands out as soon as they are uploaded, LID
 * mappings, app-state keys) is written at once.
 */
export class HeldKeyWrites implements SignalKeyStore {
  private pending: Pending = {};
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly inner: SignalKeyStore,
    private readonly holding: () => boolean,
  ) {}

  async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]): Promise<{ [id: string]: SignalDataTypeMap[T] }> {
    const kept = this.pending[type] ?? {};
    const missing = ids.filter((id) => !(id in kept));
    const stored = missing.length > 0 ? await this.inner.get(type, missing) : {};
    const found = { ...stored } as Record<string, unknown>;
    for (const id of ids) if (id in kept && kept[id] !== null && kept[id] !== undefined) found[id] = kept[id];
    return found as { [id: string]: SignalDataTypeMap[T] };
  }

  async set(data: SignalDataSet): Promise<void> {
    if (!this.holding() && Object.keys(this.pending).length === 0) return this.inner.set(data);
    const now: Pending = {};
    for (const [type, values] of Object.entries(data as Pending)) {
      for (const [id, value] of Object.entries(values)) {
        const into = isDecryptionState(type, value) ? this.pending : now;
        (into[type] ??= {})[id] = value;
      }
    }
    if (Object.keys(now).length > 0) await this.inner.set(now as SignalDataSet);
    if (!this.holding()) await this.flush();
  }

  /** Writes what was kept back, in one `set`; the next writes wait for it. */
  flush(): Promise<void> {
    const run = this.flushing.then(async () => {
      const pending = this.pending;
      if (Object.keys(pending).length === 0) return;
      this.pending = {};
      try {
        await this.inner.set(pending as SignalDataSet);
      } catch (err) {
        // Kept for the next flush, under anything written since.
        for (const [type, values] of Object.entries(pending)) this.pending[type] = { ...values, ...this.pending[type] };
        throw err;
      }
    });
    this.flushing = run.catch(() => undefined);
    return run;
  }

  async clear(): Promise<void> {
    this.pending = {};
    await this.inner.clear?.();
  }
}
