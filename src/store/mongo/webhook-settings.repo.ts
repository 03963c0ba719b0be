import type { WebhookSettingsRecord, WebhookSettingsRepository } from '../store.js';
import { collection, fromDocument, type MongoContext, sessionOf, toDocument } from './documents.js';

export class MongoWebhookSettingsRepository implements WebhookSettingsRepository {
  constructor(private readonly ctx: MongoContext) {}

  async upsert(settings: WebhookSettingsRecord): Promise<void> {
    const doc = toDocument('webhookSettings', { ...settings });
    await collection(this.ctx, 'webhookSettings').replaceOne({ _id: doc._id }, doc, { upsert: true, ...sessionOf(this.ctx) });
  }

  async find(instanceId: string): Promise<WebhookSettingsRecord | undefined> {
    const doc = await collection(this.ctx, 'webhookSettings').findOne({ _id: instanceId }, sessionOf(this.ctx));
    // Settings stored before `events` existed have no such field.
    return doc ? { ...fromDocument<WebhookSettingsRecord>('webhookSettings', doc), events: (doc.events as string[] | undefined) ?? null } : undefined;
  }
}
