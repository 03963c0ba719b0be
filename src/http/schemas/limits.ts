import { type TSchema, Type } from '@sinclair/typebox';
import { LIMIT_NAMES, LIMIT_WINDOWS, type LimitName, type LimitWindow } from '../../store/usage.js';
import { Nullable } from './common.js';

const LIMIT_DOCS: Record<LimitName, string> = {
  maxMessagesSent: 'Messages (text and media) an instance may send per window',
  maxMessagesReceived: 'Received messages per window; past it messages are still stored, and a limit_exceeded event says so',
  maxMediaSent: 'Media messages an instance may send per window',
  maxApiCalls: 'Authenticated API calls against an instance per window',
  maxWebhookCalls: 'Webhook deliveries per window; past it deliveries wait for the next window',
  maxMediaSize: 'Bytes per media item sent (not windowed)',
  maxInstances: 'Instances a user may hold (not windowed; user and default levels only)',
};

/** One property per limit name, typed by name, so the dashboard's types list the limits too. */
const perLimit = <T extends TSchema>(schema: (name: LimitName) => T) => Object.fromEntries(LIMIT_NAMES.map((name) => [name, schema(name)])) as Record<LimitName, T>;

const Window = Type.Unsafe<LimitWindow>({
  type: 'string',
  enum: [...LIMIT_WINDOWS],
  description: 'Window of this level\'s counter limits: UTC day, ISO week (from Monday) or calendar month',
});

export const LimitsBody = Type.Object(
  {
    ...perLimit((name) => Type.Optional(Nullable(Type.Integer({ minimum: 0, description: `${LIMIT_DOCS[name]}; null or absent inherits` })))),
    window: Type.Optional(Nullable(Window)),
  },
  { additionalProperties: false },
);

const Effective = Type.Object({
  value: Nullable(Type.Integer({ description: 'null: unlimited' })),
  window: Type.String(),
  source: Nullable(Type.String({ description: 'The level that set the value: default, user or instance' })),
});

export const LimitsView = Type.Object({
  scope: Type.String(),
  limits: Type.Object(perLimit(() => Type.Optional(Type.Integer())), { description: 'What this level sets' }),
  window: Type.String(),
  effective: Type.Object(perLimit(() => Effective), { description: 'What applies here after inheritance' }),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
});
