import { sql } from 'kysely';
import { SqlStore } from '../../src/store/sql/sql-store.js';
import type { Store } from '../../src/store/store.js';
import { forgetGroups } from './old-groups.js';

/**
 * Takes an SQL database back to before contacts kept their LID: no `lid` column, its migration
 * not run. MongoDB needs no migration for it (an absent field reads as null).
 */
export async function forgetContactLids(store: Store): Promise<void> {
  if (!(store instanceof SqlStore)) return;
  // SQL migrations run in order: the later ones are undone too.
  await forgetGroups(store);
  await sql`alter table contacts drop column lid`.execute(store.db);
  await sql`delete from kysely_migration where name = '0010_contacts_lid'`.execute(store.db);
}
