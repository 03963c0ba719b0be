import type { Generated } from 'kysely';

/**
 * Row types of the SQL schema. Portable on purpose: times are epoch milliseconds (BIGINT),
 * booleans are 0/1 integers and structured values are JSON text, so SQLite and PostgreSQL share
 * one set of repositories and a record moves between providers unchanged.
 */
export interface Database {
  users: UsersTable;
  instances: InstancesTable;
  webhook_settings: WebhookSettingsTable;
  auth_state: AuthStateTable;
  messages: MessagesTable;
  contacts: ContactsTable;
  chats: ChatsTable;
  groups: GroupsTable;
  activity_logs: ActivityLogsTable;
  events: EventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_cursors: WebhookCursorsTable;
  webhook_ranges: WebhookRangesTable;
  usage_daily: UsageDailyTable;
  limits: LimitsTable;
  limit_notices: LimitNoticesTable;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  first_name: string;
  last_name: string;
  role: string;
  active: number;
  api_key_index: string;
  api_key_enc: string;
  token_version: number;
  created_at: number;
  updated_at: number;
}

export interface InstancesTable {
  id: string;
  user_id: string;
  name: string;
  description: string | null;
  engine: string;
  status: string;
  linked: number;
  phone_jid: string | null;
  webhook_url: string | null;
  webhook_enabled: number;
  last_activity: number | null;
  last_event_ts: number;
  created_at: number;
  updated_at: number;
}

export interface WebhookSettingsTable {
  instance_id: string;
  notify_received: number;
  notify_sent: number;
  notify_delivery: number;
  notify_read: number;
  max_retries: number;
  retry_interval: number;
  secret_enc: string | null;
  headers: string;
  /** JSON array of event names, or null. */
  events: string | null;
  updated_at: number;
}

export interface AuthStateTable {
  instance_id: string;
  type: string;
  id: string;
  value: string;
}

export interface MessagesTable {
  id: string;
  instance_id: string;
  message_id: string;
  remote_jid: string;
  from_me: number;
  sender_jid: string | null;
  message_type: string;
  content: string | null;
  has_media: number;
  media_url: string | null;
  media_path: string | null;
  media_size: number | null;
  caption: string | null;
  mime_type: string | null;
  file_name: string | null;
  status: string;
  metadata: string;
  timestamp: number;
  created_at: number;
  updated_at: number;
  status_updated_at: number | null;
}

export interface ContactsTable {
  id: string;
  instance_id: string;
  remote_jid: string;
  number: string;
  lid: string | null;
  name: string | null;
  push_name: string | null;
  is_group: number;
  profile_picture: string | null;
  about: string | null;
  last_activity: number | null;
  created_at: number;
  updated_at: number;
}

export interface ChatsTable {
  instance_id: string;
  chat_jid: string;
  last_message_id: string;
  last_activity_at: number;
  unread_count: number;
  created_at: number;
  updated_at: number;
}

export interface ActivityLogsTable {
  id: string;
  instance_id: string;
  action: string;
  details: string;
  created_at: number;
}

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  instance_id: string;
  type: string;
  data: string;
  ts: number;
  /** 1 when the instance's webhook wanted the event when it was appended (see webhook_cursors). */
  webhook: Generated<number>;
}

export interface WebhookDeliveriesTable {
  id: string;
  instance_id: string;
  event_id: string;
  event_seq: number;
  event_ts: number;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: number | null;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

/** Per instance: the time of the last flagged event delivered or given up on, and the sender's lease. */
export interface WebhookCursorsTable {
  instance_id: string;
  ts: number;
  locked_until: number | null;
  updated_at: number;
}

/** A cursor advance past delivered events: those up to `to_ts` since the previous range. */
export interface WebhookRangesTable {
  instance_id: string;
  to_ts: number;
  at: number;
  status_code: number | null;
}

export interface UsageDailyTable {
  instance_id: string;
  user_id: string;
  day: string;
  messages_sent: number;
  messages_received: number;
  media_sent: number;
  media_received: number;
  total_media_size: number;
  api_calls: number;
  webhook_sent: number;
}

export interface LimitsTable {
  scope: string;
  scope_id: string;
  values: string;
  updated_at: number;
}

export interface LimitNoticesTable {
  scope_key: string;
  limit_name: string;
  window_start: number;
  created_at: number;
}

export interface GroupsTable {
  instance_id: string;
  group_jid: string;
  subject: string;
  description: string | null;
  owner: string | null;
  announce: number;
  restrict: number;
  ephemeral_seconds: number;
  is_admin: number;
  /** JSON array of {jid, lid?, admin}. */
  participants: string;
  group_created_at: number | null;
  updated_at: number;
}
