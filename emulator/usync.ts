import { getBinaryNodeChild, getBinaryNodeChildren, type BinaryNode } from 'baileys';
import type { ClientConnection } from './client-connection.js';
import type { EmulatorCore } from './core.js';
import { children, contentBuffer, iqResult } from './nodes.js';
import { statusNode } from './profiles.js';

interface Target {
  jid: string;
  lid?: string;
  exists: boolean;
  devices: BinaryNode[];
}

function resolve(core: EmulatorCore, conn: ClientConnection, user: BinaryNode): Target {
  const phone = contentBuffer(getBinaryNodeChild(user, 'contact')).toString().replace(/\D/g, '');
  const jid = user.attrs.jid ?? `${phone}@s.whatsapp.net`;
  const peer = core.findPeer(jid);
  if (peer) {
    return { jid, lid: peer.lidJid, exists: true, devices: [{ tag: 'device', attrs: { id: '0' } }] };
  }
  const account = core.findAccount(jid);
  if (account) {
    // Only the asking device is listed, so sends do not fan out to a phone we do not simulate.
    const own = conn.device && conn.device.account === account ? [conn.device] : [];
    return {
      jid,
      lid: `${account.lidUser}@lid`,
      exists: true,
      devices: own.map((d) => ({ tag: 'device', attrs: { id: String(d.deviceId), 'key-index': '1' } })),
    };
  }
  return { jid, exists: false, devices: [] };
}

function protocolNode(core: EmulatorCore, protocol: string, target: Target): BinaryNode | undefined {
  switch (protocol) {
    case 'devices':
      return { tag: 'devices', attrs: {}, content: [{ tag: 'device-list', attrs: {}, content: target.devices }] };
    case 'lid':
      return target.lid ? { tag: 'lid', attrs: { val: target.lid } } : undefined;
    case 'contact':
      return { tag: 'contact', attrs: { type: target.exists ? 'in' : 'out' } };
    case 'status':
      return target.exists ? statusNode(core, target.jid) : undefined;
    default:
      return undefined;
  }
}

/** Device lists, LIDs and "is on WhatsApp" for the users of a usync query. */
export function usyncResult(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): BinaryNode {
  const usync = getBinaryNodeChild(node, 'usync');
  const protocols = children(getBinaryNodeChild(usync, 'query')).map((p) => p.tag);
  const users = getBinaryNodeChildren(getBinaryNodeChild(usync, 'list'), 'user').map((user) => {
    const target = resolve(core, conn, user);
    const content = protocols
      .map((p) => protocolNode(core, p, target))
      .filter((n): n is BinaryNode => !!n);
    return { tag: 'user', attrs: { jid: target.jid }, content };
  });
  return iqResult(node, [
    {
      tag: 'usync',
      attrs: { ...(usync?.attrs ?? {}) },
      content: [{ tag: 'list', attrs: {}, content: users }],
    },
  ]);
}
