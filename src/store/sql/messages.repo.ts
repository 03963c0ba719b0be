import { MAX_CHANGE_ATTEMPTS, type MessageChanger, type MessageQuery, type MessageRecord, type MessagesRepository } from '../store.js';
import type { SqlContext } from './executor.js';
import { type Fields, PreparedQuery } from './prepared.js';
import { messageFromRow, messageToRow } from './rows.js';
import type { MessagesTable } from './schema.js';

// Every message or receipt runs these: prepared (see PreparedQuery).
const INSERT = new PreparedQuery((ctx, row: Fields) =>
  ctx.db
    .insertInto('messages')
    .values(row as unknown as MessagesTable)
    .onConflict((oc) => oc.columns(['instance_id', 'message_id']).doNothing()),
);
const FIND_BY_MESSAGE_ID = new PreparedQuery((ctx, instanceId: string, messageId: string) =>
  ctx.db.selectFrom('messages').selectAll().where('instance_id', '=', instanceId).where('message_id', '=', messageId),
);
/** Writes a change only over the metadata it was computed from (compare and set). */
const CHANGE = new PreparedQuery((ctx, instanceId: string, messageId: string, seen: string, content: string | null, caption: string | null, metadata: string, at: number) =>
  ctx.db
    .updateTable('messages')
    .set({ content, caption, metadata, updated_at: at })
    .where('instance_id', '=', instanceId)
    .where('message_id', '=', messageId)
    .where('metadata', '=', seen)
    .returningAll(),
);
const UPDATE_STATUS = new PreparedQuery((ctx, instanceId: string, messageId: string, status: string, at: number) =>
  ctx.db
    .updateTable('messages')
    .set({ status, status_updated_at: at, updated_at: at })
    .where('instance_id', '=', instanceId)
    .where('message_id', '=', messageId)
    .returningAll(),
);
/** Every receipt: one template per length of `unless`. */
const ADVANCE_STATUS = new PreparedQuery((ctx, instanceId: string, messageId: string, status: string, unless: string[], at: number) =>
  ctx.db
    .updateTable('messages')
    .set({ status, status_updated_at: at, updated_at: at })
    .where('instance_id', '=', instanceId)
    .where('message_id', '=', messageId)
    .$if(unless.length > 0, (qb) => qb.where('status', 'not in', unless))
    .returningAll(),
);

export class SqlMessagesRepository implements MessagesRepository {
  constructor(private readonly ctx: SqlContext) {}

  async insert(message: MessageRecord): Promise<boolean> {
    const { affected } = await INSERT.execute(this.ctx, messageToRow(message) as unknown as Fields);
    return affected > 0;
  }

  async findByMessageId(instanceId: string, messageId: string): Promise<MessageRecord | undefined> {
    const { rows } = await FIND_BY_MESSAGE_ID.execute(this.ctx, instanceId, messageId);
    return rows.length > 0 ? messageFromRow(rows[0]) : undefined;
  }

  async findByMediaPath(instanceId: string, mediaPath: string): Promise<MessageRecord | undefined> {
    const row = await this.ctx.db
      .selectFrom('messages')
      .selectAll()
      .where('instance_id', '=', instanceId)
      .where('media_path', '=', mediaPath)
      .executeTakeFirst();
    return row && messageFromRow(row);
  }

  async listChat(query: MessageQuery): Promise<{ items: MessageRecord[]; total: number }> {
    let base = this.ctx.db.selectFrom('messages').where('instance_id', '=', query.instanceId).where('remote_jid', '=', query.remoteJid);
    if (query.from !== undefined) base = base.where('timestamp', '>=', query.from);
    if (query.to !== undefined) base = base.where('timestamp', '<=', query.to);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('timestamp', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.skip).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(messageFromRow), total: Number(count.n) };
  }

  async updateStatus(instanceId: string, messageId: string, status: string, at: number): Promise<MessageRecord | undefined> {
    const { rows } = await UPDATE_STATUS.execute(this.ctx, instanceId, messageId, status, at);
    return rows.length > 0 ? messageFromRow(rows[0]) : undefined;
  }

  async advanceStatus(instanceId: string, messageId: string, status: string, unless: readonly string[], at: number): Promise<MessageRecord | undefined> {
    const { rows } = await ADVANCE_STATUS.execute(this.ctx, instanceId, messageId, status, [...unless], at);
    return rows.length > 0 ? messageFromRow(rows[0]) : undefined;
  }

  async change(instanceId: string, messageId: string, changer: MessageChanger, at: number): Promise<MessageRecord | undefined> {
    for (let attempt = 0; attempt < MAX_CHANGE_ATTEMPTS; attempt++) {
      const { rows } = await FIND_BY_MESSAGE_ID.execute(this.ctx, instanceId, messageId);
      if (rows.length === 0) return undefined;
      const current = messageFromRow(rows[0]);
      const patch = changer(current);
      if (!patch) return current;
      const next = messageToRow({ ...current, ...patch });
      const { rows: written } = await CHANGE.execute(this.ctx, instanceId, messageId, rows[0].metadata, next.content, next.caption, next.metadata, at);
      if (written.length > 0) return messageFromRow(written[0]);
    }
    throw new Error(`message ${messageId} changed under every one of ${MAX_CHANGE_ATTEMPTS} attempts`);
  }

  async count(): Promise<number> {
    const row = await this.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
