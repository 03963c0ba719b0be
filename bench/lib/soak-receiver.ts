import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/** The marker the soak writes into every inbound text or caption: instance lane and sequence. */
export const SOAK_MARK = /soak-(\d+)-(\d+)/;

/**
 * A loopback webhook receiver for long runs: it checks each signature and counts, keeping only
 * event ids and the marked inbound messages it saw (not bodies), so an hour of traffic fits.
 */
export class SoakReceiver {
  requests = 0;
  badSignatures = 0;
  /** Deliveries of an event id already delivered. */
  duplicateEvents = 0;
  private readonly eventIds = new Set<string>();
  /** Per lane, the sequence numbers of marked inbound messages delivered. */
  private readonly inbound = new Map<number, Set<number>>();
  private server?: Server;
  lastAt = 0;
  url = '';

  constructor(private readonly secret: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.take(Buffer.concat(chunks).toString('utf8'), req.headers['x-webhook-signature']);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (typeof address !== 'object' || !address) throw new Error('receiver has no address');
    this.url = `http://127.0.0.1:${address.port}/webhook`;
  }

  private take(body: string, signature: string | string[] | undefined): void {
    this.requests += 1;
    this.lastAt = performance.now();
    if (!this.signed(body, signature)) this.badSignatures += 1;
    const payload = JSON.parse(body) as { id?: string; event?: string };
    const id = String(payload.id ?? '');
    if (this.eventIds.has(id)) {
      this.duplicateEvents += 1;
      return;
    }
    this.eventIds.add(id);
    if (payload.event !== 'message_received') return;
    const mark = SOAK_MARK.exec(body);
    if (!mark) return;
    const lane = Number(mark[1]);
    const seen = this.inbound.get(lane) ?? new Set<number>();
    seen.add(Number(mark[2]));
    this.inbound.set(lane, seen);
  }

  private signed(body: string, signature: string | string[] | undefined): boolean {
    if (typeof signature !== 'string') return false;
    const expected = Buffer.from(createHmac('sha256', this.secret).update(body).digest('hex'));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** How many of the `sent` marked inbound messages of each lane never arrived. */
  lost(sent: ReadonlyMap<number, readonly number[]>): number {
    let lost = 0;
    for (const [lane, seqs] of sent) {
      const seen = this.inbound.get(lane);
      for (const seq of seqs) if (!seen?.has(seq)) lost += 1;
    }
    return lost;
  }

  /**
   * Waits until every marked inbound message sent has arrived, or `timeoutMs` passed: the
   * gateway delivers from a durable queue, which may still be catching up when traffic stops.
   */
  async drain(sent: ReadonlyMap<number, readonly number[]>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.lost(sent) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
  }

  /** Waits until no request arrived for `quietMs` (bounded by `timeoutMs`). */
  async settle(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (performance.now() - this.lastAt < quietMs && Date.now() < deadline) await new Promise((r) => setTimeout(r, quietMs / 4));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
