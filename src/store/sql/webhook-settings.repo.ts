import type { WebhookSettingsRecord, WebhookSettingsRepository } from '../store.js';
import type { SqlContext } from './executor.js';
import { PreparedQuery } from './prepared.js';
import { webhookSettingsFromRow, webhookSettingsToRow } from './rows.js';

/** Once per webhook delivery: prepared (see PreparedQuery). */
const FIND = new PreparedQuery((ctx, instanceId: string) => ctx.db.selectFrom('webhook_settings').selectAll().where('instance_id', '=', instanceId));

export class SqlWebhookSettingsRepository implements WebhookSettingsRepository {
  constructor(private readonly ctx: SqlContext) {}

  async upsert(settings: WebhookSettingsRecord): Promise<void> {
    const row = webhookSettingsToRow(settings);
    const { instance_id: _key, ...rest } = row;
    await this.ctx.db
      .insertInto('webhook_settings')
      .values(row)
      .onConflict((oc) => oc.column('instance_id').doUpdateSet(rest))
      .execute();
  }

  async find(instanceId: string): Promise<WebhookSettingsRecord | undefined> {
    const { rows } = await FIND.execute(this.ctx, instanceId);
    return rows.length > 0 ? webhookSettingsFromRow(rows[0]) : undefined;
  }
}
