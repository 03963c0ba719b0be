/**
 * The group half of the engine port: what the services need to manage WhatsApp groups, and the
 * normalized events an engine reports when a group changes. Every JID here is normalized: groups
 * are `<id>@g.us`, members `<digits>@s.whatsapp.net` (or `@lid` when the engine knows no phone).
 */

import { type GroupRefusal, RefusalError } from './refusal.js';

/** A member's rank: WhatsApp's creator of the group is the `superadmin`. */
export type GroupAdmin = 'admin' | 'superadmin' | null;

export interface GroupParticipant {
  jid: string;
  /** The member's LID, when the engine knows it. */
  lid?: string;
  admin: GroupAdmin;
}

/** What can be changed about a group, each change on its own. */
export interface GroupSettings {
  subject?: string;
  /** `""` clears it. */
  description?: string;
  /** Only admins send messages. */
  announce?: boolean;
  /** Only admins edit the group's info and settings. */
  restrict?: boolean;
  /** Disappearing messages: 0 turns them off. */
  ephemeralSeconds?: number;
}

export interface GroupMetadata {
  /** The group JID. */
  id: string;
  subject: string;
  description?: string;
  /** Who created it, when WhatsApp says. */
  owner?: string;
  /** Creation time, unix seconds, when WhatsApp says. */
  creation?: number;
  announce: boolean;
  restrict: boolean;
  ephemeralSeconds: number;
  participants: GroupParticipant[];
}

/** What a group invite link shows before joining. */
export interface GroupInvitePreview {
  id: string;
  subject: string;
  description?: string;
  size: number;
}

export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote';

/**
 * How one participant change went. `privacy`: the person accepts group invites only, so they were
 * not added; an invite link is what reaches them.
 */
export type ParticipantStatus = 'ok' | 'not_on_whatsapp' | 'privacy' | 'not_in_group' | 'already_in_group' | 'error';

export interface ParticipantResult {
  jid: string;
  status: ParticipantStatus;
}

/** A group picture to set: JPEG or PNG bytes. */
export interface GroupPicture {
  data: Buffer;
  mimeType: string;
}

/** What changed in a group's info or settings (a picture change has no value to report). */
export interface GroupChanges extends GroupSettings {
  picture?: boolean;
}

/** Something that happened to a group; `by` is who did it, when the engine knows. */
export type GroupEvent =
  /** We created the group, were added, or joined by invite. */
  | { kind: 'joined'; group: GroupMetadata; by?: string }
  /** We left or were removed. */
  | { kind: 'left'; groupId: string; by?: string }
  /** Other members were added, removed, promoted or demoted. */
  | { kind: 'participants'; groupId: string; action: ParticipantAction; participants: string[]; by?: string }
  | { kind: 'updated'; groupId: string; changes: GroupChanges; by?: string };

export type { GroupRefusal };

/** A group operation refused for one of a group's reasons. */
export class GroupError extends RefusalError {
  declare readonly reason: GroupRefusal;

  constructor(reason: GroupRefusal, message: string) {
    super(reason, message);
    this.name = 'GroupError';
  }
}

/**
 * Group operations of a connected session. Each rejects when the session is not connected, and
 * with a `GroupError` when WhatsApp refuses for one of its reasons. Changes we make are also
 * reported as `group` events, as WhatsApp notifies every member, us included.
 */
export interface GroupOperations {
  /** Every group the account is a member of, with its members. */
  list(): Promise<GroupMetadata[]>;
  /** Creates a group with us as its superadmin; the result per participant says who got in. */
  create(subject: string, participants: string[]): Promise<{ group: GroupMetadata; results: ParticipantResult[] }>;
  metadata(groupId: string): Promise<GroupMetadata>;
  /** Applies each given change; WhatsApp takes them one at a time. */
  update(groupId: string, changes: GroupSettings): Promise<void>;
  setPicture(groupId: string, picture: GroupPicture): Promise<void>;
  participants(groupId: string, action: ParticipantAction, jids: string[]): Promise<ParticipantResult[]>;
  /** The current invite code (the part after `https://chat.whatsapp.com/`). */
  inviteCode(groupId: string): Promise<string>;
  /** Makes the old code stop working and returns the new one. */
  revokeInvite(groupId: string): Promise<string>;
  /** What a code invites to, without joining. */
  invitePreview(code: string): Promise<GroupInvitePreview>;
  /** Joins by invite code; returns the group JID. */
  join(code: string): Promise<string>;
  leave(groupId: string): Promise<void>;
}
