import { getBinaryNodeChild, getBinaryNodeChildren, type BinaryNode } from 'baileys';
import type { ClientConnection } from './client-connection.js';
import type { EmulatorCore } from './core.js';
import { SERVER } from './nodes.js';

/** The privacy settings a fresh account has: read receipts on, so the client sends `read`, not `read-self`. */
export function privacyResult(node: BinaryNode): BinaryNode {
  const categories = [{ name: 'readreceipts', value: 'all' }, { name: 'last', value: 'all' }, { name: 'online', value: 'all' }];
  return {
    tag: 'iq',
    attrs: { id: node.attrs.id ?? '', type: 'result', from: SERVER },
    content: [{ tag: 'privacy', attrs: {}, content: categories.map((attrs) => ({ tag: 'category', attrs })) }],
  };
}

/**
 * A companion's receipt, chatstate or presence stanza, recorded for the peer it is addressed to
 * (a presence without one goes to every peer, as contacts see it). Only read receipts count:
 * delivery receipts are the client acknowledging what it got. A presence `subscribe` is the
 * companion asking for a peer's presence, not showing its own.
 */
export function onClientSignal(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): void {
  if (node.tag === 'receipt') {
    if (node.attrs.type !== 'read') return;
    const peer = core.findPeer(node.attrs.to ?? '');
    const more = getBinaryNodeChildren(getBinaryNodeChild(node, 'list'), 'item').map((item) => item.attrs.id ?? '');
    if (peer) core.signal(peer, { kind: 'read', messageIds: [node.attrs.id ?? '', ...more] });
    return;
  }
  if (node.tag === 'chatstate') {
    const peer = core.findPeer(node.attrs.to ?? '');
    const child = Array.isArray(node.content) ? (node.content[0] as BinaryNode | undefined) : undefined;
    if (!peer || !child) return;
    const state = child.tag === 'composing' && child.attrs.media === 'audio' ? 'recording' : child.tag;
    core.signal(peer, { kind: 'presence', state });
    return;
  }
  if (node.tag === 'presence' && node.attrs.type === 'subscribe') {
    const peer = core.findPeer(node.attrs.to ?? '');
    if (peer) core.askPresence(conn, peer);
    return;
  }
  if (node.tag === 'presence' && node.attrs.type) {
    for (const peer of core.peers.values()) core.signal(peer, { kind: 'presence', state: node.attrs.type });
  }
}
