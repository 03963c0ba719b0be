import { getBinaryNodeChild, getBinaryNodeChildren, type BinaryNode } from 'baileys';
import type { ClientConnection } from './client-connection.js';
import type { EmulatorCore } from './core.js';
import type { CompanionDevice } from './state.js';

/**
 * Hands a stanza to a device as WhatsApp's server does: it stays in the device's offline queue
 * until the device acknowledges it, not merely until it was written to the socket, and every
 * login gets again whatever is still there. A client that dies between reading a message and
 * acknowledging it therefore gets it again.
 */
export function deliver(core: EmulatorCore, device: CompanionDevice, stanza: BinaryNode, encrypt?: Reencrypt): void {
  device.pending.push(stanza);
  if (encrypt) reencrypters.set(stanza, encrypt);
  core.connectionFor(device)?.send(stanza);
}

/** Encrypts a queued message again: the sender's answer to a device that could not decrypt it. */
type Reencrypt = () => Promise<BinaryNode>;
const reencrypters = new WeakMap<BinaryNode, Reencrypt>();
/** Copies sent in answer to a retry receipt, whose first refusal is the retry's own. */
const retried = new WeakSet<BinaryNode>();

/** The queue's stanzas to send a device that just logged in; those it cannot acknowledge (no id) leave it. */
export function takeForLogin(device: CompanionDevice): BinaryNode[] {
  const all = [...device.pending];
  device.pending.splice(0, device.pending.length, ...all.filter((node) => node.attrs.id));
  return all;
}

/**
 * A device's delivery receipt acknowledges messages; its `<ack class=…>` acknowledges any other
 * stanza. Read receipts follow a delivery receipt and say nothing more about the queue. A retry
 * receipt (the device could not decrypt, say a copy it had already decrypted before it died)
 * gets the message encrypted afresh, and the refusal (`<ack error>`) Baileys sends beside it
 * leaves that copy queued; any other refusal drops the message, as the device will not take it.
 */
export async function onDeviceAck(conn: ClientConnection, node: BinaryNode): Promise<void> {
  const device = conn.device;
  if (!device) return;
  if (node.tag === 'receipt' && node.attrs.type === 'retry') return retry(conn, device, node.attrs.id);
  let tag: string | undefined;
  if (node.tag === 'receipt' && !['read', 'read-self', 'played'].includes(node.attrs.type ?? '')) tag = 'message';
  else if (node.tag === 'ack') tag = node.attrs.class;
  if (!tag) return;
  const more = getBinaryNodeChildren(getBinaryNodeChild(node, 'list'), 'item').map((item) => item.attrs.id);
  const ids = new Set([node.attrs.id, ...more]);
  const acked = (stanza: BinaryNode) => stanza.tag === tag && ids.has(stanza.attrs.id) && !(node.attrs.error && retried.delete(stanza));
  const kept = device.pending.filter((stanza) => !acked(stanza));
  device.pending.splice(0, device.pending.length, ...kept);
}

async function retry(conn: ClientConnection, device: CompanionDevice, id: string | undefined): Promise<void> {
  const index = device.pending.findIndex((stanza) => stanza.tag === 'message' && stanza.attrs.id === id);
  const encrypt = index >= 0 ? reencrypters.get(device.pending[index]!) : undefined;
  if (!encrypt) return;
  const stanza = await encrypt();
  reencrypters.set(stanza, encrypt);
  retried.add(stanza);
  device.pending[index] = stanza;
  conn.send(stanza);
}

/** Ids of the messages the device has not acknowledged yet, oldest first. */
export function unackedMessages(device: CompanionDevice): string[] {
  return device.pending.filter((stanza) => stanza.tag === 'message').map((stanza) => stanza.attrs.id ?? '');
}
