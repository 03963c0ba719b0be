import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { authErrors, ErrorResponse, IdParams, pagination, secured } from './schemas/common.js';
import { DeliveriesQuery, DeliveriesResponse, DeliveryParams, DeliveryView, WebhookTestResponse } from './schemas/webhooks.js';
import { deliveryView } from './views.js';

/** The webhook delivery queue of an instance: what was sent, what failed, and sending again. */
export const webhooksRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { webhooks } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const tags = ['webhooks'];
  const errors = { ...authErrors, 409: ErrorResponse };

  app.get(
    '/api/instances/:id/webhook/deliveries',
    {
      schema: {
        tags,
        summary: 'Webhook deliveries of an instance, newest event first',
        security: secured,
        params: IdParams,
        querystring: DeliveriesQuery,
        response: { 200: DeliveriesResponse, ...authErrors },
      },
    },
    async (request) => {
      const { status, limit, skip } = request.query;
      const { items, total } = await webhooks.deliveries(request.user, request.params.id, { status, limit, skip });
      return { deliveries: items.map(deliveryView), pagination: pagination(total, limit, skip) };
    },
  );

  app.post(
    '/api/instances/:id/webhook/deliveries/:deliveryId/retry',
    {
      schema: {
        tags,
        summary: 'Send a failed or skipped delivery again, from its first attempt',
        security: secured,
        params: DeliveryParams,
        response: { 200: DeliveryView, ...errors },
      },
    },
    async (request) => deliveryView(await webhooks.retry(request.user, request.params.id, request.params.deliveryId)),
  );

  app.post(
    '/api/instances/:id/webhook/test',
    {
      schema: {
        tags,
        summary: 'Queue a webhook_test event, delivered like any other event',
        security: secured,
        params: IdParams,
        response: { 202: WebhookTestResponse, ...errors },
      },
    },
    async (request, reply) => {
      const delivery = await webhooks.test(request.user, request.params.id);
      return reply.code(202).send({ deliveryId: delivery.id, eventId: delivery.eventId, delivery: deliveryView(delivery) });
    },
  );
};
