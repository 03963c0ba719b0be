import type { UsageCounter } from '../../store/usage.js';

/** Limits counted over a window, and the usage counter each one caps. */
export const COUNTER_LIMITS = {
  maxMessagesSent: 'messagesSent',
  maxMessagesReceived: 'messagesReceived',
  maxMediaSent: 'mediaSent',
  maxApiCalls: 'apiCalls',
  maxWebhookCalls: 'webhookSent',
} as const satisfies Record<string, UsageCounter>;
export type CounterLimit = keyof typeof COUNTER_LIMITS;

/** `maxMediaSize` caps each media item in bytes; `maxInstances` the instances a user holds. */
export const LIMIT_NAMES = [...(Object.keys(COUNTER_LIMITS) as CounterLimit[]), 'maxMediaSize', 'maxInstances'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];
