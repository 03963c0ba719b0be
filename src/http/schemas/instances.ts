import { Type } from '@sinclair/typebox';
import { ENGINE_NAMES } from '../../engines/engine.js';
import { Nullable } from './common.js';

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

const Headers = Type.Record(Type.String({ pattern: '^[A-Za-z0-9!#$%&\'*+.^_`|~-]+$', maxLength: 200 }), Type.String({ maxLength: 4096 }), {
  maxProperties: 50,
});
const WebhookUrl = Nullable(Type.String({ maxLength: 2048 }));
const MaxRetries = Type.Integer({ minimum: 0, maximum: 100 });
const RetryInterval = Type.Integer({ minimum: 100, maximum: 86_400_000, description: 'Milliseconds before the first retry; doubles with each attempt' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.String({ maxLength: 2000 });

export const CreateInstanceBody = Type.Object({
  name: Name,
  description: Type.Optional(Description),
  engine: Type.Optional(EngineName),
  webhookUrl: Type.Optional(WebhookUrl),
  webhookEnabled: Type.Optional(Type.Boolean()),
  notifyReceived: Type.Optional(Type.Boolean()),
  notifySent: Type.Optional(Type.Boolean()),
  notifyDelivery: Type.Optional(Type.Boolean()),
  notifyRead: Type.Optional(Type.Boolean()),
  maxRetries: Type.Optional(MaxRetries),
  retryInterval: Type.Optional(RetryInterval),
  webhookSecret: Type.Optional(Type.String({ maxLength: 1024 })),
  headers: Type.Optional(Headers),
});

export const WebhookSettingsBody = Type.Object({
  notifyReceived: Type.Optional(Type.Boolean()),
  notifySent: Type.Optional(Type.Boolean()),
  notifyDelivery: Type.Optional(Type.Boolean()),
  notifyRead: Type.Optional(Type.Boolean()),
  maxRetries: Type.Optional(MaxRetries),
  retryInterval: Type.Optional(RetryInterval),
  secret: Type.Optional(Nullable(Type.String({ maxLength: 1024 }))),
  headers: Type.Optional(Headers),
});

export const UpdateInstanceBody = Type.Object({
  name: Type.Optional(Name),
  description: Type.Optional(Nullable(Description)),
  webhookUrl: Type.Optional(WebhookUrl),
  webhookEnabled: Type.Optional(Type.Boolean()),
  webhookSettings: Type.Optional(WebhookSettingsBody),
});

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
