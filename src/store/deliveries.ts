/** Webhook deliveries: one row per event a webhook must receive (see src/webhooks). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DeliveriesRepository {}
