import { getBinaryNodeChild, getBinaryNodeChildren, type BinaryNode } from 'baileys';
import type { ClientConnection } from './client-connection.js';
import type { EmulatorCore } from './core.js';
import { GroupActions } from './group-actions.js';
import { groupJid } from './group-nodes.js';
import { GroupRefusal, type GroupUser, type MemberAction } from './groups.js';
import { children, contentBuffer, errorResult, iqResult } from './nodes.js';

const MEMBER_ACTIONS = new Set<string>(['add', 'remove', 'promote', 'demote']);
const SETTINGS = new Set<string>(['announcement', 'not_announcement', 'locked', 'unlocked']);

const participantJids = (node: BinaryNode) => getBinaryNodeChildren(node, 'participant').map((p) => p.attrs.jid ?? '');

/** Iqs addressed to `@g.us`: create, the groups we are in, join by code or preview it, leave. */
function onGroupsServer(actions: GroupActions, actor: GroupUser, node: BinaryNode, child: BinaryNode): BinaryNode {
  const get = node.attrs.type === 'get';
  switch (child.tag) {
    case 'participating': {
      const groups = actions.core.groups.participating(actor).map((g) => actions.node(g));
      return iqResult(node, [{ tag: 'groups', attrs: {}, content: groups }]);
    }
    case 'create':
      return iqResult(node, [actions.node(actions.create(actor, child.attrs.subject ?? '', participantJids(child)))]);
    case 'invite': {
      const code = child.attrs.code ?? '';
      if (get) return iqResult(node, [actions.node(actions.core.groups.byCode(code))]);
      return iqResult(node, [{ tag: 'group', attrs: { jid: groupJid(actions.join(actor, code)) } }]);
    }
    case 'leave': {
      const ids = getBinaryNodeChildren(child, 'group').map((g) => g.attrs.id ?? '');
      for (const id of ids) actions.leave(actor, id);
      return iqResult(node, [{ tag: 'leave', attrs: {}, content: ids.map((id) => ({ tag: 'group', attrs: { id } })) }]);
    }
    default:
      throw new GroupRefusal(400, 'bad-request', `no such group iq: ${child.tag}`);
  }
}

/** Iqs addressed to one group: its metadata, invite code, members, info and settings. */
function onGroup(actions: GroupActions, actor: GroupUser, node: BinaryNode, child: BinaryNode): BinaryNode {
  const groups = actions.core.groups;
  const id = node.attrs.to ?? '';
  if (child.tag === 'query') return iqResult(node, [actions.node(groups.memberOf(id, actor))]);
  if (child.tag === 'invite') {
    const group = groups.adminOf(id, actor);
    const code = node.attrs.type === 'get' ? group.inviteCode : groups.revokeInvite(group);
    return iqResult(node, [{ tag: 'invite', attrs: { code } }]);
  }
  if (MEMBER_ACTIONS.has(child.tag)) {
    const results = actions.changeMembers(actor, id, child.tag as MemberAction, participantJids(child));
    const answers = results.map((r) => ({ tag: 'participant', attrs: { jid: r.phone, ...(r.code !== 200 && { error: String(r.code) }) } }));
    return iqResult(node, [{ tag: child.tag, attrs: {}, content: answers }]);
  }
  if (child.tag === 'subject') actions.change(actor, id, { kind: 'subject', subject: contentBuffer(child).toString() });
  else if (child.tag === 'description') {
    const body = getBinaryNodeChild(child, 'body');
    actions.change(actor, id, { kind: 'description', body: body ? contentBuffer(body).toString() : undefined });
  } else if (SETTINGS.has(child.tag)) actions.change(actor, id, { kind: child.tag as 'locked' });
  else if (child.tag === 'ephemeral' || child.tag === 'not_ephemeral') {
    actions.change(actor, id, { kind: 'ephemeral', expiration: Number(child.attrs.expiration ?? 0) });
  } else throw new GroupRefusal(400, 'bad-request', `no such group iq: ${child.tag}`);
  return iqResult(node);
}

/** `w:g2`: groups as WhatsApp's server keeps them, refusals answered with its error codes. */
export function groupIq(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): BinaryNode {
  const actor = conn.device?.account;
  const [child] = children(node);
  if (!actor || !child) return errorResult(node, 400, 'bad-request');
  const actions = new GroupActions(core);
  try {
    return node.attrs.to === '@g.us' ? onGroupsServer(actions, actor, node, child) : onGroup(actions, actor, node, child);
  } catch (err) {
    if (err instanceof GroupRefusal) return errorResult(node, err.code, err.text);
    throw err;
  }
}
