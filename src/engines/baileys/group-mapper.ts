import { proto, type BaileysEventMap, type GroupMetadata as BaileysGroup, type GroupParticipant as BaileysParticipant, type WAMessage } from 'baileys';
import type { GroupChanges, GroupEvent, GroupMetadata, GroupParticipant, ParticipantAction, ParticipantResult } from '../groups.js';
import { preferPhoneJid } from './jid.js';

type ParticipantsUpdate = BaileysEventMap['group-participants.update'];

/** A member as the services key them: by phone JID when Baileys knows it, with the LID beside it. */
export function mapParticipant(p: Pick<BaileysParticipant, 'id' | 'phoneNumber' | 'lid' | 'admin'>): GroupParticipant {
  const jid = preferPhoneJid(p.id, p.phoneNumber);
  const lid = p.lid ?? (p.id.endsWith('@lid') ? p.id : undefined);
  const participant: GroupParticipant = { jid, admin: p.admin ?? null };
  if (lid && lid !== jid) participant.lid = lid;
  return participant;
}

export function mapGroupMetadata(g: BaileysGroup): GroupMetadata {
  const metadata: GroupMetadata = {
    id: g.id,
    subject: g.subject,
    announce: !!g.announce,
    restrict: !!g.restrict,
    ephemeralSeconds: g.ephemeralDuration ?? 0,
    participants: g.participants.map(mapParticipant),
  };
  if (g.desc) metadata.description = g.desc;
  const owner = g.owner || g.ownerPn ? preferPhoneJid(g.owner, g.ownerPn) : undefined;
  if (owner) metadata.owner = owner;
  if (g.creation) metadata.creation = g.creation;
  return metadata;
}

/** Who acted, by phone JID when Baileys knows it. */
function actor(author: string | undefined, authorPn: string | undefined): string | undefined {
  return author || authorPn ? preferPhoneJid(author, authorPn) || undefined : undefined;
}

function isOwn(p: GroupParticipant, ownJid: string | undefined, ownLid: string | undefined): boolean {
  return (!!ownJid && p.jid === ownJid) || (!!ownLid && (p.jid === ownLid || p.lid === ownLid));
}

/**
 * A `w:gp2` participants notification. Our own removal is `left`; our own add is `joined`, whose
 * metadata the caller fetches (`joinedGroupId`); the rest is a `participants` event.
 */
export function mapParticipantsUpdate(
  update: ParticipantsUpdate,
  own: { jid?: string; lid?: string },
): { event?: GroupEvent; joinedGroupId?: string } {
  if (update.action === 'modify') return {};
  const by = actor(update.author, update.authorPn);
  const participants = update.participants.map(mapParticipant);
  const ours = participants.some((p) => isOwn(p, own.jid, own.lid));
  if (ours && update.action === 'remove') return { event: withBy({ kind: 'left', groupId: update.id }, by) };
  if (ours && update.action === 'add') return { joinedGroupId: update.id };
  const action: ParticipantAction = update.action;
  return { event: withBy({ kind: 'participants', groupId: update.id, action, participants: participants.map((p) => p.jid) }, by) };
}

const { StubType } = proto.WebMessageInfo;
const on = (param: string | undefined) => param === 'on' || param === 'true';

/**
 * A `w:gp2` info or settings notification (or a group's `picture` notification) as Baileys
 * upserts it: a stub message in the group, or for disappearing messages an EPHEMERAL_SETTING
 * protocol message. Read from these rather than from `groups.update`, whose event buffer keeps
 * only the first update of a group per batch.
 */
export function mapGroupNotification(msg: WAMessage): Extract<GroupEvent, { kind: 'updated' }> | undefined {
  const groupId = msg.key.remoteJid;
  if (!groupId?.endsWith('@g.us')) return undefined;
  const [param] = msg.messageStubParameters ?? [];
  const changes: GroupChanges = {};
  const protocol = msg.message?.protocolMessage;
  if (msg.messageStubType === StubType.GROUP_CHANGE_SUBJECT) changes.subject = param ?? '';
  else if (msg.messageStubType === StubType.GROUP_CHANGE_DESCRIPTION) changes.description = param ?? '';
  else if (msg.messageStubType === StubType.GROUP_CHANGE_ANNOUNCE) changes.announce = on(param);
  else if (msg.messageStubType === StubType.GROUP_CHANGE_RESTRICT) changes.restrict = on(param);
  else if (msg.messageStubType === StubType.GROUP_CHANGE_ICON) changes.picture = true;
  else if (protocol?.type === proto.Message.ProtocolMessage.Type.EPHEMERAL_SETTING) changes.ephemeralSeconds = protocol.ephemeralExpiration ?? 0;
  else return undefined;
  return withBy({ kind: 'updated', groupId, changes }, actor(msg.key.participant ?? undefined, msg.key.participantAlt ?? undefined));
}

/** A group created by us or that we were put in, as `groups.upsert` reports it. */
export function mapGroupUpsert(group: BaileysGroup): GroupEvent {
  return withBy({ kind: 'joined', group: mapGroupMetadata(group) }, actor(group.author, group.authorPn));
}

/**
 * One participant's outcome of `groupParticipantsUpdate`, by the error code WhatsApp answered:
 * 403 the person accepts invites only, 409 already a member, 404 no such account (add) or
 * not a member (the other actions).
 */
export function mapParticipantResult(result: { status: string; jid: string | undefined }, action: ParticipantAction, asked: string): ParticipantResult {
  const jid = result.jid ? preferPhoneJid(result.jid, undefined) : asked;
  switch (result.status) {
    case '200':
      return { jid, status: 'ok' };
    case '403':
      return { jid, status: action === 'add' ? 'privacy' : 'error' };
    case '409':
      return { jid, status: 'already_in_group' };
    case '404':
      return { jid, status: action === 'add' ? 'not_on_whatsapp' : 'not_in_group' };
    default:
      return { jid, status: 'error' };
  }
}

function withBy<E extends GroupEvent>(event: E, by: string | undefined): E {
  return by ? { ...event, by } : event;
}
