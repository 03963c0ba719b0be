import { sql } from 'kysely';
import { SqlStore } from '../../src/store/sql/sql-store.js';
import type { Store } from '../../src/store/store.js';
import { forgetWebhookCursors } from './old-deliveries.js';

/**
 * Takes an SQL database back to before groups were kept: no `groups` table, its migration not
 * run. MongoDB needs no migration for it (the collection is made at start).
 */
export async function forgetGroups(store: Store): Promise<void> {
  await forgetWebhookCursors(store);
  if (!(store instanceof SqlStore)) return;
  // SQL migrations run in order: the later ones are undone too.
  await sql`drop table groups`.execute(store.db);
  await sql`delete from kysely_migration where name = '0011_groups'`.execute(store.db);
}
