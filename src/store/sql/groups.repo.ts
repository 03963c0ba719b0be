import { sql } from 'kysely';
import type { GroupQuery, GroupRecord, GroupsRepository, StoredParticipant } from '../groups.js';
import { escapeLike, type SqlContext } from './executor.js';
import type { GroupsTable } from './schema.js';

function toRow(g: GroupRecord): GroupsTable {
  return {
    instance_id: g.instanceId,
    group_jid: g.groupJid,
    subject: g.subject,
    description: g.description,
    owner: g.owner,
    announce: g.announce ? 1 : 0,
    restrict: g.restrict ? 1 : 0,
    ephemeral_seconds: g.ephemeralSeconds,
    is_admin: g.isAdmin ? 1 : 0,
    participants: JSON.stringify(g.participants),
    group_created_at: g.groupCreatedAt,
    updated_at: g.updatedAt,
  };
}

function fromRow(r: GroupsTable): GroupRecord {
  return {
    instanceId: r.instance_id,
    groupJid: r.group_jid,
    subject: r.subject,
    description: r.description,
    owner: r.owner,
    announce: Number(r.announce) === 1,
    restrict: Number(r.restrict) === 1,
    ephemeralSeconds: Number(r.ephemeral_seconds),
    isAdmin: Number(r.is_admin) === 1,
    participants: JSON.parse(r.participants) as StoredParticipant[],
    groupCreatedAt: r.group_created_at === null ? null : Number(r.group_created_at),
    updatedAt: Number(r.updated_at),
  };
}

export class SqlGroupsRepository implements GroupsRepository {
  constructor(private readonly ctx: SqlContext) {}

  async upsert(group: GroupRecord): Promise<void> {
    const row = toRow(group);
    const { instance_id: _, group_jid: __, ...changes } = row;
    await this.ctx.db
      .insertInto('groups')
      .values(row)
      .onConflict((oc) => oc.columns(['instance_id', 'group_jid']).doUpdateSet(changes))
      .execute();
  }

  async replaceAll(instanceId: string, groups: GroupRecord[]): Promise<void> {
    const keep = groups.map((g) => g.groupJid);
    let gone = this.ctx.db.deleteFrom('groups').where('instance_id', '=', instanceId);
    if (keep.length > 0) gone = gone.where('group_jid', 'not in', keep);
    await gone.execute();
    for (const group of groups) await this.upsert(group);
  }

  async find(instanceId: string, groupJid: string): Promise<GroupRecord | undefined> {
    const row = await this.ctx.db.selectFrom('groups').selectAll().where('instance_id', '=', instanceId).where('group_jid', '=', groupJid).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(query: GroupQuery): Promise<{ items: GroupRecord[]; total: number }> {
    let base = this.ctx.db.selectFrom('groups').where('instance_id', '=', query.instanceId);
    if (query.search) {
      const pattern = `%${escapeLike(query.search.toLowerCase())}%`;
      const like = (column: 'subject' | 'group_jid') => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
      base = base.where((eb) => eb.or([like('subject'), like('group_jid')]));
    }
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('subject').orderBy('group_jid').limit(query.limit).offset(query.skip).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(fromRow), total: Number(count.n) };
  }

  async delete(instanceId: string, groupJid: string): Promise<boolean> {
    const result = await this.ctx.db.deleteFrom('groups').where('instance_id', '=', instanceId).where('group_jid', '=', groupJid).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
