import type { ActivityQuery, ActivityRecord, ActivityRepository } from '../store.js';
import type { SqlContext } from './executor.js';
import { activityFromRow, json } from './rows.js';

export class SqlActivityRepository implements ActivityRepository {
  constructor(private readonly ctx: SqlContext) {}

  async insert(entry: ActivityRecord): Promise<void> {
    await this.ctx.db
      .insertInto('activity_logs')
      .values({ id: entry.id, instance_id: entry.instanceId, action: entry.action, details: json(entry.details), created_at: entry.createdAt })
      .execute();
  }

  async list(query: ActivityQuery): Promise<{ items: ActivityRecord[]; total: number }> {
    let base = this.ctx.db.selectFrom('activity_logs').where('instance_id', '=', query.instanceId);
    if (query.actions && query.actions.length > 0) base = base.where('action', 'in', query.actions);
    if (query.from !== undefined) base = base.where('created_at', '>=', query.from);
    if (query.to !== undefined) base = base.where('created_at', '<=', query.to);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.skip).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(activityFromRow), total: Number(count.n) };
  }
}
