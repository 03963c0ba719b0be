import { type RawBuilder, type Selectable, sql } from 'kysely';
import { DELIVERY_STATUSES, type DeliveriesRepository, type DeliveryOutcome, type DeliveryQuery, type DeliveryRecord, type DeliveryStatus } from '../deliveries.js';
import type { SqlContext } from './executor.js';
import { type Fields, PreparedQuery } from './prepared.js';
import type { WebhookDeliveriesTable } from './schema.js';

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function fromRow(r: Selectable<WebhookDeliveriesTable>): DeliveryRecord {
  return {
    id: r.id,
    instanceId: r.instance_id,
    eventId: r.event_id,
    eventSeq: Number(r.event_seq),
    eventType: r.event_type,
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastAttemptAt: num(r.last_attempt_at),
    lastStatusCode: num(r.last_status_code),
    lastError: r.last_error,
    deliveredAt: num(r.delivered_at),
    lockedUntil: num(r.locked_until),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function outcomeColumns(o: DeliveryOutcome): Fields {
  const columns: Fields = {};
  if (o.status !== undefined) columns.status = o.status;
  if (o.attempts !== undefined) columns.attempts = o.attempts;
  if (o.nextAttemptAt !== undefined) columns.next_attempt_at = o.nextAttemptAt;
  if (o.lastAttemptAt !== undefined) columns.last_attempt_at = o.lastAttemptAt;
  if (o.lastStatusCode !== undefined) columns.last_status_code = o.lastStatusCode;
  if (o.lastError !== undefined) columns.last_error = o.lastError;
  if (o.deliveredAt !== undefined) columns.delivered_at = o.deliveredAt;
  return columns;
}

/** The id of an instance's oldest pending delivery: the only one of its queue that may go out. */
function headOf(instanceId: RawBuilder<unknown>) {
  return sql`(select h.id from webhook_deliveries h where h.status = 'pending' and h.instance_id = ${instanceId} order by h.event_seq limit 1)`;
}

/** No pending delivery of the instance is leased at `now`: none has an attempt in flight. */
function unleasedInstance(instanceId: RawBuilder<unknown>, now: number) {
  return sql`coalesce((select max(l.locked_until) from webhook_deliveries l where l.status = 'pending' and l.instance_id = ${instanceId}), 0) <= ${now}`;
}

// Every webhook runs these two: prepared (see PreparedQuery); settle has one template per kind of outcome.
const INSERT = new PreparedQuery((ctx, row: Fields) => ctx.db.insertInto('webhook_deliveries').values(row as unknown as WebhookDeliveriesTable));
const SETTLE = new PreparedQuery((ctx, id: string, lease: number, columns: Fields) =>
  ctx.db.updateTable('webhook_deliveries').set(columns).where('id', '=', id).where('locked_until', '=', lease),
);

export class SqlDeliveriesRepository implements DeliveriesRepository {
  constructor(private readonly ctx: SqlContext) {}

  async insert(d: DeliveryRecord): Promise<void> {
    await INSERT.execute(this.ctx, {
      id: d.id,
      instance_id: d.instanceId,
      event_id: d.eventId,
      event_seq: d.eventSeq,
      event_type: d.eventType,
      status: d.status,
      attempts: d.attempts,
      next_attempt_at: d.nextAttemptAt,
      last_attempt_at: d.lastAttemptAt,
      last_status_code: d.lastStatusCode,
      last_error: d.lastError,
      delivered_at: d.deliveredAt,
      locked_until: d.lockedUntil,
      created_at: d.createdAt,
      updated_at: d.updatedAt,
    });
  }

  async findById(id: string): Promise<DeliveryRecord | undefined> {
    const row = await this.ctx.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async findByEventId(eventId: string): Promise<DeliveryRecord | undefined> {
    const row = await this.ctx.db.selectFrom('webhook_deliveries').selectAll().where('event_id', '=', eventId).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(query: DeliveryQuery): Promise<{ items: DeliveryRecord[]; total: number }> {
    let base = this.ctx.db.selectFrom('webhook_deliveries').where('instance_id', '=', query.instanceId);
    if (query.status) base = base.where('status', '=', query.status);
    const rows = await base.selectAll().orderBy('event_seq', 'desc').limit(query.limit).offset(query.skip).execute();
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { items: rows.map(fromRow), total: Number(total.n) };
  }

  async claimDue(now: number, leaseUntil: number, limit: number): Promise<DeliveryRecord[]> {
    // The instances with pending deliveries, found by jumping from one to the next along the
    // queue index (a seek each) rather than reading every pending row: with a backlog, grouping
    // all of them made this the costliest statement of an inbound message (bench/). For each,
    // its oldest pending delivery, if due; an instance with an attempt in flight is busy, even
    // if an older delivery was put back in its queue meanwhile: one attempt per instance.
    const queued = sql.ref('q.instance_id');
    const { rows: due } = await sql<Selectable<WebhookDeliveriesTable>>`
      with recursive queued(instance_id) as (
        select min(instance_id) from webhook_deliveries where status = 'pending'
        union all
        select (select min(w.instance_id) from webhook_deliveries w where w.status = 'pending' and w.instance_id > q.instance_id)
        from queued q where q.instance_id is not null
      )
      select d.* from queued q
      join webhook_deliveries d on d.id = ${headOf(queued)}
      where d.next_attempt_at <= ${now} and ${unleasedInstance(queued, now)}
      order by d.next_attempt_at
      limit ${limit}
    `.execute(this.ctx.db);
    if (due.length === 0) return [];
    // One statement for the whole batch; the conditions again, since another worker may have
    // leased or settled a row since the select.
    const leased = await this.ctx.db
      .updateTable('webhook_deliveries')
      .set({ locked_until: leaseUntil })
      .where('id', 'in', due.map((row) => row.id))
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .returningAll()
      .execute();
    const byId = new Map(leased.map((row) => [row.id, row]));
    return due.flatMap((row) => {
      const mine = byId.get(row.id);
      return mine ? [fromRow(mine)] : [];
    });
  }

  async leaseNext(instanceId: string, now: number, leaseUntil: number): Promise<DeliveryRecord | undefined> {
    const { rows } = await sql<Selectable<WebhookDeliveriesTable>>`
      update webhook_deliveries set locked_until = ${leaseUntil}
      where id = ${headOf(sql`${instanceId}`)} and next_attempt_at <= ${now} and ${unleasedInstance(sql`${instanceId}`, now)}
      returning *
    `.execute(this.ctx.db);
    return rows.length > 0 ? fromRow(rows[0]) : undefined;
  }

  async settle(id: string, lease: number, outcome: DeliveryOutcome, now: number): Promise<boolean> {
    const { affected } = await SETTLE.execute(this.ctx, id, lease, { ...outcomeColumns(outcome), locked_until: null, updated_at: now });
    return affected === 1;
  }

  async requeue(id: string, now: number): Promise<DeliveryRecord | undefined> {
    const result = await this.ctx.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', ['failed', 'skipped'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? this.findById(id) : undefined;
  }

  async countByStatus(): Promise<Record<DeliveryStatus, number>> {
    const rows = await this.ctx.db
      .selectFrom('webhook_deliveries')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const row of rows) counts[row.status as DeliveryStatus] = Number(row.n);
    return counts;
  }
}
