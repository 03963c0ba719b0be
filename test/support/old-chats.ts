import { sql } from 'kysely';
import { CHATS_MIGRATION as MONGO_CHATS, MIGRATIONS } from '../../src/store/mongo/migrations.js';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { SqlStore } from '../../src/store/sql/sql-store.js';
import type { Store } from '../../src/store/store.js';
import { forgetWebhookEvents } from './old-webhook-settings.js';

/**
 * Takes the database back to before chats were kept: no chats, and their migration not run, so
 * the next open runs it (and makes chats of the stored messages).
 */
export async function forgetChats(store: Store): Promise<void> {
  if (store instanceof SqlStore) {
    // SQL migrations run in order: the later ones are undone too.
    await forgetWebhookEvents(store);
    await sql`drop table chats`.execute(store.db);
    await sql`delete from kysely_migration where name = '0008_chats'`.execute(store.db);
  } else if (store instanceof MongoStore) {
    await store.db.collection('chats').deleteMany({});
    await store.db.collection<{ _id: string }>(MIGRATIONS).deleteOne({ _id: MONGO_CHATS });
  } else throw new Error(`no migrations to undo on a ${store.provider} store`);
}
