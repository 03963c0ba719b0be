import { sql } from 'kysely';
import { SqlStore } from '../../src/store/sql/sql-store.js';
import type { Store } from '../../src/store/store.js';
import { forgetGroups } from './old-groups.js';

/**
 * Takes an SQL database back to before webhooks could subscribe to named events: no `events`
 * column, its migration not run. MongoDB needs no migration for it (absent reads as null).
 */
export async function forgetWebhookEvents(store: Store): Promise<void> {
  if (!(store instanceof SqlStore)) return;
  // SQL migrations run in order: the later ones are undone too.
  await forgetGroups(store);
  await sql`alter table webhook_settings drop column events`.execute(store.db);
  await sql`delete from kysely_migration where name = '0009_webhook_events'`.execute(store.db);
}
