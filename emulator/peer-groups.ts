import type { EmulatorCore } from './core.js';
import { GroupActions, type GroupChange } from './group-actions.js';
import { groupJid, pnJid } from './group-nodes.js';
import type { MemberAction, Rank } from './groups.js';

/** What a simulated peer does in a group, as a member of it. */
export type PeerGroupAct =
  | { action: MemberAction; participants: string[] }
  | { action: 'update'; subject?: string; description?: string; announce?: boolean; restrict?: boolean }
  | { action: 'leave' };

/** A group as the server keeps it, for tests to read. */
export interface GroupView {
  jid: string;
  subject: string;
  description?: string;
  announce: boolean;
  restrict: boolean;
  inviteCode: string;
  members: Array<{ jid: string; admin: Rank }>;
}

function peer(core: EmulatorCore, phone: string) {
  const found = core.findPeer(phone);
  if (!found) throw new Error(`unknown peer ${phone}`);
  return found;
}

/** The peer creates a group with these members (phone numbers or JIDs); resolves with its JID. */
export function peerCreateGroup(core: EmulatorCore, byPhone: string, subject: string, participants: string[]): string {
  return groupJid(new GroupActions(core).create(peer(core, byPhone), subject, participants));
}

/**
 * The peer acts in a group: refused with WhatsApp's codes as a companion would be (401 not an
 * admin, 403 not a member, 404 no group). Member changes answer each participant's code.
 */
export function peerGroupAct(core: EmulatorCore, byPhone: string, groupId: string, act: PeerGroupAct): Array<{ jid: string; code: number }> {
  const actions = new GroupActions(core);
  const by = peer(core, byPhone);
  const id = groupId.includes('@') ? groupId : `${groupId}@g.us`;
  if (act.action === 'leave') {
    actions.leave(by, id);
    return [];
  }
  if (act.action !== 'update') {
    return actions.changeMembers(by, id, act.action, act.participants).map((r) => ({ jid: pnJid((r.phone.split('@')[0] ?? '').replace(/\D/g, '')), code: r.code }));
  }
  const changes: GroupChange[] = [];
  if (act.subject !== undefined) changes.push({ kind: 'subject', subject: act.subject });
  if (act.description !== undefined) changes.push({ kind: 'description', body: act.description || undefined });
  if (act.announce !== undefined) changes.push({ kind: act.announce ? 'announcement' : 'not_announcement' });
  if (act.restrict !== undefined) changes.push({ kind: act.restrict ? 'locked' : 'unlocked' });
  for (const change of changes) actions.change(by, id, change);
  return [];
}

export function groupView(core: EmulatorCore, groupId: string): GroupView | undefined {
  const group = core.groups.get(groupId);
  if (!group) return undefined;
  const view: GroupView = {
    jid: groupJid(group),
    subject: group.subject,
    announce: group.announce,
    restrict: group.restrict,
    inviteCode: group.inviteCode,
    members: [...group.members].map(([phone, admin]) => ({ jid: pnJid(phone), admin })),
  };
  if (group.description) view.description = group.description.body;
  return view;
}
