import { randomBytes } from 'node:crypto';
import type { BinaryNode } from 'baileys';
import type { EmulatorCore } from './core.js';
import { groupJid, groupNode, participantNode, pnJid } from './group-nodes.js';
import type { EmulatedGroup, GroupUser, MemberAction, MemberResult } from './groups.js';
import { now } from './nodes.js';

/** A change to a group's info or settings, as the iq names it. */
export type GroupChange =
  | { kind: 'subject'; subject: string }
  | { kind: 'description'; body?: string }
  | { kind: 'announcement' | 'not_announcement' | 'locked' | 'unlocked' }
  | { kind: 'ephemeral'; expiration: number };

/**
 * What members do to groups, whoever does it: a companion through its iqs, or a simulated peer
 * through the control API. Each change is told to every member's devices (`w:gp2`), the actor's
 * included, as WhatsApp's server does.
 */
export class GroupActions {
  constructor(readonly core: EmulatorCore) {}

  /** The account or peer a JID or number names. */
  user(jid: string): GroupUser | undefined {
    return this.core.findAccount(jid) ?? this.core.findPeer(jid);
  }

  /** A member's user; every member is someone the emulator knows. */
  readonly who = (phone: string): GroupUser => {
    const user = this.user(phone);
    if (!user) throw new Error(`group member ${phone} is unknown to the emulator`);
    return user;
  };

  node(group: EmulatedGroup): BinaryNode {
    return groupNode(group, this.who);
  }

  /** Creates a group; who cannot be added (unknown, invites only) is left out of it. */
  create(actor: GroupUser, subject: string, jids: string[]): EmulatedGroup {
    const members = jids.flatMap((jid) => {
      const user = this.user(jid);
      return user && this.core.groups.admits(user) ? [user] : [];
    });
    const group = this.core.groups.create(actor, subject, members);
    this.notify(group, actor, { tag: 'create', attrs: {}, content: [this.node(group)] });
    return group;
  }

  changeMembers(actor: GroupUser, groupId: string, action: MemberAction, jids: string[]): MemberResult[] {
    const group = this.core.groups.adminOf(groupId, actor);
    const before = [...group.members.keys()];
    const results = this.core.groups.changeMembers(group, action, jids.map((jid) => ({ phone: jid, user: this.user(jid) })));
    const changed = results.filter((r) => r.code === 200).map((r) => this.who(r.phone));
    if (changed.length > 0) {
      const child = { tag: action, attrs: {}, content: changed.map((u) => participantNode(u, null)) };
      this.notify(group, actor, child, action === 'add' ? [] : before);
    }
    return results;
  }

  change(actor: GroupUser, groupId: string, change: GroupChange): void {
    const info = change.kind === 'subject' || change.kind === 'description';
    const group = info ? this.core.groups.editorOf(groupId, actor) : this.core.groups.adminOf(groupId, actor);
    this.notify(group, actor, this.apply(group, actor, change));
  }

  leave(actor: GroupUser, groupId: string): void {
    const group = this.core.groups.memberOf(groupId, actor);
    const before = [...group.members.keys()];
    group.members.delete(actor.phone);
    this.notify(group, actor, { tag: 'remove', attrs: {}, content: [participantNode(actor, null)] }, before);
  }

  join(actor: GroupUser, code: string): EmulatedGroup {
    const group = this.core.groups.byCode(code);
    if (group.members.has(actor.phone)) return group;
    group.members.set(actor.phone, null);
    this.notify(group, actor, { tag: 'add', attrs: { reason: 'invite' }, content: [participantNode(actor, null)] });
    return group;
  }

  private apply(group: EmulatedGroup, actor: GroupUser, change: GroupChange): BinaryNode {
    switch (change.kind) {
      case 'subject':
        this.core.groups.setSubject(group, actor, change.subject);
        return { tag: 'subject', attrs: { subject: change.subject, s_o: pnJid(actor.phone), s_t: String(group.subjectTime) } };
      case 'description': {
        const id = randomBytes(8).toString('hex').toUpperCase();
        this.core.groups.setDescription(group, actor, change.body, id);
        if (!change.body) return { tag: 'description', attrs: { id, delete: 'true' } };
        return { tag: 'description', attrs: { id }, content: [{ tag: 'body', attrs: {}, content: Buffer.from(change.body) }] };
      }
      case 'ephemeral':
        group.ephemeral = change.expiration;
        return change.expiration ? { tag: 'ephemeral', attrs: { expiration: String(change.expiration) } } : { tag: 'not_ephemeral', attrs: {} };
      default:
        if (change.kind === 'announcement' || change.kind === 'not_announcement') group.announce = change.kind === 'announcement';
        else group.restrict = change.kind === 'locked';
        return { tag: change.kind, attrs: {} };
    }
  }

  /**
   * Checks `actor` may set the group's picture (any member, admins only when locked); members
   * then hear of it in a `picture` notification naming its author, as WhatsApp sends it.
   */
  pictureSet(actor: GroupUser, groupId: string, pictureId: () => string): void {
    const group = this.core.groups.editorOf(groupId, actor);
    const set = { tag: 'set', attrs: { id: pictureId(), author: pnJid(actor.phone), jid: groupJid(group) } };
    this.deliver(group, { tag: 'notification', attrs: { from: groupJid(group), type: 'picture', id: randomBytes(8).toString('hex'), t: now() }, content: [set] });
  }

  /** Sends a `w:gp2` notification to the devices of every member, and of `also` (former members). */
  private notify(group: EmulatedGroup, actor: GroupUser, child: BinaryNode, also: string[] = []): void {
    const node: BinaryNode = {
      tag: 'notification',
      attrs: { from: groupJid(group), type: 'w:gp2', id: randomBytes(8).toString('hex'), participant: pnJid(actor.phone), t: now() },
      content: [child],
    };
    this.deliver(group, node, also);
  }

  private deliver(group: EmulatedGroup, node: BinaryNode, also: string[] = []): void {
    for (const phone of new Set([...group.members.keys(), ...also])) {
      const account = this.core.accounts.get(phone);
      for (const device of account?.devices.values() ?? []) {
        if (device.removed) continue;
        const conn = this.core.connectionFor(device);
        if (conn) conn.send(node);
        else device.pending.push(node);
      }
    }
  }
}
