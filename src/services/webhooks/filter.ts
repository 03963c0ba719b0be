import type { InstanceRecord, WebhookSettingsRecord } from '../../store/store.js';

/** Statuses of our own messages reaching the other side (`notifyDelivery`). */
const DELIVERY_STATUSES = new Set(['pending', 'sent', 'delivered', 'failed']);
/** Statuses of the other side reading or playing them (`notifyRead`). */
const READ_STATUSES = new Set(['read', 'played']);

/** Sent whenever webhooks are on, whatever the notify flags say. */
const ALWAYS = new Set([
  'connected',
  'disconnected',
  'qr_received',
  'limit_exceeded',
  'webhook_updated',
  'webhook_test',
  'group_joined',
  'group_left',
  'group_participants',
  'group_updated',
]);

/**
 * Whether an event goes to the instance's webhook, judged when the event is appended. Events
 * not listed (such as `contacts_updated`) stay in the event log and are not sent.
 */
export function wantsEvent(
  instance: Pick<InstanceRecord, 'webhookEnabled' | 'webhookUrl'>,
  settings: Pick<WebhookSettingsRecord, 'notifyReceived' | 'notifySent' | 'notifyDelivery' | 'notifyRead' | 'events'>,
  event: { type: string; data: Record<string, unknown> },
): boolean {
  if (!instance.webhookEnabled || !instance.webhookUrl) return false;
  // A test the user asked for goes out whatever they subscribed to.
  if (event.type === 'webhook_test') return true;
  if (settings.events) return settings.events.includes(event.type);
  if (ALWAYS.has(event.type)) return true;
  switch (event.type) {
    case 'message_received':
    case 'message_reaction':
    case 'message_edited':
    case 'message_deleted':
    case 'poll_vote':
    case 'presence_update':
      return settings.notifyReceived;
    case 'message_sent':
      return settings.notifySent;
    case 'message_status': {
      const status = String(event.data.status);
      if (READ_STATUSES.has(status)) return settings.notifyRead;
      return DELIVERY_STATUSES.has(status) && settings.notifyDelivery;
    }
    default:
      return false;
  }
}
