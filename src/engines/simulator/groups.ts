import type { NormalizedMessage } from '../engine.js';
import {
  GroupError,
  type GroupEvent,
  type GroupInvitePreview,
  type GroupMetadata,
  type GroupOperations,
  type GroupPicture,
  type GroupSettings,
  type ParticipantAction,
  type ParticipantResult,
} from '../groups.js';
import { inviteCode, metadataOf, type SimulatedGroup } from './group-directory.js';
import type { NetworkPeer, SimulatorNetwork } from './network.js';
import { SimulatorStateError } from './options.js';
import { phoneDigits } from './wire-format.js';

/** Numbers ending in 0000 are not on WhatsApp (as for sends). */
const NOT_ON_WHATSAPP = /0000$/;
/**
 * Numbers ending in 7777 accept group invites only (WhatsApp's "who can add me to groups"
 * privacy setting): adding them answers `privacy`, and they join by invite link instead.
 */
export const INVITES_ONLY = /7777$/;

/** What a virtual member does in a group, through the simulator's control API. */
export type MemberAction =
  | { action: ParticipantAction; participants: string[] }
  | { action: 'update'; changes: GroupSettings }
  | { action: 'leave' };

/**
 * The groups side of a simulated device. Groups live in the network's directory, so every
 * session of the network sees the same ones; each change is told to every online member, this
 * device included, as WhatsApp's server notifies members.
 */
export class SimulatorGroups implements GroupOperations {
  constructor(
    private readonly network: SimulatorNetwork<NetworkPeer>,
    /** Our JID; throws when the session is not connected. */
    private readonly me: () => string,
  ) {}

  async list(): Promise<GroupMetadata[]> {
    const me = this.me();
    return this.network.groups.all().filter((g) => g.members.has(me)).map(metadataOf);
  }

  async create(subject: string, participants: string[]): Promise<{ group: GroupMetadata; results: ParticipantResult[] }> {
    const me = this.me();
    const results = participants.map((jid) => ({ jid, status: addStatus(jid, undefined) }));
    const group = this.network.groups.create(me, subject, results.filter((r) => r.status === 'ok' && r.jid !== me).map((r) => r.jid));
    this.notify(group, { kind: 'joined', group: metadataOf(group), by: me }, [...group.members.keys()]);
    return { group: metadataOf(group), results };
  }

  async metadata(groupId: string): Promise<GroupMetadata> {
    return metadataOf(this.memberOf(groupId));
  }

  async update(groupId: string, changes: GroupSettings): Promise<void> {
    const me = this.me();
    const group = this.memberOf(groupId);
    const settings = changes.announce !== undefined || changes.restrict !== undefined || changes.ephemeralSeconds !== undefined;
    if ((settings || group.restrict) && !group.members.get(me)) {
      throw new GroupError('not_admin', settings ? 'Only admins change the group settings' : 'Only admins edit the group info: restrict is on');
    }
    applySettings(group, changes, me, this);
  }

  async setPicture(groupId: string, _picture: GroupPicture): Promise<void> {
    const me = this.me();
    const group = this.memberOf(groupId);
    if (group.restrict && !group.members.get(me)) throw new GroupError('not_admin', 'Only admins edit the group info: restrict is on');
    this.notifyAll(group, { kind: 'updated', groupId, changes: { picture: true }, by: me });
  }

  async participants(groupId: string, action: ParticipantAction, jids: string[]): Promise<ParticipantResult[]> {
    const me = this.me();
    const group = this.memberOf(groupId);
    if (!group.members.get(me)) throw new GroupError('not_admin', `Only admins ${action} participants`);
    return changeMembers(group, action, jids, me, this);
  }

  async inviteCode(groupId: string): Promise<string> {
    return this.adminOf(groupId, 'read the invite link').inviteCode;
  }

  async revokeInvite(groupId: string): Promise<string> {
    const group = this.adminOf(groupId, 'revoke the invite link');
    group.inviteCode = inviteCode();
    return group.inviteCode;
  }

  async invitePreview(code: string): Promise<GroupInvitePreview> {
    this.me();
    const group = this.byCode(code);
    const preview: GroupInvitePreview = { id: group.id, subject: group.subject, size: group.members.size };
    if (group.description) preview.description = group.description;
    return preview;
  }

  async join(code: string): Promise<string> {
    const me = this.me();
    const group = this.byCode(code);
    if (!group.members.has(me)) joinGroup(group, me, this);
    return group.id;
  }

  async leave(groupId: string): Promise<void> {
    const me = this.me();
    leaveGroup(this.memberOf(groupId), me, this);
  }

  /** Refuses a send we may not make: not a member, or only admins send (`announce`). */
  checkSend(groupId: string): void {
    const group = this.memberOf(groupId);
    if (group.announce && !group.members.get(this.me())) throw new GroupError('not_admin', 'Only admins send messages to this group: announce is on');
  }

  /** Our message reaches every other member's device that is online. */
  fanOut(groupId: string, message: NormalizedMessage): void {
    const me = this.me();
    for (const jid of this.network.groups.get(groupId)?.members.keys() ?? []) if (jid !== me) this.network.deliver(jid, message);
  }

  /** A virtual member writes to the group: it must be one. */
  requireMember(groupId: string, jid: string): void {
    const group = this.network.groups.get(groupId);
    if (!group) throw new SimulatorStateError(`Group ${groupId} does not exist`);
    if (!group.members.has(jid)) throw new SimulatorStateError(`${jid} is not a member of ${groupId}`);
  }

