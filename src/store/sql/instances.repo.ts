import { sql } from 'kysely';
import type { InstanceRecord, InstancesRepository } from '../store.js';
import { greatest, type SqlContext } from './executor.js';
import { type Fields, PreparedQuery } from './prepared.js';
import { instanceFromRow, instanceToRow, toColumns } from './rows.js';

/** Tables whose rows belong to one instance and go with it. Usage counters stay for the stats. */
const OWNED_TABLES = ['webhook_settings', 'auth_state', 'messages', 'contacts', 'chats', 'groups', 'activity_logs', 'events', 'webhook_deliveries', 'webhook_cursors', 'webhook_ranges'] as const;

/** Once per event: prepared (see PreparedQuery). */
const NEXT_EVENT_TS = new PreparedQuery((ctx, id: string, now: number) =>
  ctx.db
    .updateTable('instances')
    .set({ last_event_ts: greatest(ctx, sql`last_event_ts + 1`, now) })
    .where('id', '=', id)
    .returningAll(),
);

/** Every message touches its instance: prepared, one template per set of columns. */
const FIND_BY_ID = new PreparedQuery((ctx, id: string) => ctx.db.selectFrom('instances').selectAll().where('id', '=', id));
const UPDATE = new PreparedQuery((ctx, id: string, columns: Fields) => ctx.db.updateTable('instances').set(columns).where('id', '=', id).returningAll());

export class SqlInstancesRepository implements InstancesRepository {
  constructor(private readonly ctx: SqlContext) {}

  async insert(instance: InstanceRecord): Promise<void> {
    await this.ctx.db.insertInto('instances').values(instanceToRow(instance)).execute();
  }

  async findById(id: string): Promise<InstanceRecord | undefined> {
    const { rows } = await FIND_BY_ID.execute(this.ctx, id);
    return rows.length > 0 ? instanceFromRow(rows[0]) : undefined;
  }

  async list(userId?: string): Promise<InstanceRecord[]> {
    let query = this.ctx.db.selectFrom('instances').selectAll();
    if (userId !== undefined) query = query.where('user_id', '=', userId);
    const rows = await query.orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
    return rows.map(instanceFromRow);
  }

  async listLinked(): Promise<InstanceRecord[]> {
    const rows = await this.ctx.db.selectFrom('instances').selectAll().where('linked', '=', 1).orderBy('created_at', 'asc').execute();
    return rows.map(instanceFromRow);
  }

  async update(id: string, patch: Partial<Omit<InstanceRecord, 'id' | 'userId' | 'createdAt'>>): Promise<InstanceRecord | undefined> {
    const columns = toColumns(patch);
    if (Object.keys(columns).length === 0) return this.findById(id);
    const { rows } = await UPDATE.execute(this.ctx, id, columns);
    return rows.length > 0 ? instanceFromRow(rows[0]) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    for (const table of OWNED_TABLES) {
      await this.ctx.db.deleteFrom(table).where('instance_id', '=', id).execute();
    }
    await this.ctx.db.deleteFrom('limits').where('scope', '=', 'instance').where('scope_id', '=', id).execute();
    const result = await this.ctx.db.deleteFrom('instances').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async countByUser(userId: string): Promise<number> {
    const row = await this.ctx.db
      .selectFrom('instances')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async count(): Promise<number> {
    const row = await this.ctx.db.selectFrom('instances').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async nextEventTs(id: string, now: number): Promise<InstanceRecord> {
    const { rows } = await NEXT_EVENT_TS.execute(this.ctx, id, now);
    if (rows.length === 0) throw new Error(`instance ${id} does not exist`);
    return instanceFromRow(rows[0]);
  }
}
