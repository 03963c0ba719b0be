import type { EventRecord } from '../../store/store.js';

/** What a receiver gets: the spec's envelope, plus the event id to drop duplicates by. */
export interface WebhookPayload {
  event: string;
  data: Record<string, unknown>;
  timestamp: string;
  id: string;
}

export function webhookPayload(event: EventRecord): WebhookPayload {
  return { event: event.type, data: event.data, timestamp: new Date(event.ts).toISOString(), id: event.id };
}

/**
 * The exact bytes sent and signed. Built from the stored event alone, so every retry sends the
 * same bytes, and equal to `JSON.stringify(JSON.parse(body))`, which the spec's verifier computes.
 */
export function webhookBody(event: EventRecord): string {
  return JSON.stringify(webhookPayload(event));
}
