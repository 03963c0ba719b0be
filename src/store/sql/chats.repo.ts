import { sql } from 'kysely';
import type { ChatMessage, ChatQuery, ChatRecord, ChatsRepository } from '../chats.js';
import { escapeLike, greatest, type SqlContext } from './executor.js';
import { PreparedQuery } from './prepared.js';

/**
 * Every stored message runs this: prepared (see PreparedQuery), one statement. A message older
 * than the chat's last one (a late delivery, history sync) still counts as unread but does not
 * replace the last message.
 */
const NOTE_MESSAGE = new PreparedQuery((ctx, instanceId: string, chatJid: string, messageId: string, at: number, unread: number, now: number) =>
  ctx.db
    .insertInto('chats')
    .values({
      instance_id: instanceId,
      chat_jid: chatJid,
      last_message_id: messageId,
      last_activity_at: at,
      unread_count: unread,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['instance_id', 'chat_jid']).doUpdateSet({
        last_message_id: sql<string>`case when excluded.last_activity_at >= chats.last_activity_at then excluded.last_message_id else chats.last_message_id end`,
        last_activity_at: greatest(ctx, sql`chats.last_activity_at`, sql`excluded.last_activity_at`),
        unread_count: sql<number>`chats.unread_count + excluded.unread_count`,
        updated_at: sql<number>`excluded.updated_at`,
      }),
    ),
);

interface ChatListRow {
  instance_id: string;
  chat_jid: string;
  last_activity_at: number | string;
  unread_count: number | string;
  message_id: string | null;
  message_type: string | null;
  content: string | null;
  caption: string | null;
  metadata: string | null;
  from_me: number | null;
  status: string | null;
  timestamp: number | string | null;
  contact_name: string | null;
  push_name: string | null;
  number: string | null;
}

function chatFromRow(r: ChatListRow): ChatRecord {
  return {
    instanceId: r.instance_id,
    chatJid: r.chat_jid,
    contactName: r.contact_name,
    pushName: r.push_name,
    number: r.number ?? r.chat_jid.split('@')[0],
    lastMessage:
      r.message_id === null
        ? null
        : {
            messageId: r.message_id,
            messageType: r.message_type ?? 'unknown',
            text: r.content ?? r.caption,
            fromMe: r.from_me === 1,
            status: r.status ?? 'unknown',
            timestamp: Number(r.timestamp),
            deleted: r.metadata !== null && (JSON.parse(r.metadata) as { deletedAt?: number }).deletedAt !== undefined,
          },
    lastActivityAt: Number(r.last_activity_at),
    unreadCount: Number(r.unread_count),
  };
}

export class SqlChatsRepository implements ChatsRepository {
  constructor(private readonly ctx: SqlContext) {}

  async noteMessage(message: ChatMessage, now: number): Promise<void> {
    await NOTE_MESSAGE.execute(this.ctx, message.instanceId, message.remoteJid, message.id, message.timestamp, message.fromMe ? 0 : 1, now);
  }

  /** The chats of an instance with their last message and contact: the list's one query. */
  private joined(instanceId: string) {
    return this.ctx.db
      .selectFrom('chats as c')
      .leftJoin('messages as m', (join) => join.onRef('m.id', '=', 'c.last_message_id'))
      .leftJoin('contacts as k', (join) => join.onRef('k.instance_id', '=', 'c.instance_id').onRef('k.remote_jid', '=', 'c.chat_jid'))
      .where('c.instance_id', '=', instanceId);
  }

  private readonly columns = [
    'c.instance_id',
    'c.chat_jid',
    'c.last_activity_at',
    'c.unread_count',
    'm.message_id',
    'm.message_type',
    'm.content',
    'm.caption',
    'm.metadata',
    'm.from_me',
    'm.status',
    'm.timestamp',
    'k.name as contact_name',
    'k.push_name',
    'k.number',
  ] as const;

  async find(instanceId: string, chatJid: string): Promise<ChatRecord | undefined> {
    const row = await this.joined(instanceId).where('c.chat_jid', '=', chatJid).select(this.columns).executeTakeFirst();
    return row && chatFromRow(row);
  }

  async list(query: ChatQuery): Promise<{ items: ChatRecord[]; total: number }> {
    let base = this.joined(query.instanceId);
    if (query.search) {
      const pattern = `%${escapeLike(query.search.toLowerCase())}%`;
      // SQLite has no default LIKE escape character, so `%` and `_` in a search would be wildcards.
      const like = (column: 'k.name' | 'k.push_name' | 'c.chat_jid') => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
      base = base.where((eb) => eb.or([like('k.name'), like('k.push_name'), like('c.chat_jid')]));
    }
    const [rows, count] = await Promise.all([
      base.select(this.columns).orderBy('c.last_activity_at', 'desc').orderBy('c.last_message_id', 'desc').limit(query.limit).offset(query.skip).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(chatFromRow), total: Number(count.n) };
  }

  async markRead(instanceId: string, chatJid: string, now: number): Promise<boolean> {
    const result = await this.ctx.db
      .updateTable('chats')
      .set({ unread_count: 0, updated_at: now })
      .where('instance_id', '=', instanceId)
      .where('chat_jid', '=', chatJid)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
