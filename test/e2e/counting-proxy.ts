import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP relay in front of the emulator that counts the connections our server opens,
 * so a test can tell a quiet disconnected session from one stuck in a reconnect loop.
 */
export class CountingProxy {
  connections = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(target: URL): Promise<CountingProxy> {
    const server = createServer();
    const proxy = new CountingProxy(server);
    server.on('connection', (client) => {
      proxy.connections += 1;
      const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
      for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
        proxy.sockets.add(from);
        from.pipe(to);
        from.on('error', () => to.destroy());
        from.on('close', () => {
          proxy.sockets.delete(from);
          to.destroy();
        });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `target` with this proxy's host and port in place of the emulator's. */
  url(target: URL): string {
    const { port } = this.server.address() as AddressInfo;
    return new URL(target.pathname, `${target.protocol}//127.0.0.1:${port}`).toString();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
