import { randomBytes, randomInt } from 'node:crypto';
import type { GroupAdmin, GroupMetadata } from '../groups.js';

/** A group as the simulated server keeps it. */
export interface SimulatedGroup {
  id: string;
  subject: string;
  description?: string;
  owner: string;
  creation: number;
  announce: boolean;
  restrict: boolean;
  ephemeralSeconds: number;
  /** Member JID → rank, in the order they joined. */
  members: Map<string, GroupAdmin>;
  inviteCode: string;
}

/** Invite codes look like WhatsApp's: 22 characters of URL-safe base64. */
export function inviteCode(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

export function metadataOf(group: SimulatedGroup): GroupMetadata {
  const metadata: GroupMetadata = {
    id: group.id,
    subject: group.subject,
    owner: group.owner,
    creation: group.creation,
    announce: group.announce,
    restrict: group.restrict,
    ephemeralSeconds: group.ephemeralSeconds,
    participants: [...group.members].map(([jid, admin]) => ({ jid, admin })),
  };
  if (group.description) metadata.description = group.description;
  return metadata;
}

/** Every group of one simulated network, shared by its sessions so they can meet in a group. */
export class GroupDirectory {
  private readonly groups = new Map<string, SimulatedGroup>();

  create(owner: string, subject: string, members: string[]): SimulatedGroup {
    let id: string;
    do id = `120363${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e3)).padStart(3, '0')}@g.us`;
    while (this.groups.has(id));
    const group: SimulatedGroup = {
      id,
      subject,
      owner,
      creation: Math.floor(Date.now() / 1000),
      announce: false,
      restrict: false,
      ephemeralSeconds: 0,
      members: new Map([[owner, 'superadmin'], ...members.map((jid): [string, GroupAdmin] => [jid, null])]),
      inviteCode: inviteCode(),
    };
    this.groups.set(id, group);
    return group;
  }

  all(): SimulatedGroup[] {
    return [...this.groups.values()];
  }

  get(id: string): SimulatedGroup | undefined {
    return this.groups.get(id);
  }

  byCode(code: string): SimulatedGroup | undefined {
    for (const group of this.groups.values()) if (group.inviteCode === code) return group;
    return undefined;
  }
}
