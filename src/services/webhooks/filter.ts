import type { InstanceRecord, WebhookSettingsRecord } from '../../store/store.js';

/** Statuses of our own messages reaching the other side (`notifyDelivery`). */
const DELIVERY_STATUSES = new Set(['pending', 'sent', 'delivered', 'failed']);
/** Statuses of the other side reading or playing them (`notifyRead`). */
const READ_STATUSES = new Set(['read', 'played']);

/** Sent whenever webhooks are on, whatever the notify flags say. */
const ALWAYS = new Set(['connected', 'disconnected', 'qr_received', 'limit_exceeded', 'webhook_updated', 'webhook_test']);

/**
 * Whether an event goes to the instance's webhook, judged when the event is appended. Events
 * not listed (such as `contacts_updated`) stay in the event log and are not sent.
 */
export function wantsEvent(
  instance: Pick<InstanceRecord, 'webhookEnabled' | 'webhookUrl'>,
  settings: Pick<WebhookSettingsRecord, 'notifyReceived' | 'notifySent' | 'notifyDelivery' | 'notifyRead'>,
  event: { type: string; data: Record<string, unknown> },
): boolean {
  if (!instance.webhookEnabled || !instance.webhookUrl) return false;
  if (ALWAYS.has(event.type)) return true;
  switch (event.type) {
    case 'message_received':
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
