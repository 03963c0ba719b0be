import { sql } from 'kysely';
import { DELIVERY_STATUSES, isDue, type DeliveriesRepository, type DeliveryOutcome, type DeliveryQuery, type DeliveryRecord, type DeliveryStatus } from '../deliveries.js';
import { type SqlContext, greatest } from './executor.js';
import { type Fields, PreparedQuery } from './prepared.js';
import type { WebhookDeliveriesTable } from './schema.js';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A delivery as the list reads it: a row of `webhook_deliveries`, or one derived from its event. */
type DeliveryRow = Omit<WebhookDeliveriesTable, 'locked_until'> & { stored: number | boolean };

/** The next delivery of an instance, with its event's data (null: the event is gone). */
type HeadRow = Omit<DeliveryRow, 'stored' | 'instance_id' | 'status'> & { kind: number | string; data: string | null };

function fromRow(r: DeliveryRow, lockedUntil: number | null = null): DeliveryRecord {
  return {
    id: r.id,
    instanceId: r.instance_id,
    eventId: r.event_id,
    eventSeq: Number(r.event_seq),
    eventTs: Number(r.event_ts),
    eventType: r.event_type,
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastAttemptAt: num(r.last_attempt_at),
    lastStatusCode: num(r.last_status_code),
    lastError: r.last_error,
    deliveredAt: num(r.delivered_at),
    lockedUntil,
    stored: Number(r.stored) === 1 || r.stored === true,
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

const ROW_COLUMNS = sql`d.id, d.instance_id, d.event_id, d.event_seq, d.event_ts, d.event_type, d.status, d.attempts, d.next_attempt_at,
  d.last_attempt_at, d.last_status_code, d.last_error, d.delivered_at, d.created_at, d.updated_at, 1 as stored`;

/**
 * Deliveries without a row, from the flagged events: delivered up to the cursor (when and with
 * what answer: the cursor advance, a range, that passed it), pending after it. `where` narrows
 * the events (an instance, an id); literals, not parameters, where a partial index must match.
 */
function derived(where: ReturnType<typeof sql>) {
  return sql`
    select e.id, e.instance_id, e.id as event_id, e.seq as event_seq, e.ts as event_ts, e.type as event_type,
      case when e.ts <= coalesce(c.ts, 0) then 'delivered' else 'pending' end as status,
      case when e.ts <= coalesce(c.ts, 0) then 1 else 0 end as attempts,
      e.ts as next_attempt_at, r.at as last_attempt_at, r.status_code as last_status_code, null as last_error,
      r.at as delivered_at, e.ts as created_at, coalesce(r.at, e.ts) as updated_at, 0 as stored
    from events e
    left join webhook_cursors c on c.instance_id = e.instance_id
    left join webhook_ranges r on r.instance_id = e.instance_id and e.ts <= coalesce(c.ts, 0)
      and r.to_ts = (select min(x.to_ts) from webhook_ranges x where x.instance_id = e.instance_id and x.to_ts >= e.ts)
    where e.webhook = 1 and ${where}
      and not exists (select 1 from webhook_deliveries w where w.event_id = e.id)`;
}

// The worker's statements, run for every delivery: prepared (see PreparedQuery).
const SETTLE_CURSOR = new PreparedQuery((ctx, instanceId: string, lease: number, advanceTo: number, keepUntil: number | null, now: number) =>
  ctx.db
    .updateTable('webhook_cursors')
    .set({ ts: greatest(ctx, sql`ts`, sql`${advanceTo}`), locked_until: keepUntil, updated_at: now })
    .where('instance_id', '=', instanceId)
    .where('locked_until', '=', lease),
);
const RELEASE = new PreparedQuery((ctx, instanceId: string, lease: number) =>
  ctx.db.updateTable('webhook_cursors').set({ locked_until: null }).where('instance_id', '=', instanceId).where('locked_until', '=', lease),
);
const INSERT_RANGE = new PreparedQuery((ctx, instanceId: string, toTs: number, at: number, statusCode: number | null) =>
  ctx.db
    .insertInto('webhook_ranges')
    .values({ instance_id: instanceId, to_ts: toTs, at, status_code: statusCode })
    .onConflict((oc) => oc.columns(['instance_id', 'to_ts']).doNothing()),
);
const INSERT_ROW = new PreparedQuery((ctx, row: Fields) => ctx.db.insertInto('webhook_deliveries').values(row as unknown as WebhookDeliveriesTable));
const UPDATE_ROW = new PreparedQuery((ctx, id: string, columns: Fields) => ctx.db.updateTable('webhook_deliveries').set(columns).where('id', '=', id));

export class SqlDeliveriesRepository implements DeliveriesRepository {
  constructor(private readonly ctx: SqlContext) {}

  async findById(id: string): Promise<DeliveryRecord | undefined> {
    const { rows } = await sql<DeliveryRow>`select ${ROW_COLUMNS} from webhook_deliveries d where d.id = ${id}`.execute(this.ctx.db);
    return rows.length > 0 ? fromRow(rows[0]) : this.derivedOf(id);
  }

  async findByEventId(eventId: string): Promise<DeliveryRecord | undefined> {
    const { rows } = await sql<DeliveryRow>`select ${ROW_COLUMNS} from webhook_deliveries d where d.event_id = ${eventId}`.execute(this.ctx.db);
    return rows.length > 0 ? fromRow(rows[0]) : this.derivedOf(eventId);
  }

  private async derivedOf(eventId: string): Promise<DeliveryRecord | undefined> {
    const { rows } = await sql<DeliveryRow>`${derived(sql`e.id = ${eventId}`)}`.execute(this.ctx.db);
    return rows.length > 0 ? fromRow(rows[0]) : undefined;
  }

  async list(query: DeliveryQuery): Promise<{ items: DeliveryRecord[]; total: number }> {
    const all = sql`select ${ROW_COLUMNS} from webhook_deliveries d where d.instance_id = ${query.instanceId}
      union all ${derived(sql`e.instance_id = ${query.instanceId}`)}`;
    const filter = query.status ? sql`where u.status = ${query.status}` : sql``;
    const { rows } = await sql<DeliveryRow>`select * from (${all}) u ${filter} order by u.event_seq desc limit ${query.limit} offset ${query.skip}`.execute(this.ctx.db);
    const { rows: counted } = await sql<{ n: number | string }>`select count(*) as n from (${all}) u ${filter}`.execute(this.ctx.db);
    return { items: rows.map((row) => fromRow(row)), total: Number(counted[0].n) };
  }

  async claimDue(now: number, leaseUntil: number, limit: number): Promise<DeliveryRecord[]> {
    // An instance is due when its oldest pending row is, or, with none, when it has a flagged
    // event past its cursor: two index seeks per instance, whatever the backlog.
    const { rows: due } = await sql<{ instance_id: string }>`
      select i.id as instance_id from instances i
      left join webhook_cursors c on c.instance_id = i.id
      where (c.locked_until is null or c.locked_until <= ${now})
        and coalesce(
          (select d.next_attempt_at <= ${now} from webhook_deliveries d where d.instance_id = i.id and d.status = 'pending' order by d.event_seq limit 1),
          exists (select 1 from events e where e.instance_id = i.id and e.webhook = 1 and e.ts > coalesce(c.ts, 0)))
      limit ${limit}`.execute(this.ctx.db);
    const claimed: DeliveryRecord[] = [];
    for (const { instance_id: instanceId } of due) {
      // The conditions again: another worker may have leased the instance since the select.
      const { rows: leased } = await sql`
        insert into webhook_cursors (instance_id, ts, locked_until, updated_at) values (${instanceId}, 0, ${leaseUntil}, ${now})
        on conflict (instance_id) do update set locked_until = excluded.locked_until
        where webhook_cursors.locked_until is null or webhook_cursors.locked_until <= ${now}
        returning instance_id`.execute(this.ctx.db);
      if (leased.length === 0) continue;
      const next = await this.leaseNext(instanceId, now, leaseUntil);
      if (next) claimed.push(next);
    }
    return claimed;
  }

  async leaseNext(instanceId: string, now: number, lease: number): Promise<DeliveryRecord | undefined> {
    const next = await this.head(instanceId, lease);
    if (next && isDue(next, now)) return next;
    await RELEASE.execute(this.ctx, instanceId, lease);
    return undefined;
  }

  /**
   * The instance's next delivery with its event, in one statement: its oldest pending row (a
   * requeued or retrying delivery), else its first flagged event past the cursor.
   */
  private async head(instanceId: string, lease: number): Promise<DeliveryRecord | undefined> {
    const { rows } = await sql<HeadRow>`
      select * from (
        select 0 as kind, d.id, d.event_id, d.event_seq, d.event_ts, d.event_type, d.attempts, d.next_attempt_at, d.last_attempt_at,
          d.last_status_code, d.last_error, d.delivered_at, d.created_at, d.updated_at, e.data
        from webhook_deliveries d left join events e on e.id = d.event_id
        where d.instance_id = ${instanceId} and d.status = 'pending' order by d.event_seq limit 1) h
      union all
      select * from (
        select 1 as kind, e.id, e.id as event_id, e.seq as event_seq, e.ts as event_ts, e.type as event_type, 0 as attempts, e.ts as next_attempt_at,
          cast(null as bigint) as last_attempt_at, cast(null as integer) as last_status_code, cast(null as text) as last_error,
          cast(null as bigint) as delivered_at, e.ts as created_at, e.ts as updated_at, e.data
        from events e
        where e.instance_id = ${instanceId} and e.webhook = 1
          and e.ts > coalesce((select c.ts from webhook_cursors c where c.instance_id = ${instanceId}), 0)
        order by e.ts limit 1) f
      order by kind limit 1`.execute(this.ctx.db);
    if (rows.length === 0) return undefined;
    const { kind, data, ...row } = rows[0];
    const delivery = fromRow({ ...row, instance_id: instanceId, status: 'pending', stored: Number(kind) === 0 ? 1 : 0 }, lease);
    if (data === null) return delivery;
    const event = { seq: delivery.eventSeq, id: delivery.eventId, instanceId, type: delivery.eventType, data: JSON.parse(data) as Record<string, unknown>, ts: delivery.eventTs };
    return { ...delivery, event };
  }

  async settle(d: DeliveryRecord, lease: number, outcome: DeliveryOutcome, now: number, keepUntil?: number): Promise<boolean> {
    const final = outcome.status === 'delivered' || outcome.status === 'failed' || outcome.status === 'skipped';
    const { affected } = await SETTLE_CURSOR.execute(this.ctx, d.instanceId, lease, final ? d.eventTs : 0, keepUntil ?? null, now);
    if (affected !== 1) return false;
    const columns = outcomeColumns(outcome);
    if (d.stored) await UPDATE_ROW.execute(this.ctx, d.id, { ...columns, updated_at: now });
    else if (outcome.status === 'delivered') await INSERT_RANGE.execute(this.ctx, d.instanceId, d.eventTs, outcome.deliveredAt ?? now, outcome.lastStatusCode ?? null);
    else if (Object.keys(columns).length > 0) {
      // Its first attempt did not deliver it: from now on it has a row, under its event's id.
      await INSERT_ROW.execute(this.ctx, {
        id: d.id,
        instance_id: d.instanceId,
        event_id: d.eventId,
        event_seq: d.eventSeq,
        event_ts: d.eventTs,
        event_type: d.eventType,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        last_attempt_at: null,
        last_status_code: null,
        last_error: null,
        delivered_at: null,
        locked_until: null,
        created_at: d.createdAt,
        ...columns,
        updated_at: now,
      });
    }
    return true;
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
    const { rows } = await sql<{ status: string; n: number | string }>`
      select u.status, count(*) as n from (
        select d.status from webhook_deliveries d
        union all
        select case when e.ts <= coalesce(c.ts, 0) then 'delivered' else 'pending' end as status
        from events e left join webhook_cursors c on c.instance_id = e.instance_id
        where e.webhook = 1 and not exists (select 1 from webhook_deliveries w where w.event_id = e.id)
      ) u group by u.status`.execute(this.ctx.db);
    const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const row of rows) counts[row.status as DeliveryStatus] = Number(row.n);
    return counts;
  }
}
