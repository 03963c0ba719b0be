import type { LimitName, UsageCounter } from '../../store/usage.js';

/** Limits counted over a window, and the usage counter each one caps. */
export const COUNTER_LIMITS = {
  maxMessagesSent: 'messagesSent',
  maxMessagesReceived: 'messagesReceived',
  maxMediaSent: 'mediaSent',
  maxApiCalls: 'apiCalls',
  maxWebhookCalls: 'webhookSent',
} as const satisfies Partial<Record<LimitName, UsageCounter>>;
export type CounterLimit = keyof typeof COUNTER_LIMITS;
