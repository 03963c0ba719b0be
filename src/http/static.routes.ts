import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { NotFoundError } from '../core/errors.js';

/**
 * Only what the built dashboard loads: its own scripts, styles and API; QR codes are data:
 * images, and a message's media is fetched with the session and shown from a blob: URL (images,
 * audio, video only). Profile pictures come from WhatsApp's CDN (data: URLs on the simulator).
 * No inline script can run, so text that slips into the page stays inert.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: https://*.whatsapp.net",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names these files after their content hash, so a new build never reuses a name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** Paths that belong to the server, never to the dashboard's client-side router. */
const SERVER_PATHS = /^\/(api|docs|health|metrics)(\/|$)/;

/**
 * Serves the built dashboard at `/`: files as built, and index.html for any other GET outside
 * the API so a reload on `/instances/abc` lands in the app. Registered last, so every API route
 * keeps precedence; a missing build serves nothing rather than a broken page.
 */
export const staticRoutes: FastifyPluginAsync<{ dir: string }> = async (app, opts) => {
  const indexFile = path.join(opts.dir, 'index.html');
  if (!existsSync(indexFile)) {
    app.log.warn({ dir: opts.dir }, 'dashboard not built (npm run build:web): not serving it');
    return;
  }
  const index = readFileSync(indexFile);

  app.addHook('onSend', async (_request, reply: FastifyReply) => {
    reply.header('content-security-policy', CSP);
  });

  await app.register(fastifyStatic, {
    root: opts.dir,
    prefix: '/',
    wildcard: false,
    index: false,
    decorateReply: false,
    cacheControl: false,
    setHeaders: (res, file) => {
      const relative = path.relative(opts.dir, file).split(path.sep).join('/');
      res.setHeader('cache-control', relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
    },
    schemaHide: true,
  });

  const sendIndex = (reply: FastifyReply) => reply.header('cache-control', REVALIDATE).type('text/html; charset=utf-8').send(index);

  app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const pathname = request.url.split('?')[0];
    if (SERVER_PATHS.test(pathname) || pathname.startsWith('/assets/')) {
      throw new NotFoundError(`Route ${request.method} ${pathname} not found`);
    }
    return sendIndex(reply);
  });
};
