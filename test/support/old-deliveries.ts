import { sql } from 'kysely';
import { MIGRATIONS, WEBHOOK_CURSORS_MIGRATION as MONGO_CURSORS } from '../../src/store/mongo/migrations.js';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { SqlStore } from '../../src/store/sql/sql-store.js';
import { WEBHOOK_CURSORS_MIGRATION as SQL_CURSORS } from '../../src/store/sql/webhook-cursors-migration.js';
import type { Store } from '../../src/store/store.js';

/** A webhook delivery as the gateway stored it before the event log became the outbox (0011). */
export interface OldDelivery {
  id: string;
  instanceId: string;
  eventId: string;
  eventSeq: number;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed' | 'skipped';
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * Takes the database back to before the event log was the webhook outbox: a row in
 * `webhook_deliveries` for every delivery (those derived from the cursor become rows again), no
 * flag on events, no cursors, and the migration not run, so the next open runs it.
 */
export async function forgetWebhookCursors(store: Store): Promise<void> {
  if (store instanceof SqlStore) {
    await sql`
      insert into webhook_deliveries (id, instance_id, event_id, event_seq, event_ts, event_type, status, attempts, next_attempt_at,
        last_attempt_at, last_status_code, last_error, delivered_at, locked_until, created_at, updated_at)
      select e.id, e.instance_id, e.id, e.seq, e.ts, e.type,
        case when e.ts <= coalesce(c.ts, 0) then 'delivered' else 'pending' end,
        case when e.ts <= coalesce(c.ts, 0) then 1 else 0 end, e.ts, null, null, null, null, null, e.ts, e.ts
      from events e left join webhook_cursors c on c.instance_id = e.instance_id
      where e.webhook = 1 and not exists (select 1 from webhook_deliveries w where w.event_id = e.id)`.execute(store.db);
    await sql`drop index events_webhook`.execute(store.db);
    await sql`alter table events drop column webhook`.execute(store.db);
    await sql`alter table webhook_deliveries drop column event_ts`.execute(store.db);
    await sql`drop table webhook_cursors`.execute(store.db);
    await sql`drop table webhook_ranges`.execute(store.db);
    await sql`create index deliveries_leases on webhook_deliveries (instance_id, locked_until) where status = 'pending'`.execute(store.db);
    await sql`delete from kysely_migration where name = ${SQL_CURSORS}`.execute(store.db);
  } else if (store instanceof MongoStore) {
    await store.db.collection('events').updateMany({}, { $unset: { webhook: '' } });
    await store.db.collection('webhook_deliveries').updateMany({}, { $unset: { eventTs: '' } });
    await store.db.collection('webhook_cursors').deleteMany({});
    await store.db.collection('webhook_ranges').deleteMany({});
    await store.db.collection<{ _id: string }>(MIGRATIONS).deleteOne({ _id: MONGO_CURSORS });
  } else throw new Error(`no migrations to undo on a ${store.provider} store`);
}

/** Writes deliveries as a 0011 database held them (after `forgetWebhookCursors`). */
export async function writeOldDeliveries(store: Store, deliveries: OldDelivery[]): Promise<void> {
  for (const d of deliveries) {
    if (store instanceof SqlStore) {
      await sql`
        insert into webhook_deliveries (id, instance_id, event_id, event_seq, event_type, status, attempts, next_attempt_at,
          last_attempt_at, last_status_code, last_error, delivered_at, locked_until, created_at, updated_at)
        values (${d.id}, ${d.instanceId}, ${d.eventId}, ${d.eventSeq}, ${d.eventType}, ${d.status}, ${d.attempts}, ${d.nextAttemptAt},
          ${d.lastAttemptAt}, ${d.lastStatusCode}, ${d.lastError}, ${d.deliveredAt}, null, ${d.createdAt}, ${d.updatedAt})`.execute(store.db);
    } else if (store instanceof MongoStore) {
      const { id, ...rest } = d;
      await store.db.collection<{ _id: string } & Record<string, unknown>>('webhook_deliveries').insertOne({ _id: id, ...rest, lockedUntil: null });
    } else throw new Error(`no deliveries to write on a ${store.provider} store`);
  }
}
