/** Groups the account is in: one row per (instance, group JID), refreshed from the engine. */

export interface StoredParticipant {
  jid: string;
  lid?: string;
  admin: 'admin' | 'superadmin' | null;
}

export interface GroupRecord {
  instanceId: string;
  groupJid: string;
  subject: string;
  description: string | null;
  owner: string | null;
  announce: boolean;
  restrict: boolean;
  ephemeralSeconds: number;
  /** The account is an admin (or the superadmin) of the group. */
  isAdmin: boolean;
  participants: StoredParticipant[];
  /** When WhatsApp says the group was created, epoch ms; null when it does not say. */
  groupCreatedAt: number | null;
  updatedAt: number;
}

export interface GroupQuery {
  instanceId: string;
  /** Case-insensitive substring of the subject or the group JID. */
  search?: string;
  limit: number;
  skip: number;
}

export interface GroupsRepository {
  /** Inserts the group or replaces what is stored of it. */
  upsert(group: GroupRecord): Promise<void>;
  /** Makes the instance's groups exactly these: a refresh, where groups we are no longer in go. */
  replaceAll(instanceId: string, groups: GroupRecord[]): Promise<void>;
  find(instanceId: string, groupJid: string): Promise<GroupRecord | undefined>;
  /** By subject, then JID. */
  list(query: GroupQuery): Promise<{ items: GroupRecord[]; total: number }>;
  /** False when the instance had no such group. */
  delete(instanceId: string, groupJid: string): Promise<boolean>;
}
