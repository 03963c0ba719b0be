import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';

export const healthRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  app.get('/health', { schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: Type.Object({ status: Type.String() }) } } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database answers',
        response: { 200: Type.Object({ status: Type.String(), database: Type.String() }), 503: Type.Object({ status: Type.String(), database: Type.String(), error: Type.String() }) },
      },
    },
    async (_request, reply) => {
      const { health } = opts.services;
      if (await health.databaseReachable()) return { status: 'ok', database: health.provider };
      return reply.code(503).send({ status: 'unavailable', database: health.provider, error: 'Database is not reachable' });
    },
  );
};
