import { sql } from 'kysely';
import { SqlStore } from '../../src/store/sql/sql-store.js';
import type { Store } from '../../src/store/store.js';

/**
 * Takes an SQL database back to before groups were kept: no `groups` table, its migration not
 * run. MongoDB needs no migration for it (the collection is made at start).
 */
export async function forgetGroups(store: Store): Promise<void> {
  if (!(store instanceof SqlStore)) return;
  await sql`drop table groups`.execute(store.db);
  await sql`delete from kysely_migration where name = '0011_groups'`.execute(store.db);
}
