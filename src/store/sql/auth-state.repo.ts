import type { AuthStateRepository } from '../store.js';
import type { SqlContext } from './executor.js';

export class SqlAuthStateRepository implements AuthStateRepository {
  constructor(private readonly ctx: SqlContext) {}

  async get(instanceId: string, type: string, ids: string[]): Promise<Record<string, string>> {
    if (ids.length === 0) return {};
    const rows = await this.ctx.db
      .selectFrom('auth_state')
      .select(['id', 'value'])
      .where('instance_id', '=', instanceId)
      .where('type', '=', type)
      .where('id', 'in', ids)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.id, r.value]));
  }

  async set(instanceId: string, data: Record<string, Record<string, string | null>>): Promise<void> {
    if (!this.ctx.db.isTransaction) {
      await this.ctx.db.transaction().execute((trx) => new SqlAuthStateRepository({ ...this.ctx, db: trx }).set(instanceId, data));
      return;
    }
    for (const [type, values] of Object.entries(data)) {
      for (const [id, value] of Object.entries(values)) {
        if (value === null) {
          await this.ctx.db.deleteFrom('auth_state').where('instance_id', '=', instanceId).where('type', '=', type).where('id', '=', id).execute();
        } else {
          await this.ctx.db
            .insertInto('auth_state')
            .values({ instance_id: instanceId, type, id, value })
            .onConflict((oc) => oc.columns(['instance_id', 'type', 'id']).doUpdateSet({ value }))
            .execute();
        }
      }
    }
  }

  async clear(instanceId: string): Promise<void> {
    await this.ctx.db.deleteFrom('auth_state').where('instance_id', '=', instanceId).execute();
  }
}
