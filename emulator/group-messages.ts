import { randomBytes } from 'node:crypto';
import { getBinaryNodeChild, getBinaryNodeChildren, proto, writeRandomPadMax16, type BinaryNode } from 'baileys';
import type { ClientConnection } from './client-connection.js';
import type { EmulatorCore } from './core.js';
import { deliver } from './offline-queue.js';
import { pnJid } from './group-nodes.js';
import { contentBuffer, now } from './nodes.js';
import { stanzaType } from './peer-content.js';
import type { SignalPeer } from './signal-peer.js';
import { deviceAddress, devicePnJid, takeBundle, type CompanionDevice } from './state.js';

/**
 * A companion's message to a group: each peer member decrypts its pairwise copy (the sender-key
 * distribution), then the one `skmsg` for everyone with that key, and answers with delivery and
 * read receipts, as it does in a chat.
 */
export async function onGroupMessage(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): Promise<void> {
  const device = conn.device;
  const groupJid = node.attrs.to ?? '';
  const id = node.attrs.id ?? '';
  if (!device) return;
  conn.send({ tag: 'ack', attrs: { class: 'message', id, t: now(), from: groupJid } });
  const from = deviceAddress(device);
  for (const to of getBinaryNodeChildren(getBinaryNodeChild(node, 'participants'), 'to')) {
    const peer = core.findPeer(to.attrs.jid ?? '');
    const enc = getBinaryNodeChild(to, 'enc');
    if (!peer || !enc) continue;
    const pairwise = proto.Message.decode(await peer.decrypt(from, enc.attrs.type ?? 'msg', contentBuffer(enc)));
    const skdm = pairwise.senderKeyDistributionMessage?.axolotlSenderKeyDistributionMessage;
    if (skdm) await core.senderKeys.receive(peer.phone, groupJid, from, skdm);
  }
  const skmsg = getBinaryNodeChildren(node, 'enc').find((e) => e.attrs.type === 'skmsg');
  const group = core.groups.get(groupJid);
  if (!skmsg || !group) return;
  for (const phone of group.members.keys()) {
    const peer = core.peers.get(phone);
    if (!peer) continue;
    const message = proto.Message.decode(await core.senderKeys.decrypt(peer.phone, groupJid, from, contentBuffer(skmsg)));
    core.record(peer, { id, from: devicePnJid(device), group: groupJid, message, text: message.conversation ?? message.extendedTextMessage?.text ?? undefined });
    // As in a chat, each member's phone reads it; a group receipt names the member.
    const receipt = (type?: string) => conn.send({ tag: 'receipt', attrs: { id, from: groupJid, participant: peer.pnJid, t: now(), ...(type && { type }) } });
    setTimeout(() => {
      receipt();
      setTimeout(() => receipt('read'), 400);
    }, 20);
  }
}

/**
 * A peer member writes to the group: one `skmsg` under its sender key for every linked device of
 * each account in the group, with the key itself in a pairwise message the first time a device
 * hears from it. Resolves with the message id.
 */
export async function peerGroupSend(core: EmulatorCore, peer: SignalPeer, groupJid: string, message: proto.IMessage): Promise<string> {
  const group = core.groups.get(groupJid);
  if (!group?.members.has(peer.phone)) throw new Error(`${peer.phone} is not a member of ${groupJid}`);
  const id = `3EB0${randomBytes(8).toString('hex').toUpperCase()}`;
  const { skdm, ciphertext } = await core.senderKeys.encrypt(peer.phone, groupJid, writeRandomPadMax16(proto.Message.encode(message).finish()));
  const attrs = { id, from: groupJid, participant: pnJid(peer.phone), participant_lid: peer.lidJid, notify: peer.name, addressing_mode: 'pn', type: stanzaType(message), t: now() };
  for (const phone of group.members.keys()) {
    const account = core.accounts.get(phone);
    for (const device of account?.devices.values() ?? []) {
      if (device.removed) continue;
      const encs: BinaryNode[] = [{ tag: 'enc', attrs: { v: '2', type: 'skmsg' }, content: ciphertext }];
      if (core.senderKeys.firstFor(peer.phone, groupJid, deviceAddress(device))) encs.unshift(await distribution(peer, device, groupJid, skdm));
      const stanza: BinaryNode = { tag: 'message', attrs, content: encs };
      deliver(core, device, stanza);
    }
  }
  return id;
}

/** The pairwise `<enc>` that carries the peer's sender key to one device. */
async function distribution(peer: SignalPeer, device: CompanionDevice, groupJid: string, skdm: Uint8Array): Promise<BinaryNode> {
  const carrier: proto.IMessage = { senderKeyDistributionMessage: { groupId: groupJid, axolotlSenderKeyDistributionMessage: skdm } };
  const address = deviceAddress(device);
  const bundle = peer.hasSession(address) ? undefined : takeBundle(device);
  const { type, ciphertext } = await peer.encrypt(address, writeRandomPadMax16(proto.Message.encode(carrier).finish()), bundle);
  return { tag: 'enc', attrs: { v: '2', type }, content: ciphertext };
}