  /** A virtual member creates a group with this device in it. */
  createBy(by: string, subject: string, participants: string[]): string {
    const me = this.me();
    const group = this.network.groups.create(by, subject, [...new Set([me, ...participants])].filter((jid) => jid !== by));
    this.notify(group, { kind: 'joined', group: metadataOf(group), by }, [...group.members.keys()]);
    return group.id;
  }

  /** A virtual member acts in a group: changes members or settings, or leaves. */
  actAs(by: string, groupId: string, act: MemberAction): ParticipantResult[] {
    const group = this.network.groups.get(groupId);
    if (!group) throw new SimulatorStateError(`Group ${groupId} does not exist`);
    if (!group.members.has(by)) throw new SimulatorStateError(`${by} is not a member of ${groupId}`);
    if (act.action === 'leave') {
      leaveGroup(group, by, this);
      return [];
    }
    if (!group.members.get(by) && (act.action !== 'update' || group.restrict)) throw new SimulatorStateError(`${by} is not an admin of ${groupId}`);
    if (act.action === 'update') {
      applySettings(group, act.changes, by, this);
      return [];
    }
    return changeMembers(group, act.action, act.participants, by, this);
  }

  /** Tells `to` (members and former members) what happened. */
  notify(group: SimulatedGroup, event: GroupEvent, to: Iterable<string>): void {
    for (const jid of new Set(to)) this.network.deliverGroup(jid, event);
  }

  notifyAll(group: SimulatedGroup, event: GroupEvent): void {
    this.notify(group, event, group.members.keys());
  }

  private memberOf(groupId: string): SimulatedGroup {
    const me = this.me();
    const group = this.network.groups.get(groupId);
    if (!group) throw new GroupError('not_found', `Group ${groupId} does not exist`);
    if (!group.members.has(me)) throw new GroupError('not_member', `This account is not a member of ${groupId}`);
    return group;
  }

  private adminOf(groupId: string, what: string): SimulatedGroup {
    const group = this.memberOf(groupId);
    if (!group.members.get(this.me())) throw new GroupError('not_admin', `Only admins ${what}`);
    return group;
  }

  private byCode(code: string): SimulatedGroup {
    const group = this.network.groups.byCode(code);
    if (!group) throw new GroupError('invalid_invite', 'The invite code is not valid or was revoked');
    return group;
  }
}

function addStatus(jid: string, group: SimulatedGroup | undefined): ParticipantResult['status'] {
  const digits = phoneDigits(jid);
  if (!digits || NOT_ON_WHATSAPP.test(digits)) return 'not_on_whatsapp';
  if (group?.members.has(jid)) return 'already_in_group';
  if (INVITES_ONLY.test(digits)) return 'privacy';
  return 'ok';
}

function changeMembers(group: SimulatedGroup, action: ParticipantAction, jids: string[], by: string, groups: SimulatorGroups): ParticipantResult[] {
  const before = [...group.members.keys()];
  const results = jids.map((jid): ParticipantResult => {
    if (action === 'add') {
      const status = addStatus(jid, group);
      if (status === 'ok') group.members.set(jid, null);
      return { jid, status };
    }
    if (!group.members.has(jid)) return { jid, status: 'not_in_group' };
    if (action === 'remove') group.members.delete(jid);
    else if (group.members.get(jid) !== 'superadmin') group.members.set(jid, action === 'promote' ? 'admin' : null);
    return { jid, status: 'ok' };
  });
  const changed = results.filter((r) => r.status === 'ok').map((r) => r.jid);
  if (changed.length === 0) return results;
  const event: GroupEvent = { kind: 'participants', groupId: group.id, action, participants: changed, by };
  // Those who got in see the group appear; those put out see it go; everyone else, the change.
  groups.notify(group, event, before.filter((jid) => !(action === 'remove' && changed.includes(jid))));
  if (action === 'add') groups.notify(group, { kind: 'joined', group: metadataOf(group), by }, changed);
  if (action === 'remove') groups.notify(group, { kind: 'left', groupId: group.id, by }, changed);
  return results;
}

function applySettings(group: SimulatedGroup, changes: GroupSettings, by: string, groups: SimulatorGroups): void {
  const changed: GroupSettings = {};
  if (changes.subject !== undefined) group.subject = changed.subject = changes.subject;
  if (changes.description !== undefined) group.description = changed.description = changes.description;
  if (changes.announce !== undefined) group.announce = changed.announce = changes.announce;
  if (changes.restrict !== undefined) group.restrict = changed.restrict = changes.restrict;
  if (changes.ephemeralSeconds !== undefined) group.ephemeralSeconds = changed.ephemeralSeconds = changes.ephemeralSeconds;
  if (Object.keys(changed).length > 0) groups.notifyAll(group, { kind: 'updated', groupId: group.id, changes: changed, by });
}

function joinGroup(group: SimulatedGroup, jid: string, groups: SimulatorGroups): void {
  const before = [...group.members.keys()];
  group.members.set(jid, null);
  groups.notify(group, { kind: 'participants', groupId: group.id, action: 'add', participants: [jid], by: jid }, before);
  groups.notify(group, { kind: 'joined', group: metadataOf(group), by: jid }, [jid]);
}

function leaveGroup(group: SimulatedGroup, jid: string, groups: SimulatorGroups): void {
  group.members.delete(jid);
  groups.notify(group, { kind: 'left', groupId: group.id, by: jid }, [jid]);
  groups.notifyAll(group, { kind: 'participants', groupId: group.id, action: 'remove', participants: [jid], by: jid });
}
