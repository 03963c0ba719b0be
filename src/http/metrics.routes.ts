import { createHash, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import type { AppServices } from '../app-context.js';
import { UnauthorizedError } from '../core/errors.js';
import { ErrorResponse } from './schemas/common.js';

/** Compares digests, so neither the token's length nor its bytes leak through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * `GET /metrics` (Prometheus text format) and the hook that times every request. Registered
 * at the root, before the other routes, so the hook sees all of them. With METRICS_TOKEN set,
 * scrapers send `Authorization: Bearer <token>`; without it, an admin's JWT or API key works.
 */
const plugin: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { metrics, config } = opts.services;

  // Async on purpose: the same hook in callback style measured twice the CPU per request.
  app.addHook('onResponse', async (request, reply) => {
    // Unmatched URLs share one label, so scanners cannot blow up the series count.
    metrics.observeHttp(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Prometheus metrics: METRICS_TOKEN as a bearer token when set, otherwise an admin',
        security: [{ bearerAuth: [] }, { apiKey: [] }],
        response: { 200: Type.String(), 401: ErrorResponse, 403: ErrorResponse },
      },
      onRequest: async (request, reply) => {
        const token = config.metrics.token;
        if (token === undefined) {
          await app.authenticate(request, reply);
          await app.requireAdmin(request, reply);
          return;
        }
        const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
        if (!match || !sameSecret(match[1].trim(), token)) throw new UnauthorizedError('Send Authorization: Bearer <METRICS_TOKEN>');
      },
    },
    async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()),
  );
};

export const metricsRoutes = fp(plugin, { name: 'metricsRoutes' });
