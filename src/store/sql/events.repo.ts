import type { EventQuery, EventRecord, EventsRepository } from '../store.js';
import type { SqlContext } from './executor.js';
import { eventFromRow, json } from './rows.js';

export class SqlEventsRepository implements EventsRepository {
  constructor(private readonly ctx: SqlContext) {}

  async append(event: Omit<EventRecord, 'seq'>): Promise<number> {
    const row = await this.ctx.db
      .insertInto('events')
      .values({ id: event.id, instance_id: event.instanceId, type: event.type, data: json(event.data), ts: event.ts })
      .returning('seq')
      .executeTakeFirstOrThrow();
    return Number(row.seq);
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
    const row = await this.ctx.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
    return row && eventFromRow(row);
  }

  async count(): Promise<number> {
    const row = await this.ctx.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
