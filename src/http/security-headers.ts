import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet sets for `options`, read once by running its middleware on a stand-in response. */
function helmetHeaders(options: HelmetOptions): Array<[string, string]> {
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: unknown) => void headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => void headers.delete(name.toLowerCase()),
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return [...headers];
}

/**
 * Helmet's security headers (nosniff, frame options, HSTS, referrer policy, …) on every reply.
 * @fastify/helmet builds helmet's whole middleware again for every request, a tenth of a status
 * call's CPU; the headers never change, so they are worked out at start-up and copied onto each
 * reply. A route setting its own value (the dashboard's CSP) still wins, as it sets it later.
 */
export const securityHeaders = fp(
  async (app: FastifyInstance, opts: { helmet: HelmetOptions }) => {
    const headers = helmetHeaders(opts.helmet);
    app.addHook('onRequest', (_request, reply, done) => {
      for (const [name, value] of headers) reply.header(name, value);
      done();
    });
  },
  { name: 'securityHeaders' },
);
