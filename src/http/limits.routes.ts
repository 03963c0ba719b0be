import { type TProperties, Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { LIMIT_NAMES } from '../services/limits/limit-names.js';
import { LIMIT_WINDOWS, type LimitWindow } from '../services/usage-windows.js';
import { authErrors, IdParams, Nullable, secured } from './schemas/common.js';

const LIMIT_DOCS: Record<(typeof LIMIT_NAMES)[number], string> = {
  maxMessagesSent: 'Messages (text and media) an instance may send per window',
  maxMessagesReceived: 'Received messages per window; past it messages are still stored, and a limit_exceeded event says so',
  maxMediaSent: 'Media messages an instance may send per window',
  maxApiCalls: 'Authenticated API calls against an instance per window',
  maxWebhookCalls: 'Webhook deliveries per window; past it deliveries wait for the next window',
  maxMediaSize: 'Bytes per media item sent (not windowed)',
  maxInstances: 'Instances a user may hold (not windowed; user and default levels only)',
};

const Window = Type.Unsafe<LimitWindow>({
  type: 'string',
  enum: [...LIMIT_WINDOWS],
  description: 'Window of this level\'s counter limits: UTC day, ISO week (from Monday) or calendar month',
});

const LimitsBody = Type.Object(
  {
    ...(Object.fromEntries(LIMIT_NAMES.map((name) => [name, Type.Optional(Nullable(Type.Integer({ minimum: 0, description: `${LIMIT_DOCS[name]}; null or absent inherits` })))])) as TProperties),
    window: Type.Optional(Nullable(Window)),
  },
  { additionalProperties: false },
);

const Effective = Type.Object({
  value: Nullable(Type.Integer({ description: 'null: unlimited' })),
  window: Type.String(),
  source: Nullable(Type.String({ description: 'The level that set the value: default, user or instance' })),
});

const LimitsView = Type.Object({
  scope: Type.String(),
  limits: Type.Object(Object.fromEntries(LIMIT_NAMES.map((name) => [name, Type.Optional(Type.Integer())])) as TProperties, { description: 'What this level sets' }),
  window: Type.String(),
  effective: Type.Object(Object.fromEntries(LIMIT_NAMES.map((name) => [name, Effective])) as TProperties, { description: 'What applies here after inheritance' }),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
});

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
