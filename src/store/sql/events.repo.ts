import type { EventQuery, EventRecord, EventsRepository } from '../store.js';
import type { SqlContext } from './executor.js';
import { PreparedQuery } from './prepared.js';
import { eventFromRow, json } from './rows.js';

/** Once per event: prepared (see PreparedQuery). */
const APPEND = new PreparedQuery((ctx, id: string, instanceId: string, type: string, data: string, ts: number, webhook: number) =>
  ctx.db.insertInto('events').values({ id, instance_id: instanceId, type, data, ts, webhook }).returning('seq'),
);
/** Once per webhook delivery. */
const FIND_BY_ID = new PreparedQuery((ctx, id: string) => ctx.db.selectFrom('events').selectAll().where('id', '=', id));

export class SqlEventsRepository implements EventsRepository {
  constructor(private readonly ctx: SqlContext) {}

  async append(event: Omit<EventRecord, 'seq'>): Promise<number> {
    const { rows } = await APPEND.execute(this.ctx, event.id, event.instanceId, event.type, json(event.data), event.ts, event.webhook ? 1 : 0);
    return Number(rows[0].seq);
  }

  async list(query: EventQuery): Promise<{ items: EventRecord[]; hasMore: boolean }> {
    let base = this.ctx.db.selectFrom('events').selectAll().where('instance_id', '=', query.instanceId);
    if (query.types && query.types.length > 0) base = base.where('type', 'in', query.types);
    // One extra row tells whether there is more without a count over the whole log.
    if (query.since !== undefined) {
      const rows = await base.where('ts', '>', query.since).orderBy('ts', 'asc').limit(query.limit + 1).execute();
      return { items: rows.slice(0, query.limit).map(eventFromRow), hasMore: rows.length > query.limit };
    }
    const rows = await base.orderBy('ts', 'desc').limit(query.limit + 1).execute();
    return { items: rows.slice(0, query.limit).reverse().map(eventFromRow), hasMore: rows.length > query.limit };
  }

  async findById(id: string): Promise<EventRecord | undefined> {
    const { rows } = await FIND_BY_ID.execute(this.ctx, id);
    return rows.length > 0 ? eventFromRow(rows[0]) : undefined;
  }

  async count(): Promise<number> {
    const row = await this.ctx.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
