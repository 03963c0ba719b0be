import { type Kysely, type Migration, sql } from 'kysely';

export const WEBHOOK_CURSORS_MIGRATION = '0012_webhook_cursors';

/**
 * The event log becomes the webhook outbox: an event the webhook wants is flagged in its own
 * insert, a cursor per instance marks the last one delivered or given up on, and
 * `webhook_deliveries` keeps a row only for what needs one (a retry pending, failed, skipped,
 * requeued, or delivered after a failure). Existing deliveries carry over: every event that had a
 * delivery is flagged; the cursor stops at the newest event already settled (or just before the
 * oldest pending one when none is); pending rows after it that were never tried are dropped, the
 * log carries them; every other row stays as it was, so the lists answer as before.
 */
export const webhookCursorsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('events').addColumn('webhook', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('webhook_deliveries').addColumn('event_ts', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    await sql`update webhook_deliveries set event_ts = coalesce((select e.ts from events e where e.id = webhook_deliveries.event_id), 0), locked_until = null`.execute(db);
    await sql`update events set webhook = 1 where id in (select event_id from webhook_deliveries)`.execute(db);
    await db.schema
      .createIndex('events_webhook')
      .on('events')
      .columns(['instance_id', 'ts'])
      .where(sql.ref('webhook'), '=', sql.lit(1))
      .execute();

    await db.schema
      .createTable('webhook_cursors')
      .addColumn('instance_id', 'text', (c) => c.primaryKey())
      .addColumn('ts', 'bigint', (c) => c.notNull())
      .addColumn('locked_until', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('webhook_ranges')
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('to_ts', 'bigint', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addPrimaryKeyConstraint('webhook_ranges_pk', ['instance_id', 'to_ts'])
      .execute();

    await sql`
      insert into webhook_cursors (instance_id, ts, locked_until, updated_at)
      select instance_id, coalesce(max(case when status <> 'pending' then event_ts end), min(event_ts) - 1), null, max(updated_at)
      from webhook_deliveries group by instance_id`.execute(db);
    await sql`
      delete from webhook_deliveries
      where status = 'pending' and attempts = 0
        and event_ts > (select c.ts from webhook_cursors c where c.instance_id = webhook_deliveries.instance_id)`.execute(db);
    // Leases live on the cursor now.
    await db.schema.dropIndex('deliveries_leases').execute();
  },
};
