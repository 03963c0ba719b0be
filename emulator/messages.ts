import { randomBytes } from 'node:crypto';
import {
  getBinaryNodeChild,
  getBinaryNodeChildren,
  proto,
  writeRandomPadMax16,
  type BinaryNode,
} from 'baileys';
import type { ClientConnection } from './client-connection.js';
import type { EmulatorCore } from './core.js';
import { deliver } from './offline-queue.js';
import { onGroupMessage } from './group-messages.js';
import { contentBuffer, now, SERVER } from './nodes.js';
import { stanzaType } from './peer-content.js';
import type { SignalPeer } from './signal-peer.js';
import { deviceAddress, devicePnJid, takeBundle, type Account, type CompanionDevice } from './state.js';

const DELIVERY_DELAY_MS = 20;
/** After the delivery receipt. */
const READ_DELAY_MS = 400;

/**
 * Peers that got something from the companion answer with delivery, then read receipts. The
 * read comes later than Baileys' 100 ms event-buffer debounce, which would otherwise merge the
 * two into a single READ update (as it does with a real fast reader).
 */
function acknowledge(conn: ClientConnection, node: BinaryNode, peer: SignalPeer | undefined): void {
  const id = node.attrs.id ?? '';
  conn.send({ tag: 'ack', attrs: { class: 'message', id, t: now(), from: node.attrs.to ?? SERVER } });
  if (!peer) return;
  setTimeout(() => {
    conn.send({ tag: 'receipt', attrs: { id, from: peer.pnJid, t: now() } });
    setTimeout(() => conn.send({ tag: 'receipt', attrs: { id, type: 'read', from: peer.pnJid, t: now() } }), READ_DELAY_MS);
  }, DELIVERY_DELAY_MS);
}

/** A companion's outgoing message: every `<enc>` addressed to a simulated peer is decrypted. */
export async function onClientMessage(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): Promise<void> {
  const device = conn.device;
  if (!device) return;
  if (node.attrs.to?.endsWith('@g.us')) {
    await onGroupMessage(core, conn, node);
    return;
  }
  const recipients = getBinaryNodeChildren(getBinaryNodeChild(node, 'participants'), 'to');
  const direct = getBinaryNodeChild(node, 'enc');
  const encs = direct
    ? [{ jid: node.attrs.to ?? '', enc: direct }]
    : recipients.map((to) => ({ jid: to.attrs.jid ?? '', enc: getBinaryNodeChild(to, 'enc') }));
  let addressee: SignalPeer | undefined;
  for (const { jid, enc } of encs) {
    const peer = core.findPeer(jid);
    if (!peer || !enc) continue;
    addressee = peer;
    const plain = await peer.decrypt(deviceAddress(device), enc.attrs.type ?? 'msg', contentBuffer(enc));
    const message = proto.Message.decode(plain);
    core.record(peer, {
      id: node.attrs.id ?? '',
      from: devicePnJid(device),
      message,
      text: message.conversation ?? message.extendedTextMessage?.text ?? undefined,
    });
  }
  acknowledge(conn, node, addressee ?? core.findPeer(node.attrs.to ?? ''));
}

/**
 * How WhatsApp addresses a peer's message: from its phone number with its LID beside it (`pn`),
 * or from its LID, with its number in `sender_pn` (`lid`) or, once the account has been told
 * the number, without it (`lid-only`).
 */
export type PeerAddressing = 'pn' | 'lid' | 'lid-only';

function senderAttrs(peer: SignalPeer, addressing: PeerAddressing): Record<string, string> {
  if (addressing === 'pn') return { from: peer.pnJid, sender_lid: peer.lidJid };
  const lid = { from: peer.lidJid, addressing_mode: 'lid' };
  return addressing === 'lid' ? { ...lid, sender_pn: peer.pnJid } : lid;
}

/** The peer encrypts one copy per linked device of the account; offline devices get it later. */
export async function peerSend(
  core: EmulatorCore,
  peer: SignalPeer,
  account: Account,
  message: proto.IMessage,
  addressing: PeerAddressing = 'pn',
): Promise<string> {
  return fanOut(core, peer, account, message, { ...senderAttrs(peer, addressing), notify: peer.name });
}

/**
 * The account's phone sends to a peer: WhatsApp copies the message to the phone's linked devices,
 * wrapped in `deviceSentMessage` and addressed from the phone with the peer as `recipient`.
 */
export async function phoneSend(
  core: EmulatorCore,
  phone: SignalPeer,
  account: Account,
  to: SignalPeer,
  message: proto.IMessage,
): Promise<string> {
  const wrapped: proto.IMessage = { deviceSentMessage: { destinationJid: to.pnJid, message } };
  const attrs = { from: phone.pnJid, recipient: to.pnJid, sender_lid: `${account.lidUser}@lid`, notify: account.name };
  return fanOut(core, phone, account, wrapped, attrs, message);
}

async function fanOut(
  core: EmulatorCore,
  sender: SignalPeer,
  account: Account,
  message: proto.IMessage,
  attrs: Record<string, string>,
  content = message,
): Promise<string> {
  const id = newMessageId();
  for (const device of account.devices.values()) {
    if (!device.removed) await sendToDevice(core, sender, device, message, attrs, { id, content });
  }
  return id;
}

function newMessageId(): string {
  return `3EB0${randomBytes(8).toString('hex').toUpperCase()}`;
}

/** Encrypts a message for one device and delivers it, or keeps it for the device's next login. */
export async function sendToDevice(
  core: EmulatorCore,
  sender: SignalPeer,
  device: CompanionDevice,
  message: proto.IMessage,
  attrs: Record<string, string>,
  { id = newMessageId(), content = message }: { id?: string; content?: proto.IMessage } = {},
): Promise<string> {
  const plaintext = writeRandomPadMax16(proto.Message.encode(message).finish());
  const address = deviceAddress(device);
  // Also what a retry receipt gets: the same message under the same id, encrypted afresh.
  const encrypt = async (): Promise<BinaryNode> => {
    const bundle = sender.hasSession(address) ? undefined : takeBundle(device);
    const { type, ciphertext } = await sender.encrypt(address, plaintext, bundle);
    return {
      tag: 'message',
      attrs: { id, ...attrs, type: stanzaType(content), t: now() },
      content: [{ tag: 'enc', attrs: { v: '2', type }, content: ciphertext }],
    };
  };
  deliver(core, device, await encrypt(), encrypt);
  return id;
}
