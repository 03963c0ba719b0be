import type { GroupChanges, GroupEvent, GroupMetadata } from '../engines/groups.js';
import type { GroupRecord, StoredParticipant } from '../store/groups.js';

/*
 * A group's way from the engine to the store: metadata becomes the stored row, and each group
 * event changes the row the way it changed the group, so the list stays right without asking
 * WhatsApp again.
 */

/** Whether we are among the admins; `own` is the account's phone JID (and LID when known). */
function adminAmong(participants: StoredParticipant[], own: string | null): boolean {
  return !!own && participants.some((p) => (p.jid === own || p.lid === own) && p.admin !== null);
}

export function groupRecord(instanceId: string, metadata: GroupMetadata, own: string | null, now: number): GroupRecord {
  const participants = metadata.participants.map((p): StoredParticipant => (p.lid ? { jid: p.jid, lid: p.lid, admin: p.admin } : { jid: p.jid, admin: p.admin }));
  return {
    instanceId,
    groupJid: metadata.id,
    subject: metadata.subject,
    description: metadata.description ?? null,
    owner: metadata.owner ?? null,
    announce: metadata.announce,
    restrict: metadata.restrict,
    ephemeralSeconds: metadata.ephemeralSeconds,
    isAdmin: adminAmong(participants, own),
    participants,
    groupCreatedAt: metadata.creation === undefined ? null : metadata.creation * 1000,
    updatedAt: now,
  };
}

/** The stored group as `event` left it; undefined when the event says we are out of it. */
export function applyGroupEvent(record: GroupRecord, event: Exclude<GroupEvent, { kind: 'joined' | 'left' }>, own: string | null, now: number): GroupRecord {
  if (event.kind === 'updated') return { ...applyChanges(record, event.changes), updatedAt: now };
  const named = new Set(event.participants);
  let participants = record.participants;
  if (event.action === 'add') {
    const known = new Set(participants.map((p) => p.jid));
    participants = [...participants, ...event.participants.filter((jid) => !known.has(jid)).map((jid): StoredParticipant => ({ jid, admin: null }))];
  } else if (event.action === 'remove') {
    participants = participants.filter((p) => !named.has(p.jid));
  } else {
    const admin = event.action === 'promote' ? 'admin' : null;
    participants = participants.map((p) => (named.has(p.jid) && p.admin !== 'superadmin' ? { ...p, admin } : p));
  }
  return { ...record, participants, isAdmin: adminAmong(participants, own), updatedAt: now };
}

function applyChanges(record: GroupRecord, changes: GroupChanges): GroupRecord {
  const next = { ...record };
  if (changes.subject !== undefined) next.subject = changes.subject;
  if (changes.description !== undefined) next.description = changes.description || null;
  if (changes.announce !== undefined) next.announce = changes.announce;
  if (changes.restrict !== undefined) next.restrict = changes.restrict;
  if (changes.ephemeralSeconds !== undefined) next.ephemeralSeconds = changes.ephemeralSeconds;
  return next;
}

/** What the event log and webhooks carry for a group event. */
export function groupEventPayload(event: GroupEvent): [type: 'group_joined' | 'group_left' | 'group_participants' | 'group_updated', data: Record<string, unknown>] {
  const by = event.by ?? null;
  switch (event.kind) {
    case 'joined':
      return ['group_joined', { groupId: event.group.id, subject: event.group.subject, by }];
    case 'left':
      return ['group_left', { groupId: event.groupId, by }];
    case 'participants':
      return ['group_participants', { groupId: event.groupId, action: event.action, participants: event.participants, by }];
    case 'updated':
      return ['group_updated', { groupId: event.groupId, changes: event.changes, by }];
  }
}
