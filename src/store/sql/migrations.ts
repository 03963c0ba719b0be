import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { WEBHOOK_CURSORS_MIGRATION, webhookCursorsMigration } from './webhook-cursors-migration.js';

export type SqlDialectName = 'sqlite' | 'postgres';

/** Renames the message status `server_ack` to `sent` in stored messages and events. */
export const STATUS_SENT_MIGRATION = '0007_message_status_sent';

/**
 * One set of versioned migrations for SQLite and PostgreSQL. Add a new entry for every change;
 * never edit one that has shipped. Column types are the portable subset (text, integer, bigint).
 */
function buildMigrations(dialect: SqlDialectName): Record<string, Migration> {
  return {
  '0001_core': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('first_name', 'text', (c) => c.notNull())
        .addColumn('last_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('api_key_index', 'text', (c) => c.notNull().unique())
        .addColumn('api_key_enc', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('instances')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('engine', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('linked', 'integer', (c) => c.notNull())
        .addColumn('phone_jid', 'text')
        .addColumn('webhook_url', 'text')
        .addColumn('webhook_enabled', 'integer', (c) => c.notNull())
        .addColumn('last_activity', 'bigint')
        .addColumn('last_event_ts', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('instances_user').on('instances').columns(['user_id', 'created_at']).execute();

      await db.schema
        .createTable('webhook_settings')
        .addColumn('instance_id', 'text', (c) => c.primaryKey())
        .addColumn('notify_received', 'integer', (c) => c.notNull())
        .addColumn('notify_sent', 'integer', (c) => c.notNull())
        .addColumn('notify_delivery', 'integer', (c) => c.notNull())
        .addColumn('notify_read', 'integer', (c) => c.notNull())
        .addColumn('max_retries', 'integer', (c) => c.notNull())
        .addColumn('retry_interval', 'bigint', (c) => c.notNull())
        .addColumn('secret_enc', 'text')
        .addColumn('headers', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('auth_state')
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('auth_state_pk', ['instance_id', 'type', 'id'])
        .execute();

      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('remote_jid', 'text', (c) => c.notNull())
        .addColumn('from_me', 'integer', (c) => c.notNull())
        .addColumn('sender_jid', 'text')
        .addColumn('message_type', 'text', (c) => c.notNull())
        .addColumn('content', 'text')
        .addColumn('has_media', 'integer', (c) => c.notNull())
        .addColumn('media_url', 'text')
        .addColumn('media_path', 'text')
        .addColumn('media_size', 'bigint')
        .addColumn('caption', 'text')
        .addColumn('mime_type', 'text')
        .addColumn('file_name', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('status_updated_at', 'bigint')
        .execute();
      await db.schema.createIndex('messages_instance_message').unique().on('messages').columns(['instance_id', 'message_id']).execute();
      await db.schema.createIndex('messages_chat').on('messages').columns(['instance_id', 'remote_jid', 'timestamp', 'id']).execute();

      await db.schema
        .createTable('contacts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('remote_jid', 'text', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('push_name', 'text')
        .addColumn('is_group', 'integer', (c) => c.notNull())
        .addColumn('profile_picture', 'text')
        .addColumn('about', 'text')
        .addColumn('last_activity', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('contacts_instance_jid').unique().on('contacts').columns(['instance_id', 'remote_jid']).execute();

      await db.schema
        .createTable('activity_logs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('activity_instance_time').on('activity_logs').columns(['instance_id', 'created_at']).execute();

      await db.schema
        .createTable('events')
        .addColumn('seq', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
        )
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_instance_ts').on('events').columns(['instance_id', 'ts']).execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_seq', 'bigint', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('last_attempt_at', 'bigint')
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('deliveries_queue').on('webhook_deliveries').columns(['status', 'instance_id', 'event_seq']).execute();
      await db.schema.createIndex('deliveries_instance').on('webhook_deliveries').columns(['instance_id', 'event_seq']).execute();

      await db.schema
        .createTable('usage_daily')
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('messages_sent', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('messages_received', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('media_sent', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('media_received', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('total_media_size', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('api_calls', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('webhook_sent', 'bigint', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('usage_daily_pk', ['instance_id', 'day'])
        .execute();
      await db.schema.createIndex('usage_user_day').on('usage_daily').columns(['user_id', 'day']).execute();

      await db.schema
        .createTable('limits')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('scope_id', 'text', (c) => c.notNull())
        .addColumn('values', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('limits_pk', ['scope', 'scope_id'])
        .execute();

      await db.schema
        .createTable('limit_notices')
        .addColumn('scope_key', 'text', (c) => c.notNull())
        .addColumn('limit_name', 'text', (c) => c.notNull())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('limit_notices_pk', ['scope_key', 'limit_name', 'window_start'])
        .execute();
    },
  },
  '0002_messages_media_path': {
    // The media route finds a file's message (type, original name) by its stored path.
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('messages_media_path').on('messages').columns(['instance_id', 'media_path']).execute();
    },
  },
  '0003_webhook_leases': {
    // A lease instead of an in-memory "busy" flag: a crashed worker's claim simply expires.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('webhook_deliveries').addColumn('locked_until', 'bigint').execute();
      await db.schema.createIndex('deliveries_event').on('webhook_deliveries').column('event_id').execute();
    },
  },
  '0004_webhook_lease_index': {
    // The claim asks each queued instance for its latest lease: a seek, not a read of its queue.
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('deliveries_leases').on('webhook_deliveries').columns(['status', 'instance_id', 'locked_until']).execute();
    },
  },
  '0005_partial_indexes': {
    // Only what the queries look for: the queue reads pending deliveries only, and only media
    // messages have a path. Every write to an index is a page in the WAL: delivered rows leaving
    // the queue indexes and text messages staying out of the media index took a quarter of the
    // bytes an inbound message writes (bench/).
    async up(db: Kysely<unknown>) {
      const pending = [sql.ref('status'), '=', sql.lit('pending')] as const;
      await db.schema.dropIndex('deliveries_queue').execute();
      await db.schema.createIndex('deliveries_queue').on('webhook_deliveries').columns(['instance_id', 'event_seq']).where(...pending).execute();
      await db.schema.dropIndex('deliveries_leases').execute();
      await db.schema.createIndex('deliveries_leases').on('webhook_deliveries').columns(['instance_id', 'locked_until']).where(...pending).execute();
      await db.schema.dropIndex('messages_media_path').execute();
      await db.schema
        .createIndex('messages_media_path')
        .on('messages')
        .columns(['instance_id', 'media_path'])
        .where(sql.ref('media_path'), 'is not', null)
        .execute();
    },
  },
  '0006_users_token_version': {
    // A password change or reset ends every JWT issued before it (tokens carry this number).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
  [STATUS_SENT_MIGRATION]: {
    // WhatsApp's server accepting a message was stored and emitted as `server_ack`; it is `sent`
    // now, the specification's name. Events keep their payload as JSON text, which JSON.stringify
    // wrote without spaces; a `"status":"server_ack"` inside a string value would be escaped
    // (`\"status\":…`), so only the real field matches. Pending webhook deliveries read their
    // event's payload when they go out, so they send `sent` too.
    async up(db: Kysely<unknown>) {
      await sql`update messages set status = 'sent' where status = 'server_ack'`.execute(db);
      await sql`update events set data = replace(data, '"status":"server_ack"', '"status":"sent"') where data like '%"status":"server_ack"%'`.execute(db);
    },
  },
  '0008_chats': {
    // The conversation list: one row per chat, kept with every message insert. Chats of the
    // messages already stored start read (unread 0); their last message is the newest in history
    // order (timestamp, then id).
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('chats')
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('chat_jid', 'text', (c) => c.notNull())
        .addColumn('last_message_id', 'text', (c) => c.notNull())
        .addColumn('last_activity_at', 'bigint', (c) => c.notNull())
        .addColumn('unread_count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('chats_pk', ['instance_id', 'chat_jid'])
        .execute();
      await db.schema.createIndex('chats_activity').on('chats').columns(['instance_id', 'last_activity_at', 'last_message_id']).execute();
      await sql`
        insert into chats (instance_id, chat_jid, last_message_id, last_activity_at, unread_count, created_at, updated_at)
        select m.instance_id, m.remote_jid, m.id, m.timestamp, 0, m.created_at, m.updated_at
        from messages m
        where m.id = (
          select n.id from messages n
          where n.instance_id = m.instance_id and n.remote_jid = m.remote_jid
          order by n.timestamp desc, n.id desc
          limit 1
        )`.execute(db);
    },
  },
  '0009_webhook_events': {
    // The event names a webhook subscribes to (JSON array); null leaves it to the notify flags.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('webhook_settings').addColumn('events', 'text').execute();
    },
  },
  '0010_contacts_lid': {
    // The LID (…@lid) WhatsApp addresses a contact by, beside its phone-number JID.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('contacts').addColumn('lid', 'text').execute();
    },
  },
  '0011_groups': {
    // The groups the account is in, refreshed from WhatsApp; members are a JSON array because
    // they are always read and written with their group.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('groups')
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('group_jid', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('owner', 'text')
        .addColumn('announce', 'integer', (c) => c.notNull())
        .addColumn('restrict', 'integer', (c) => c.notNull())
        .addColumn('ephemeral_seconds', 'integer', (c) => c.notNull())
        .addColumn('is_admin', 'integer', (c) => c.notNull())
        .addColumn('participants', 'text', (c) => c.notNull())
        .addColumn('group_created_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('groups_pk', ['instance_id', 'group_jid'])
        .execute();
    },
  },
  [WEBHOOK_CURSORS_MIGRATION]: webhookCursorsMigration,
  };
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: SqlDialectName) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return buildMigrations(this.dialect);
  }
}

export async function migrateToLatest(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  // Kysely looks for its bookkeeping tables in every schema unless told which: with another
  // schema holding them (a second deployment, a test run) it would skip creating ours.
  const migrationTableSchema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, provider: new StaticProvider(dialect), migrationTableSchema });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (!error && !failed) return;
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    // Kysely's PostgreSQL introspection reads every schema's tables and columns by name before it
    // takes its lock; a schema, table or column dropped elsewhere at that moment fails the read
    // ("… does not exist"). No migration ran (none failed): read again.
    if (!failed && attempt < 5 && / does not exist$/.test(reason)) continue;
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
}
