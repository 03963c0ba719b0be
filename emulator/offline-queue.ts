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
export function deliver(core: EmulatorCore, device: CompanionDevice, stanza: BinaryNode): void {
  device.pending.push(stanza);
  core.connectionFor(device)?.send(stanza);
}

/** The queue's stanzas to send a device that just logged in; those it cannot acknowledge (no id) leave it. */
export function takeForLogin(device: CompanionDevice): BinaryNode[] {
  const all = [...device.pending];
  device.pending.splice(0, device.pending.length, ...all.filter((node) => node.attrs.id));
  return all;
}

/**
 * A device's delivery receipt acknowledges messages; its `<ack class=…>` acknowledges any other
 * stanza (or refuses a message for good). A retry receipt asks for the message again, so it
 * stays; read receipts follow a delivery receipt and say nothing more about the queue.
 */
export function onDeviceAck(conn: ClientConnection, node: BinaryNode): void {
  const device = conn.device;
  if (!device) return;
  let tag: string | undefined;
  if (node.tag === 'receipt' && !['retry', 'read', 'read-self', 'played'].includes(node.attrs.type ?? '')) tag = 'message';
  else if (node.tag === 'ack') tag = node.attrs.class;
  if (!tag) return;
  const more = getBinaryNodeChildren(getBinaryNodeChild(node, 'list'), 'item').map((item) => item.attrs.id);
  const ids = new Set([node.attrs.id, ...more]);
  const kept = device.pending.filter((stanza) => stanza.tag !== tag || !ids.has(stanza.attrs.id));
  device.pending.splice(0, device.pending.length, ...kept);
}

/** Ids of the messages the device has not acknowledged yet, oldest first. */
export function unackedMessages(device: CompanionDevice): string[] {
  return device.pending.filter((stanza) => stanza.tag === 'message').map((stanza) => stanza.attrs.id ?? '');
}
