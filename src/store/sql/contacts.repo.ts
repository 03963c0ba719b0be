import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { ContactPatch, ContactQuery, ContactRecord, ContactsRepository } from '../store.js';
import { escapeLike, type SqlContext } from './executor.js';
import { type Fields, PreparedQuery } from './prepared.js';
import { contactFromRow, toColumns } from './rows.js';
import type { ContactsTable } from './schema.js';

/**
 * Every message upserts its contact: prepared, one template per set of patched columns. The
 * conflict branch keeps the stored row's id: RETURNING gives the merged row in one statement.
 */
const UPSERT = new PreparedQuery((ctx, row: Fields, changes: Fields) =>
  ctx.db
    .insertInto('contacts')
    .values(row as unknown as ContactsTable)
    .onConflict((oc) => oc.columns(['instance_id', 'remote_jid']).doUpdateSet(changes))
    .returningAll(),
);

export class SqlContactsRepository implements ContactsRepository {
  constructor(private readonly ctx: SqlContext) {}

  async upsert(instanceId: string, remoteJid: string, patch: ContactPatch, now: number): Promise<ContactRecord> {
    const number = patch.number ?? remoteJid.split('@')[0];
    const row: Fields = {
      id: randomUUID(),
      instance_id: instanceId,
      remote_jid: remoteJid,
      number,
      lid: patch.lid ?? null,
      name: patch.name ?? null,
      push_name: patch.pushName ?? null,
      is_group: (patch.isGroup ?? remoteJid.endsWith('@g.us')) ? 1 : 0,
      profile_picture: patch.profilePicture ?? null,
      about: patch.about ?? null,
      last_activity: patch.lastActivity ?? null,
      created_at: now,
      updated_at: now,
    };
    const { rows } = await UPSERT.execute(this.ctx, row, { ...toColumns(patch), updated_at: now });
    return contactFromRow(rows[0]);
  }

  async find(instanceId: string, remoteJid: string): Promise<ContactRecord | undefined> {
    const row = await this.ctx.db
      .selectFrom('contacts')
      .selectAll()
      .where('instance_id', '=', instanceId)
      .where('remote_jid', '=', remoteJid)
      .executeTakeFirst();
    return row && contactFromRow(row);
  }

  async list(query: ContactQuery): Promise<{ items: ContactRecord[]; total: number }> {
    let base = this.ctx.db.selectFrom('contacts').where('instance_id', '=', query.instanceId);
    if (query.onlyGroups) base = base.where('is_group', '=', 1);
    if (query.search) {
      const pattern = `%${escapeLike(query.search.toLowerCase())}%`;
      // SQLite has no default LIKE escape character, so `%` and `_` in a search would be wildcards.
      const like = (column: 'name' | 'push_name' | 'number') => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
      base = base.where((eb) => eb.or([like('name'), like('push_name'), like('number')]));
    }
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('name', 'asc').orderBy('remote_jid', 'asc').limit(query.limit).offset(query.skip).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(contactFromRow), total: Number(count.n) };
  }
}
