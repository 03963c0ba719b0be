import { Type } from '@sinclair/typebox';
import { ENGINE_NAMES } from '../../engines/names.js';
import { Nullable } from './common.js';
import { WEBHOOK_EVENT_TYPES } from '../../services/event-log.js';

export const EngineName = Type.Union(ENGINE_NAMES.map((e) => Type.Literal(e)));

export const ConnectionStatus = Type.Object({
  ready: Type.Boolean(),
  status: Type.String(),
  hasQr: Type.Boolean(),
  lastDisconnect: Type.Optional(
    Type.Object(
      { reason: Type.String(), message: Type.Optional(Type.String()) },
      { description: 'Why the connection last closed (network, connection_lost, bad_session, engine_error, conflict, logged_out, qr_timeout), until it shows a QR code or connects again' },
    ),
  ),
});

/** Names and values are checked by the instances service, which says what is wrong with each. */
const Headers = Type.Record(Type.String(), Type.String(), {
  maxProperties: 50,
  description: 'Extra headers sent with every delivery: RFC 7230 names, no CR/LF in values; our own and hop-by-hop headers are refused',
});
const WebhookUrl = Nullable(Type.String({ maxLength: 2048 }));
const MaxRetries = Type.Integer({ minimum: 0, maximum: 100 });
const RetryInterval = Type.Integer({ minimum: 100, maximum: 86_400_000, description: 'Milliseconds before the first retry; doubles with each attempt' });
const Secret = Nullable(Type.String({ maxLength: 1024, description: 'Signs deliveries (X-Webhook-Signature); null or "" removes it' }));
const WebhookEvents = Nullable(
  Type.Array(Type.Union(WEBHOOK_EVENT_TYPES.map((e) => Type.Literal(e))), {
    maxItems: WEBHOOK_EVENT_TYPES.length,
    description: `Exactly the events the webhook receives (${WEBHOOK_EVENT_TYPES.join(', ')}); null or absent: the notify flags decide`,
  }),
);
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.String({ maxLength: 2000 });

/**
 * The webhook fields under the spec's names. Create and update take the same ones, at the top
 * level (the spec's create body) or inside `webhookSettings` (the spec's update body), where the
 * secret may also be called `secret` (as GET shows it). A field given in both places is a 400.
 */
const webhookFields = {
  webhookUrl: Type.Optional(WebhookUrl),
  webhookEnabled: Type.Optional(Type.Boolean()),
  notifyReceived: Type.Optional(Type.Boolean()),
  notifySent: Type.Optional(Type.Boolean()),
  notifyDelivery: Type.Optional(Type.Boolean()),
  notifyRead: Type.Optional(Type.Boolean()),
  maxRetries: Type.Optional(MaxRetries),
  retryInterval: Type.Optional(RetryInterval),
  webhookSecret: Type.Optional(Secret),
  headers: Type.Optional(Headers),
  events: Type.Optional(WebhookEvents),
};

export const WebhookSettingsBody = Type.Object({ ...webhookFields, secret: Type.Optional(Secret) });

export const CreateInstanceBody = Type.Object({
  name: Name,
  description: Type.Optional(Description),
  engine: Type.Optional(EngineName),
  ...webhookFields,
  webhookSettings: Type.Optional(WebhookSettingsBody),
});

export const UpdateInstanceBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Nullable(Description)),
    ...webhookFields,
    webhookSettings: Type.Optional(WebhookSettingsBody),
  },
  {
    example: {
      name: '새 WhatsApp 이름',
      webhookUrl: 'https://new-example.com/webhook',
      webhookEnabled: true,
      webhookSettings: { notifyDelivery: true, maxRetries: 5, retryInterval: 30000, secret: 'new-secret-key', headers: { 'New-Custom-Header': 'new-value' } },
    },
  },
);

const InstanceBase = {
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  userId: Type.String(),
  engine: Type.String(),
  status: Type.String(),
  webhookUrl: Nullable(Type.String()),
  webhookEnabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const InstanceCreated = Type.Object(InstanceBase);

export const InstanceListItem = Type.Object({ ...InstanceBase, connectionStatus: ConnectionStatus });

export const InstanceList = Type.Object({
  instances: Type.Array(InstanceListItem),
  defaultEngine: Type.Union(ENGINE_NAMES.map((e) => Type.Literal(e)), { description: 'The engine a new instance gets when the create body names none (DEFAULT_ENGINE)' }),
});

export const WebhookSettingsView = Type.Object({
  instanceId: Type.String(),
  notifyReceived: Type.Boolean(),
  notifySent: Type.Boolean(),
  notifyDelivery: Type.Boolean(),
  notifyRead: Type.Boolean(),
  maxRetries: Type.Integer(),
  retryInterval: Type.Integer(),
  secret: Nullable(Type.String()),
  headers: Type.Record(Type.String(), Type.String()),
  events: WebhookEvents,
});

export const InstanceDetail = Type.Object({
  ...InstanceBase,
  phone: Nullable(Type.String()),
  lastActivity: Nullable(Type.String()),
  webhookSettings: WebhookSettingsView,
  connectionStatus: ConnectionStatus,
});

export const InstanceUpdated = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  webhookUrl: Nullable(Type.String()),
  webhookEnabled: Type.Boolean(),
  updatedAt: Type.String(),
});

export const InstanceStatusView = Type.Object({
  instanceId: Type.String(),
  status: Type.String(),
  ready: Type.Boolean(),
  hasQr: Type.Boolean(),
  lastActivity: Nullable(Type.String()),
  connectionDetails: ConnectionStatus,
});
