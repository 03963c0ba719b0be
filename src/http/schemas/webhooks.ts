import { Type } from '@sinclair/typebox';
import { DELIVERY_STATUSES } from '../../store/deliveries.js';
import { IdParams, IsoDate, Nullable, PageQuery, Pagination } from './common.js';

const DeliveryStatus = Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)));

export const DeliveryView = Type.Object({
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

export const DeliveryParams = Type.Object({ id: IdParams.properties.id, deliveryId: Type.String({ minLength: 1, maxLength: 100 }) });

export const DeliveriesQuery = Type.Composite([Type.Object({ status: Type.Optional(DeliveryStatus) }), PageQuery(50, 500)]);

export const DeliveriesResponse = Type.Object({ deliveries: Type.Array(DeliveryView), pagination: Pagination });

export const WebhookTestResponse = Type.Object({ deliveryId: Type.String(), eventId: Type.String(), delivery: DeliveryView });
