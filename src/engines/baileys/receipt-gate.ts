import type { BinaryNode, WASocket } from 'baileys';
import type { BaileysLogger } from './options.js';

/** What Baileys' `sendReceipt` logs, synchronously, just before it writes the receipt's frame. */
const RECEIPT_LOG = 'sending receipt for messages';
/** What Baileys logs after it acknowledged a stanza with `<ack>`: a message it refused or dropped. */
const ACK_LOG = 'sent ack';
/** Receipts that tell a peer what the user did, not that the device holds the message. */
const NOT_DELIVERY = new Set(['read', 'read-self', 'played']);

type Send = (data: Buffer, cb?: (err?: Error) => void) => void;

interface Held {
  data: Buffer;
  /** The messages a delivery receipt acknowledges that are not stored yet; empty lets it go. */
  waitingFor: Set<string>;
  timer?: NodeJS.Timeout;
}

/**
 * Holds back the delivery receipts of received messages until the services have stored them.
 *
 * WhatsApp's server keeps a message in the device's offline queue until the device's receipt.
 * Baileys 7 sends that receipt before it emits `messages.upsert` (`handleMessage` in
 * `Socket/messages-recv.js`), so a crash between its receipt and our store would lose the
 * message for good. Baileys has no option or hook for this, and its `sendNode` is a closure, so
 * the gate works at the only two places it is given:
 * - the logger: `sendReceipt` logs the receipt's ids and type, then writes its frame in the same
 *   synchronous run, so the next frame written is that receipt;
 * - the WebSocket's `send`: a delivery receipt is held, and every frame after it waits behind it
 *   (Noise frames are numbered, none may overtake), until its messages are confirmed stored or
 *   `timeoutMs` passes. Baileys is told at once that a held frame was written, or it would never
 *   get to emit the message we wait for. A socket that closes drops what it held: the server
 *   delivers those messages again.
 */
export class ReceiptGate {
  private announced?: string[];
  private readonly held: Held[] = [];
  private send?: Send;
  /** Received messages not stored yet (nor refused by Baileys), each until `timeoutMs` at most. */
  private readonly inFlight = new Map<string, NodeJS.Timeout>();

  /** `onIdle` runs whenever the last received message in flight is stored or given up. */
  constructor(
    private readonly timeoutMs: number,
    private readonly logger: BaileysLogger,
    private readonly onIdle: () => void,
  ) {}

  /** Whether a received message is between its arrival and our store. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** The logger to give Baileys: it tells the gate about each receipt about to be written. */
  watch(logger: BaileysLogger): BaileysLogger {
    const debug = logger.debug.bind(logger);
    const watched = Object.create(logger) as BaileysLogger;
    watched.debug = (obj: unknown, msg?: string) => {
      if (msg === RECEIPT_LOG) this.announce(obj);
      const recv = (obj as { recv?: { tag?: string; attrs?: { id?: string } } } | undefined)?.recv;
      if (msg === ACK_LOG && recv?.tag === 'message' && recv.attrs?.id) this.settle([recv.attrs.id]);
      debug(obj, msg);
    };
    return watched;
  }

  /** Wraps the socket's WebSocket; call right after `makeWASocket`, before it opens. */
  attach(sock: WASocket): void {
    const ws = (sock.ws as unknown as { socket: { send: Send } | null }).socket;
    if (!ws) throw new Error('The Baileys socket has no WebSocket to gate');
    const send = ws.send.bind(ws);
    this.send = send;
    ws.send = (data, cb) => this.onSend(data, cb);
    sock.ws.once('close', () => this.drop());
    // Listeners run in order and Baileys' own handler awaits before it decrypts: this comes first.
    sock.ws.on('CB:message', (node: BinaryNode) => this.arrived(node.attrs.id));
  }

  /** These messages are stored: receipts waiting only for them go out, in order. */
  confirm(messageIds: Iterable<string>): void {
    const ids = [...messageIds];
    for (const held of this.held) for (const id of ids) held.waitingFor.delete(id);
    this.release();
    this.settle(ids);
  }

  private arrived(id: string | undefined): void {
    if (!id || this.inFlight.has(id)) return;
    const timer = setTimeout(() => this.settle([id]), this.timeoutMs);
    timer.unref();
    this.inFlight.set(id, timer);
  }

  private settle(ids: string[]): void {
    if (this.inFlight.size === 0) return;
    for (const id of ids) {
      clearTimeout(this.inFlight.get(id));
      this.inFlight.delete(id);
    }
    if (this.inFlight.size === 0) this.onIdle();
  }

  private announce(obj: unknown): void {
    const { attrs, messageIds } = (obj ?? {}) as { attrs?: { type?: string }; messageIds?: string[] };
    if (!messageIds?.length || NOT_DELIVERY.has(attrs?.type ?? '')) return;
    this.announced = messageIds;
    // A receipt Baileys gave up on before writing (socket closed) must not mark the next frame.
    queueMicrotask(() => (this.announced = undefined));
  }

  private onSend(data: Buffer, cb?: (err?: Error) => void): void {
    const ids = this.announced;
    this.announced = undefined;
    if (!ids && this.held.length === 0) return this.send?.(data, cb);
    const held: Held = { data, waitingFor: new Set(ids) };
    if (ids) {
      held.timer = setTimeout(() => this.expire(held), this.timeoutMs);
      held.timer.unref();
    }
    this.held.push(held);
    if (cb) queueMicrotask(() => cb());
  }

  private expire(held: Held): void {
    if (held.waitingFor.size === 0) return;
    this.logger.warn({ messageIds: [...held.waitingFor], timeoutMs: this.timeoutMs }, 'messages not stored in time: acknowledging them anyway');
    held.waitingFor.clear();
    this.release();
  }

  private release(): void {
    while (this.held.length > 0 && this.held[0]!.waitingFor.size === 0) {
      const held = this.held.shift()!;
      clearTimeout(held.timer);
      // A write error closes the socket, and Baileys hears of it there.
      this.send?.(held.data, () => undefined);
    }
  }

  private drop(): void {
    for (const held of this.held.splice(0)) clearTimeout(held.timer);
    this.send = undefined;
  }
}
