import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
}

/** Answers a request with a status code, whenever it likes (a promise holds the answer back). */
export type Responder = (hook: ReceivedWebhook) => number | Promise<number>;

/**
 * A webhook receiver on loopback, as a user would run one. It can go down and come back on the
 * same port, and answer each request as the test says.
 */
export class Receiver {
  readonly received: ReceivedWebhook[] = [];
  respond: Responder = () => 200;
  private server?: Server;
  private port = 0;

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await receiver.up();
    return receiver;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Listens (again, on the same port once it had one). */
  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const hook: ReceivedWebhook = { headers: req.headers, raw, body: JSON.parse(raw) };
        this.received.push(hook);
        const status = await this.respond(hook);
        res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops open connections: senders get "connection refused". */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  of(event: string): ReceivedWebhook[] {
    return this.received.filter((h) => h.body.event === event);
  }
}

/** The spec's receiver-side check (웹훅 보안), copied as users will copy it. */
export function verifyWebhookSignature(body: unknown, signature: string, secret: string): boolean {
  const computedSignature = createHmac('sha256', secret)
    .update(typeof body === 'string' ? body : JSON.stringify(body))
    .digest('hex');
  return timingSafeEqual(Buffer.from(signature), Buffer.from(computedSignature));
}

/** Standard Webhooks verification (webhook-id, webhook-timestamp, webhook-signature). */
export function verifyStandardWebhook(hook: ReceivedWebhook, secret: string, toleranceSeconds = 300): boolean {
  const id = String(hook.headers['webhook-id']);
  const timestamp = Number(hook.headers['webhook-timestamp']);
  if (Math.abs(Date.now() / 1000 - timestamp) > toleranceSeconds) return false;
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret);
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${hook.raw}`).digest('base64');
  return String(hook.headers['webhook-signature'])
    .split(' ')
    .some((entry) => {
      const [version, signature] = entry.split(',');
      return version === 'v1' && signature !== undefined && signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
    });
}
