import type { BinaryNode } from 'baileys';
import type { SignalPeer } from './signal-peer.js';

export type PeerPresenceState = 'available' | 'unavailable' | 'composing' | 'recording' | 'paused';

/**
 * What WhatsApp's server sends a companion when a peer it subscribed to shows a presence:
 * typing, recording and paused as a `<chatstate>` of their 1:1 chat (recording is composing
 * audio), online and offline as a `<presence>`, offline with the time last seen.
 */
export function peerPresenceNode(peer: SignalPeer, state: PeerPresenceState, now = Math.floor(Date.now() / 1000)): BinaryNode {
  const from = peer.pnJid;
  if (state === 'available') return { tag: 'presence', attrs: { from } };
  if (state === 'unavailable') return { tag: 'presence', attrs: { from, type: 'unavailable', last: String(now) } };
  const child: BinaryNode = state === 'recording' ? { tag: 'composing', attrs: { media: 'audio' } } : { tag: state, attrs: {} };
  return { tag: 'chatstate', attrs: { from }, content: [child] };
}
