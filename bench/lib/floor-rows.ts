import { randomBytes, randomUUID } from 'node:crypto';
import type { ChatsTable, ContactsTable, EventsTable, MessagesTable, UsageDailyTable } from '../../src/store/sql/schema.js';

export type EventRow = Omit<EventsTable, 'seq' | 'webhook'>;
export type UsageRow = Pick<UsageDailyTable, 'instance_id' | 'user_id' | 'day' | 'messages_sent' | 'messages_received' | 'webhook_sent'>;

export interface Receipt {
  instance_id: string;
  message_id: string;
  status: 'sent' | 'delivered' | 'read';
  at: number;
}

/** What one group commit writes: one operation per instance, and receipts of earlier groups. */
export interface FloorGroup {
  messages: MessagesTable[];
  contacts: ContactsTable[];
  chats: ChatsTable[];
  events: EventRow[];
  receipts: Receipt[];
  usage: UsageRow[];
  /** Per instance, the event the webhook cursor moves to. */
  cursors: Array<{ instance_id: string; event_id: string; updated_at: number }>;
}

export type FloorKind = 'send' | 'inbound';

/** A column the floor writes, with its PostgreSQL type (for `unnest`); in the order of its table's rows below. */
export type Column = [name: string, type: string];

export const MESSAGE: Column[] = [
  ['id', 'text'], ['instance_id', 'text'], ['message_id', 'text'], ['remote_jid', 'text'], ['from_me', 'int'], ['sender_jid', 'text'],
  ['message_type', 'text'], ['content', 'text'], ['has_media', 'int'], ['media_url', 'text'], ['media_path', 'text'], ['media_size', 'bigint'],
  ['caption', 'text'], ['mime_type', 'text'], ['file_name', 'text'], ['status', 'text'], ['metadata', 'text'], ['timestamp', 'bigint'],
  ['created_at', 'bigint'], ['updated_at', 'bigint'], ['status_updated_at', 'bigint'],
];
export const CONTACT: Column[] = [
  ['id', 'text'], ['instance_id', 'text'], ['remote_jid', 'text'], ['number', 'text'], ['lid', 'text'], ['name', 'text'], ['push_name', 'text'],
  ['is_group', 'int'], ['profile_picture', 'text'], ['about', 'text'], ['last_activity', 'bigint'], ['created_at', 'bigint'], ['updated_at', 'bigint'],
];
export const CHAT: Column[] = [['instance_id', 'text'], ['chat_jid', 'text'], ['last_message_id', 'text'], ['last_activity_at', 'bigint'], ['unread_count', 'int'], ['created_at', 'bigint'], ['updated_at', 'bigint']];
export const EVENT: Column[] = [['id', 'text'], ['instance_id', 'text'], ['type', 'text'], ['data', 'text'], ['ts', 'bigint']];
export const RECEIPT: Column[] = [['instance_id', 'text'], ['message_id', 'text'], ['status', 'text'], ['at', 'bigint']];
export const USAGE: Column[] = [['instance_id', 'text'], ['user_id', 'text'], ['day', 'text'], ['messages_sent', 'bigint'], ['messages_received', 'bigint'], ['webhook_sent', 'bigint']];
export const CURSOR: Column[] = [['instance_id', 'text'], ['event_id', 'text'], ['updated_at', 'bigint']];

const DAY = new Date().toISOString().slice(0, 10);

function messageId(): string {
  return randomBytes(10).toString('hex').toUpperCase();
}

function jid(instance: number, n: number): string {
  return `7900${String(instance).padStart(2, '0')}${String(n % 100_000).padStart(5, '0')}@s.whatsapp.net`;
}

