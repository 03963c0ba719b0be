import type { ChatsRepository } from './chats.js';
import type { DeliveriesRepository } from './deliveries.js';
import type { GroupsRepository } from './groups.js';
import type { BulkTransfer } from './transfer.js';
import type { LimitsRepository, UsageRepository } from './usage.js';

/**
 * The storage port. Services depend on these interfaces only; `sql/` (SQLite, PostgreSQL) and
 * `mongo/` implement them and one contract suite (test/store) runs against each.
 *
 * Conventions, so every adapter agrees: ids are strings; times are epoch milliseconds;
 * structured values are plain objects; "not found" is `undefined`, never an exception.
 */

export type Role = 'admin' | 'user';

export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  role: Role;
  active: boolean;
  /** HMAC of the API key: the lookup index. */
  apiKeyIndex: string;
  /** The API key encrypted with the server key, so it can be shown to its owner. */
  apiKeyEnc: string;
  /**
   * Raised by every password change and reset; a JWT carries the version it was issued under and
   * stops working when it is no longer the user's.
   */
  tokenVersion: number;
  createdAt: number;
  updatedAt: number;
}

export interface UsersRepository {
  insert(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | undefined>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  findByApiKeyIndex(index: string): Promise<UserRecord | undefined>;
  list(page: Page): Promise<{ items: UserRecord[]; total: number }>;
  update(id: string, patch: Partial<Omit<UserRecord, 'id' | 'createdAt'>>): Promise<UserRecord | undefined>;
  delete(id: string): Promise<boolean>;
  count(): Promise<number>;
}

export type InstanceStatus =
  | 'created'
  | 'connecting'
  | 'qr'
  | 'connected'
  | 'disconnected'
  | 'reconnecting'
  | 'logged_out'
  | 'failed';

export interface InstanceRecord {
  id: string;
  userId: string;
  name: string;
  description: string | null;
  engine: string;
  status: InstanceStatus;
  /** The device is linked to a phone: restore it on boot without a new scan. */
  linked: boolean;
  phoneJid: string | null;
  webhookUrl: string | null;
  webhookEnabled: boolean;
  lastActivity: number | null;
  /** Timestamp of the newest event; event times are strictly increasing per instance. */
  lastEventTs: number;
  createdAt: number;
  updatedAt: number;
}

export interface InstancesRepository {
  insert(instance: InstanceRecord): Promise<void>;
  findById(id: string): Promise<InstanceRecord | undefined>;
  /** Every instance of a user, or of everyone when `userId` is undefined; oldest first. */
  list(userId?: string): Promise<InstanceRecord[]>;
  /** Instances whose device is linked (restored at boot). */
  listLinked(): Promise<InstanceRecord[]>;
  update(id: string, patch: Partial<Omit<InstanceRecord, 'id' | 'userId' | 'createdAt'>>): Promise<InstanceRecord | undefined>;
  /** Deletes the instance and everything that belongs to it. */
  delete(id: string): Promise<boolean>;
  countByUser(userId: string): Promise<number>;
  count(): Promise<number>;
  /**
   * Reserves the next event timestamp: max(now, last + 1), and returns the instance as updated
   * (its `lastEventTs` is the reserved time), so appending an event needs no second read. Inside
   * a transaction this also serializes concurrent event appends of one instance (row lock where
   * the database has one).
   */
  nextEventTs(id: string, now: number): Promise<InstanceRecord>;
}

export interface WebhookSettingsRecord {
  instanceId: string;
  notifyReceived: boolean;
  notifySent: boolean;
  notifyDelivery: boolean;
  notifyRead: boolean;
  maxRetries: number;
  retryInterval: number;
  /** Encrypted with the server key; null when no secret is set. */
  secretEnc: string | null;
  headers: Record<string, string>;
  /** The event names the webhook subscribes to; null: the notify flags decide. */
  events: string[] | null;
  updatedAt: number;
}

export interface WebhookSettingsRepository {
  upsert(settings: WebhookSettingsRecord): Promise<void>;
  find(instanceId: string): Promise<WebhookSettingsRecord | undefined>;
}

export interface AuthStateRepository {
  get(instanceId: string, type: string, ids: string[]): Promise<Record<string, string>>;
  set(instanceId: string, data: Record<string, Record<string, string | null>>): Promise<void>;
  clear(instanceId: string): Promise<void>;
}

export interface MessageRecord {
  id: string;
  instanceId: string;
  messageId: string;
  remoteJid: string;
  fromMe: boolean;
  senderJid: string | null;
  messageType: string;
  content: string | null;
  hasMedia: boolean;
  mediaUrl: string | null;
  /** Path of the stored file relative to the media dir. */
  mediaPath: string | null;
  mediaSize: number | null;
  caption: string | null;
  mimeType: string | null;
  fileName: string | null;
  status: string;
  metadata: Record<string, unknown>;
  /** Message time from WhatsApp, epoch ms. */
  timestamp: number;
  createdAt: number;
  updatedAt: number;
  statusUpdatedAt: number | null;
}

export interface MessageQuery {
  instanceId: string;
  remoteJid: string;
  from?: number;
  to?: number;
  limit: number;
  skip: number;
}

/** What a change may rewrite on a stored message: its text (and caption) and its metadata. */
export type MessagePatch = Pick<MessageRecord, 'content' | 'caption' | 'metadata'>;

/** MessagesRepository.change: the new fields from the row as it is, or undefined to leave it. */
export type MessageChanger = (message: MessageRecord) => MessagePatch | undefined;

/** Enough for any burst of reactions or votes on one message; more means a bug, not contention. */
export const MAX_CHANGE_ATTEMPTS = 50;

export interface MessagesRepository {
  /** Inserts, or ignores a message already stored under the same (instanceId, messageId). */
  insert(message: MessageRecord): Promise<boolean>;
  findByMessageId(instanceId: string, messageId: string): Promise<MessageRecord | undefined>;
  /** The message whose stored media file is `mediaPath` (relative to the media dir). */
  findByMediaPath(instanceId: string, mediaPath: string): Promise<MessageRecord | undefined>;
  /** Newest first. */
  listChat(query: MessageQuery): Promise<{ items: MessageRecord[]; total: number }>;
  /** Sets the status; the updated message, or undefined when there is none. */
  updateStatus(instanceId: string, messageId: string, status: string, at: number): Promise<MessageRecord | undefined>;
  /**
   * Sets the status unless the stored one is in `unless`, in one step: the updated message, or
   * undefined when the message is not there or its status is in `unless`.
   */
  advanceStatus(instanceId: string, messageId: string, status: string, unless: readonly string[], at: number): Promise<MessageRecord | undefined>;
  /**
   * Rewrites a message's content and metadata with `changer`, atomically with concurrent
   * changes of the same message: when another change landed between the read and the write,
   * `changer` runs again on the newer row (so two reactions at once both survive). Returns the
   * changed message, the message as it is when `changer` returns undefined, or undefined when
   * there is no such message.
   */
  change(instanceId: string, messageId: string, changer: MessageChanger, at: number): Promise<MessageRecord | undefined>;
  count(): Promise<number>;
}

export interface ContactRecord {
  id: string;
  instanceId: string;
  remoteJid: string;
  number: string;
  /** The contact's LID (`…@lid`) when WhatsApp addressed it by one; `remoteJid` is its phone JID when known. */
  lid: string | null;
  name: string | null;
  pushName: string | null;
  isGroup: boolean;
  profilePicture: string | null;
  about: string | null;
  lastActivity: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface ContactQuery {
  instanceId: string;
  search?: string;
  onlyGroups?: boolean;
  limit: number;
  skip: number;
}

export type ContactPatch = Partial<Pick<ContactRecord, 'name' | 'pushName' | 'isGroup' | 'profilePicture' | 'about' | 'lastActivity' | 'number' | 'lid'>>;

export interface ContactsRepository {
  /** Creates the contact or merges the given fields into it; fields left out are kept. */
  upsert(instanceId: string, remoteJid: string, patch: ContactPatch, now: number): Promise<ContactRecord>;
  find(instanceId: string, remoteJid: string): Promise<ContactRecord | undefined>;
  list(query: ContactQuery): Promise<{ items: ContactRecord[]; total: number }>;
}

export interface ActivityRecord {
  id: string;
  instanceId: string;
  action: string;
  details: Record<string, unknown>;
  createdAt: number;
}

export interface ActivityQuery {
  instanceId: string;
  actions?: string[];
  from?: number;
  to?: number;
  limit: number;
  skip: number;
}

export interface ActivityRepository {
  insert(entry: ActivityRecord): Promise<void>;
  /** Newest first. */
  list(query: ActivityQuery): Promise<{ items: ActivityRecord[]; total: number }>;
}

export interface EventRecord {
  /** Global order of appends; deliveries follow it per instance. */
  seq: number;
  /** Stable unique id, sent to webhook receivers for de-duplication. */
  id: string;
  instanceId: string;
  type: string;
  data: Record<string, unknown>;
  /** Event time, epoch ms, strictly increasing per instance. */
  ts: number;
  /** The instance's webhook wanted it when it was appended: it is in the webhook outbox. */
  webhook?: boolean;
}

export interface EventQuery {
  instanceId: string;
  /** Only events strictly after this time. */
  since?: number;
  types?: string[];
  limit: number;
}

export interface EventsRepository {
  /** Appends the event and returns its sequence number. */
  append(event: Omit<EventRecord, 'seq'>): Promise<number>;
  /** With `since`: the oldest events after it, ascending. Without: the newest `limit`, ascending. */
  list(query: EventQuery): Promise<{ items: EventRecord[]; hasMore: boolean }>;
  findById(id: string): Promise<EventRecord | undefined>;
  count(): Promise<number>;
}

export interface Page {
  limit: number;
  skip: number;
}

export interface Repositories {
  users: UsersRepository;
  instances: InstancesRepository;
  webhookSettings: WebhookSettingsRepository;
  authState: AuthStateRepository;
  messages: MessagesRepository;
  contacts: ContactsRepository;
  chats: ChatsRepository;
  groups: GroupsRepository;
  activity: ActivityRepository;
  events: EventsRepository;
  deliveries: DeliveriesRepository;
  usage: UsageRepository;
  limits: LimitsRepository;
}

/** One work's outcome in a transaction group. */
export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface Store extends Repositories {
  readonly provider: 'sqlite' | 'postgres' | 'mongodb';
  /**
   * Runs `work` in one transaction: every repository call on `tx` commits together or not at
   * all. Calls on the outer store during `work` are not part of it.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * Runs several independent works in one transaction (group commit), in order, each in its own
   * savepoint: a work that throws has only its own writes undone, and its error is its result.
   * A failed commit fails them all. Stores without savepoints run each as its own transaction.
   */
  transactionGroup(works: ReadonlyArray<(tx: Repositories) => Promise<unknown>>): Promise<Settled[]>;
  /** Whole-collection export and import, for the database switch (see transfer.ts). */
  readonly transfer: BulkTransfer;
  /** Cheap round trip for /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
