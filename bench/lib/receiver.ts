import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  body: string;
  headers: IncomingHttpHeaders;
  /** performance.now() when the body was complete. */
  at: number;
  signed: boolean;
}

const MAX_BODY = 1024 * 1024;

/**
 * A loopback webhook receiver that checks `X-Webhook-Signature` the way the spec's snippet does
 * and keeps every request it got, in arrival order.
 */
export class Receiver {
  readonly received: Received[] = [];
  private server?: Server;
  private waiters: Array<() => void> = [];
  url = '';

  constructor(private readonly secret: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) req.destroy();
        else chunks.push(chunk);
      });
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ body, headers: req.headers, at: performance.now(), signed: this.verify(body, req.headers['x-webhook-signature']) });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (typeof address !== 'object' || !address) throw new Error('receiver has no address');
    this.url = `http://127.0.0.1:${address.port}/webhook`;
  }

  private verify(body: string, signature: string | string[] | undefined): boolean {
    if (typeof signature !== 'string') return false;
    const expected = Buffer.from(createHmac('sha256', this.secret).update(body).digest('hex'));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  clear(): void {
    this.received.length = 0;
  }

  /** Resolves when `done()` holds after some request, or rejects after `timeoutMs`. */
  async until(done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`receiver: condition not met after ${timeoutMs} ms (${this.received.length} requests)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until no request arrived for `quietMs` (bounded by `timeoutMs`). */
  async settle(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const last = this.received.at(-1)?.at ?? 0;
      if (performance.now() - last >= quietMs || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, quietMs / 4));
    }
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
