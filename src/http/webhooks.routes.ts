import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { iso } from '../core/clock.js';
import { DELIVERY_STATUSES, type DeliveryRecord } from '../store/deliveries.js';
import { authErrors, ErrorResponse, IdParams, IsoDate, Nullable, PageQuery, pagination, Pagination, secured } from './schemas/common.js';

const DeliveryStatus = Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)));

const DeliveryView = Type.Object({
  id: Type.String(),
  eventId: Type.String({ description: 'The `id` in the webhook body and the `webhook-id` header' }),
  event: Type.String(),
  status: DeliveryStatus,
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time', description: 'Set while the delivery is pending' })),
  lastAttemptAt: Nullable(IsoDate),
  deliveredAt: Nullable(IsoDate),
  createdAt: IsoDate,
});

const DeliveryParams = Type.Object({ id: IdParams.properties.id, deliveryId: Type.String({ minLength: 1, maxLength: 100 }) });

const DeliveriesQuery = Type.Composite([Type.Object({ status: Type.Optional(DeliveryStatus) }), PageQuery(50, 500)]);

function view(d: DeliveryRecord) {
  return {
    id: d.id,
    eventId: d.eventId,
    event: d.eventType,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    lastAttemptAt: iso(d.lastAttemptAt),
    deliveredAt: iso(d.deliveredAt),
    createdAt: iso(d.createdAt),
  };
}

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
        response: { 200: Type.Object({ deliveries: Type.Array(DeliveryView), pagination: Pagination }), ...authErrors },
      },
    },
    async (request) => {
      const { status, limit, skip } = request.query;
      const { items, total } = await webhooks.deliveries(request.user, request.params.id, { status, limit, skip });
      return { deliveries: items.map(view), pagination: pagination(total, limit, skip) };
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
    async (request) => view(await webhooks.retry(request.user, request.params.id, request.params.deliveryId)),
  );

  app.post(
    '/api/instances/:id/webhook/test',
    {
      schema: {
        tags,
        summary: 'Queue a webhook_test event, delivered like any other event',
        security: secured,
        params: IdParams,
        response: { 202: Type.Object({ deliveryId: Type.String(), eventId: Type.String(), delivery: DeliveryView }), ...errors },
      },
    },
    async (request, reply) => {
      const delivery = await webhooks.test(request.user, request.params.id);
      return reply.code(202).send({ deliveryId: delivery.id, eventId: delivery.eventId, delivery: view(delivery) });
    },
  );
};
