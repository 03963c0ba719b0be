import { getBinaryNodeChild, getBinaryNodeChildren, type BinaryNode } from 'baileys';
import type { ClientConnection } from './client-connection.js';
import type { EmulatorCore } from './core.js';
import { children, contentBuffer, iqResult, SERVER } from './nodes.js';
import { companionFinish, companionHello, linkCodeStage } from './pairing-code.js';
import { appStateSync, shareAppStateKey } from './app-state.js';
import { groupIq } from './group-iqs.js';
import { blocklist, profilePicture, setStatus } from './profiles.js';
import { privacyResult } from './signals.js';
import { usyncResult } from './usync.js';

function uploadPreKeys(conn: ClientConnection, node: BinaryNode): void {
  const device = conn.device;
  if (!device) return;
  for (const key of getBinaryNodeChildren(getBinaryNodeChild(node, 'list'), 'key')) {
    const id = contentBuffer(getBinaryNodeChild(key, 'id')).readUIntBE(0, 3);
    device.preKeys.set(id, contentBuffer(getBinaryNodeChild(key, 'value')));
  }
}

function encrypt(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): BinaryNode {
  const [first] = children(node);
  if (node.attrs.type === 'set') {
    if (getBinaryNodeChild(node, 'list')) uploadPreKeys(conn, node);
    return iqResult(node);
  }
  switch (first?.tag) {
    case 'count':
      return iqResult(node, [{ tag: 'count', attrs: { value: String(conn.device?.preKeys.size ?? 0) } }]);
    case 'digest':
      return iqResult(node, [{ tag: 'digest', attrs: {} }]);
    case 'key': {
      // Only simulated peers hand out bundles; the companion never needs its own account's.
      const users = getBinaryNodeChildren(first, 'user').flatMap((user) => {
        const jid = user.attrs.jid ?? '';
        const peer = core.findPeer(jid);
        return peer ? [peer.bundleNode(jid)] : [];
      });
      return iqResult(node, [{ tag: 'list', attrs: {}, content: users }]);
    }
    default:
      return iqResult(node);
  }
}

function md(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): BinaryNode {
  const remove = getBinaryNodeChild(node, 'remove-companion-device');
  if (remove) {
    for (const device of core.devicesFor(remove.attrs.jid ?? '')) device.removed = true;
    core.log('companion device removed', { jid: remove.attrs.jid });
  }
  const linkCode = linkCodeStage(node);
  if (linkCode?.attrs.stage === 'companion_hello') conn.linkCode = companionHello(linkCode);
  if (linkCode?.attrs.stage === 'companion_finish') companionFinish(conn.linkCode, linkCode);
  return iqResult(node);
}

function mediaConn(core: EmulatorCore, node: BinaryNode): BinaryNode {
  return iqResult(node, [
    {
      tag: 'media_conn',
      attrs: { auth: core.media.auth, ttl: '3600', max_buckets: '1' },
      content: [{ tag: 'host', attrs: { hostname: core.media.hostname, maxContentLengthBytes: '104857600' } }],
    },
  ]);
}

/** Answers to our own iqs: only the companion's pair-device-sign matters (pairing is done). */
function onResult(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): void {
  const pairing = conn.pairing;
  if (!pairing || node.attrs.id !== pairing.iqId) return;
  if (!getBinaryNodeChild(node, 'pair-device-sign')) return;
  conn.pairing = undefined;
  pairing.device.account.devices.set(pairing.device.deviceId, pairing.device);
  pairing.done();
  shareAppStateKey(core, pairing.device.account, pairing.device).catch((err: unknown) => core.log('app state key share failed', { err: String(err) }));
  // WhatsApp makes a freshly paired companion reconnect and log in with its new identity.
  conn.streamError(515);
}

export function handleIq(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): void {
  const { type, xmlns } = node.attrs;
  if (type === 'result' || type === 'error') {
    onResult(core, conn, node);
    return;
  }
  switch (xmlns) {
    case 'encrypt':
      conn.send(encrypt(core, conn, node));
      return;
    case 'usync':
      conn.send(usyncResult(core, conn, node));
      return;
    case 'md':
      conn.send(md(core, conn, node));
      return;
    case 'w:m':
      conn.send(mediaConn(core, node));
      return;
    case 'privacy':
      conn.send(privacyResult(node));
      return;
    case 'w:profile:picture':
      conn.send(profilePicture(core, conn, node));
      return;
    case 'status':
      conn.send(setStatus(core, conn, node));
      return;
    case 'blocklist':
      conn.send(blocklist(core, conn, node));
      return;
    case 'w:g2':
      conn.send(groupIq(core, conn, node));
      return;
    case 'w:sync:app:state':
      appStateSync(core, conn, node).then(
        (answer) => conn.send(answer),
        (err: unknown) => core.log('app state sync failed', { err: String(err) }),
      );
      return;
    default:
      // Props, pings…: an empty success keeps the client going.
      conn.send({ tag: 'iq', attrs: { id: node.attrs.id ?? '', type: 'result', from: SERVER } });
  }
}