/**
 * The rows one operation must store, as the gateway stores them (same tables, same columns, same
 * kind of payloads), for the raw storage floor. Typed against the store's schema, so a schema
 * change breaks this file rather than the comparison.
 *
 * - a send: its message row, its contact and chat, its `message_sent` event, its usage count;
 *   then three receipts (ack, delivered, read), each a status update and its `message_status`
 *   event, arriving in later groups as the simulator's receipts do (1, 5 and 10 ms later).
 * - an inbound message: its message row, contact and chat, its `message_received` event, its
 *   usage counts (received, and the webhook sent), and the instance's webhook cursor moved past it
 *   (the event log as the outbox: no row per delivery).
 *
 * Not stored here, because they are the gateway's bookkeeping rather than what an operation must
 * keep: the instance's `last_event_ts` reservation, delivery rows, leases and outcomes.
 *
 * A group holds one operation per instance (as benchmarks 2 and 3 drive instances in parallel
 * lanes), each to a new chat.
 */
export class FloorRows {
  private n = 0;
  /** Sends whose receipts are still to come, by how many groups ago they were written. */
  private readonly pending: Array<Array<{ instance_id: string; message_id: string }>> = [];

  constructor(
    readonly kind: FloorKind,
    readonly instanceIds: string[],
  ) {}

  next(now: number): FloorGroup {
    const group: FloorGroup = { messages: [], contacts: [], chats: [], events: [], receipts: [], usage: [], cursors: [] };
    const sent: Array<{ instance_id: string; message_id: string }> = [];
    const n = this.n++;
    this.instanceIds.forEach((instanceId, i) => {
      const fromMe = this.kind === 'send';
      const chat = jid(i, n);
      const id = messageId();
      group.messages.push({
        id: randomUUID(),
        instance_id: instanceId,
        message_id: id,
        remote_jid: chat,
        from_me: fromMe ? 1 : 0,
        sender_jid: fromMe ? null : chat,
        message_type: 'text',
        content: `benchmark message ${n}`,
        has_media: 0,
        media_url: null,
        media_path: null,
        media_size: null,
        caption: null,
        mime_type: null,
        file_name: null,
        status: fromMe ? 'pending' : 'received',
        metadata: JSON.stringify(fromMe ? {} : { pushName: 'Bench', timestamp: Math.floor(now / 1000) }),
        timestamp: now,
        created_at: now,
        updated_at: now,
        status_updated_at: fromMe ? now : null,
      });
      group.contacts.push({
        id: randomUUID(),
        instance_id: instanceId,
        remote_jid: chat,
        number: chat.split('@')[0],
        lid: null,
        name: null,
        push_name: fromMe ? null : 'Bench',
        is_group: 0,
        profile_picture: null,
        about: null,
        last_activity: now,
        created_at: now,
        updated_at: now,
      });
      group.chats.push({ instance_id: instanceId, chat_jid: chat, last_message_id: id, last_activity_at: now, unread_count: fromMe ? 0 : 1, created_at: now, updated_at: now });
      const type = fromMe ? 'message_sent' : 'message_received';
      const eventId = randomUUID();
      group.events.push({
        id: eventId,
        instance_id: instanceId,
        type,
        data: JSON.stringify({ instanceId, messageId: id, [fromMe ? 'to' : 'from']: chat, body: `benchmark message ${n}`, type: 'text', timestamp: Math.floor(now / 1000), hasMedia: false, pushName: fromMe ? undefined : 'Bench', status: fromMe ? 'pending' : undefined }),
        ts: now,
      });
      group.usage.push({ instance_id: instanceId, user_id: 'floor-user', day: DAY, messages_sent: fromMe ? 1 : 0, messages_received: fromMe ? 0 : 1, webhook_sent: fromMe ? 0 : 1 });
      if (fromMe) sent.push({ instance_id: instanceId, message_id: id });
      else group.cursors.push({ instance_id: instanceId, event_id: eventId, updated_at: now });
    });
    if (this.kind === 'send') {
      this.pending.unshift(sent);
      const statuses = ['sent', 'delivered', 'read'] as const;
      statuses.forEach((status, lag) => {
        for (const m of this.pending[lag + 1] ?? []) {
          group.receipts.push({ ...m, status, at: now });
          group.events.push({ id: randomUUID(), instance_id: m.instance_id, type: 'message_status', data: JSON.stringify({ instanceId: m.instance_id, messageId: m.message_id, status, timestamp: Math.floor(now / 1000) }), ts: now });
        }
      });
      this.pending.length = Math.min(this.pending.length, statuses.length + 1);
    }
    return group;
  }
}
