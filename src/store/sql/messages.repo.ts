import type { MessageQuery, MessageRecord, MessagesRepository } from '../store.js';
import type { SqlContext } from './executor.js';
import { messageFromRow, messageToRow } from './rows.js';

export class SqlMessagesRepository implements MessagesRepository {
  constructor(private readonly ctx: SqlContext) {}

  async insert(message: MessageRecord): Promise<boolean> {
    const result = await this.ctx.db
      .insertInto('messages')
      .values(messageToRow(message))
      .onConflict((oc) => oc.columns(['instance_id', 'message_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async findByMessageId(instanceId: string, messageId: string): Promise<MessageRecord | undefined> {
    const row = await this.ctx.db
      .selectFrom('messages')
      .selectAll()
      .where('instance_id', '=', instanceId)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row && messageFromRow(row);
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
    const row = await this.ctx.db
      .updateTable('messages')
      .set({ status, status_updated_at: at, updated_at: at })
      .where('instance_id', '=', instanceId)
      .where('message_id', '=', messageId)
      .returningAll()
      .executeTakeFirst();
    return row && messageFromRow(row);
  }

  async count(): Promise<number> {
    const row = await this.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
