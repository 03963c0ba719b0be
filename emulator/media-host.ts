import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/**
 * WhatsApp's media servers, reduced to a blob store. Baileys hard-codes `https://` for media,
 * so this is HTTPS with a certificate made at start-up; its PEM is written to `caPath` for
 * `NODE_EXTRA_CA_CERTS`.
 */
export class MediaHost {
  readonly auth = randomBytes(16).toString('base64url');
  private readonly blobs = new Map<string, Buffer>();

  private constructor(
    private readonly server: Server,
    readonly caPath: string,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  static async start(host: string, port = 0): Promise<MediaHost> {
    const pems = await generate([{ name: 'commonName', value: host }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: host }, { type: 2, value: 'localhost' }] },
      ],
    });
    const caPath = join(tmpdir(), `wa-emulator-media-${process.pid}-${randomBytes(4).toString('hex')}.pem`);
    await writeFile(caPath, pems.cert);
    const server = createServer({ key: pems.private, cert: pems.cert });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    return new MediaHost(server, caPath);
  }

  /** `host:port`, the form media_conn hands out as a hostname. */
  get hostname(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `${address}:${port}`;
  }

  /** Stores a blob as if a client had uploaded it; returns its direct path. */
  put(kind: string, data: Buffer): string {
    const directPath = `/v/t62/${kind}/${randomBytes(12).toString('hex')}.enc`;
    this.blobs.set(directPath, data);
    return directPath;
  }

  url(directPath: string): string {
    return `https://${this.hostname}${directPath}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://media.local');
    if (req.method === 'POST') {
      if (url.searchParams.get('auth') !== this.auth) {
        res.writeHead(401).end('{}');
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const kind = url.pathname.split('/').filter(Boolean).slice(-2, -1)[0] ?? 'file';
        const directPath = this.put(kind, Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ url: this.url(directPath), direct_path: directPath }));
      });
      return;
    }
    const blob = this.blobs.get(url.pathname);
    if (!blob) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length });
    res.end(blob);
  }
}
