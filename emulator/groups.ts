import { randomBytes, randomInt } from 'node:crypto';

export type Rank = 'admin' | 'superadmin' | null;

/** Anyone a group can hold: an emulated account (with its companions) or a simulated peer. */
export interface GroupUser {
  phone: string;
  lidUser: string;
}

/** A group as WhatsApp's server keeps it. Members are keyed by phone number, in the order they joined. */
export interface EmulatedGroup {
  /** Bare id, without `@g.us`. */
  id: string;
  subject: string;
  subjectOwner: string;
  subjectTime: number;
  creator: string;
  creation: number;
  description?: { id: string; body: string; owner: string; time: number };
  announce: boolean;
  restrict: boolean;
  ephemeral: number;
  inviteCode: string;
  members: Map<string, Rank>;
}

/**
 * Numbers ending in 7777 accept group invites only (WhatsApp's "who can add me to groups"
 * setting), as in the simulator: adding them is refused with 403, the invite link reaches them.
 */
export const INVITES_ONLY = /7777$/;

/** Why the server refuses a group iq, by WhatsApp's code: 401 not an admin, 403 not a member, 404 no group. */
export class GroupRefusal extends Error {
  constructor(
    readonly code: number,
    /** WhatsApp's word for it, as the iq error carries it. */
    readonly text: string,
    /** For people: what was refused and why. */
    why: string,
  ) {
    super(why);
  }
}

export type MemberAction = 'add' | 'remove' | 'promote' | 'demote';

/** One participant's answer: WhatsApp's per-participant code (200 when it went through). */
export interface MemberResult {
  phone: string;
  code: number;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const newInviteCode = () => randomBytes(16).toString('base64url').slice(0, 22);

/** Every group of the emulated network, with the rules of who may change what. */
export class GroupRegistry {
  private readonly groups = new Map<string, EmulatedGroup>();

  create(creator: GroupUser, subject: string, members: GroupUser[]): EmulatedGroup {
    let id: string;
    do id = `120363${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e3)).padStart(3, '0')}`;
    while (this.groups.has(id));
    const t = nowSeconds();
    const group: EmulatedGroup = {
      id,
      subject,
      subjectOwner: creator.phone,
      subjectTime: t,
      creator: creator.phone,
      creation: t,
      announce: false,
      restrict: false,
      ephemeral: 0,
      inviteCode: newInviteCode(),
      members: new Map([[creator.phone, 'superadmin'], ...members.filter((m) => m.phone !== creator.phone).map((m): [string, Rank] => [m.phone, null])]),
    };
    this.groups.set(id, group);
    return group;
  }

  /** Whether the user lets others add them to groups (not only by invite). */
  admits(user: GroupUser): boolean {
    return !INVITES_ONLY.test(user.phone);
  }

  /** The group `by` is a member of; 404 when there is none, 403 when `by` is not in it. */
  memberOf(groupJid: string, by: GroupUser): EmulatedGroup {
    const group = this.groups.get(groupJid.split('@')[0] ?? '');
    if (!group) throw new GroupRefusal(404, 'item-not-found', `no group ${groupJid}`);
    if (!group.members.has(by.phone)) throw new GroupRefusal(403, 'forbidden', `${by.phone} is not a member of ${groupJid}`);
    return group;
  }

  adminOf(groupJid: string, by: GroupUser): EmulatedGroup {
    const group = this.memberOf(groupJid, by);
    if (!group.members.get(by.phone)) throw new GroupRefusal(401, 'not-authorized', `${by.phone} is not an admin of ${groupJid}`);
    return group;
  }

  /** For the subject and description: any member, unless the group is locked to admins. */
  editorOf(groupJid: string, by: GroupUser): EmulatedGroup {
    const group = this.memberOf(groupJid, by);
    if (group.restrict && !group.members.get(by.phone)) throw new GroupRefusal(401, 'not-authorized', `only admins edit the info of ${groupJid}: it is locked`);
    return group;
  }

  participating(user: GroupUser): EmulatedGroup[] {
    return [...this.groups.values()].filter((g) => g.members.has(user.phone));
  }

  byCode(code: string): EmulatedGroup {
    const group = [...this.groups.values()].find((g) => g.inviteCode === code);
    if (!group) throw new GroupRefusal(406, 'not-acceptable', `no group has the invite code ${code}`);
    return group;
  }

  revokeInvite(group: EmulatedGroup): string {
    group.inviteCode = newInviteCode();
    return group.inviteCode;
  }

  /**
   * Adds, removes, promotes or demotes; `users` holds who each asked phone is (undefined: not on
   * WhatsApp). The creator stays superadmin whatever is asked.
   */
  changeMembers(group: EmulatedGroup, action: MemberAction, asked: Array<{ phone: string; user?: GroupUser }>): MemberResult[] {
    return asked.map(({ phone, user }): MemberResult => {
      if (action === 'add') {
        if (!user) return { phone, code: 404 };
        if (group.members.has(user.phone)) return { phone, code: 409 };
        if (!this.admits(user)) return { phone, code: 403 };
        group.members.set(user.phone, null);
        return { phone, code: 200 };
      }
      if (!user || !group.members.has(user.phone)) return { phone, code: 404 };
      if (action === 'remove') group.members.delete(user.phone);
      else if (group.members.get(user.phone) !== 'superadmin') group.members.set(user.phone, action === 'promote' ? 'admin' : null);
      return { phone, code: 200 };
    });
  }

  setDescription(group: EmulatedGroup, by: GroupUser, body: string | undefined, id: string): void {
    group.description = body ? { id, body, owner: by.phone, time: nowSeconds() } : undefined;
  }

  setSubject(group: EmulatedGroup, by: GroupUser, subject: string): void {
    group.subject = subject;
    group.subjectOwner = by.phone;
    group.subjectTime = nowSeconds();
  }

  get(groupJid: string): EmulatedGroup | undefined {
    return this.groups.get(groupJid.split('@')[0] ?? '');
  }
}
