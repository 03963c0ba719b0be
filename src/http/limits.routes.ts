import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { authErrors, IdParams, secured } from './schemas/common.js';
import { LimitsBody, LimitsView } from './schemas/limits.js';

const HOW = 'The most specific level that sets a limit wins (instance, then user, then default); PUT replaces this level\'s limits.';

/** Usage limits at the default, user and instance levels. Only admins change them. */
export const limitsRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { limits } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const tags = ['limits'];
  const response = { 200: LimitsView, ...authErrors };

  app.get(
    '/api/limits/default',
    { schema: { tags, summary: 'Default limits, for every user and instance (admin only)', description: HOW, security: secured, response }, preHandler: app.requireAdmin },
    async () => limits.getDefault(),
  );

  app.put(
    '/api/limits/default',
    { schema: { tags, summary: 'Replace the default limits (admin only)', description: HOW, security: secured, body: LimitsBody, response }, preHandler: app.requireAdmin },
    async (request) => limits.putDefault(request.body),
  );

  app.get(
    '/api/users/:id/limits',
    { schema: { tags, summary: 'A user\'s limits and what applies to their instances (the user or an admin)', description: HOW, security: secured, params: IdParams, response } },
    async (request) => limits.getForUser(request.user, request.params.id),
  );

  app.put(
    '/api/users/:id/limits',
    { schema: { tags, summary: 'Replace a user\'s limits (admin only)', description: HOW, security: secured, params: IdParams, body: LimitsBody, response }, preHandler: app.requireAdmin },
    async (request) => limits.putForUser(request.user, request.params.id, request.body),
  );

  app.get(
    '/api/instances/:id/limits',
    { schema: { tags, summary: 'An instance\'s limits and what applies to it (its owner or an admin)', description: HOW, security: secured, params: IdParams, response } },
    async (request) => limits.getForInstance(request.user, request.params.id),
  );

  app.put(
    '/api/instances/:id/limits',
    { schema: { tags, summary: 'Replace an instance\'s limits (admin only)', description: HOW, security: secured, params: IdParams, body: LimitsBody, response }, preHandler: app.requireAdmin },
    async (request) => limits.putForInstance(request.user, request.params.id, request.body),
  );
};
