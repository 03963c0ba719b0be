import { randomBytes } from 'node:crypto';
import { getBinaryNodeChild, type BinaryNode } from 'baileys';
import type { ClientConnection } from './client-connection.js';
import type { EmulatorCore } from './core.js';
import { GroupActions } from './group-actions.js';
import { GroupRefusal } from './groups.js';
import { contentBuffer, errorResult, iqResult, now } from './nodes.js';
import type { Account } from './state.js';

/** The phone number a JID names: a peer's or an account's, by phone JID or LID. */
export function phoneOfJid(core: EmulatorCore, jid: string): string | undefined {
  return core.findPeer(jid)?.phone ?? core.findAccount(jid)?.phone;
}

/**
 * A group's picture, set by a member who may edit its info: kept under the group's JID, the
 * members told. WhatsApp's refusal codes as for any group change.
 */
function setGroupPicture(core: EmulatorCore, account: Account, node: BinaryNode, target: string): BinaryNode {
  const picture = getBinaryNodeChild(node, 'picture');
  try {
    new GroupActions(core).pictureSet(account, target, () => {
      if (picture) core.profiles.setPicture(core.media, target, contentBuffer(picture));
      else core.profiles.get(target).picture = undefined;
      return core.profiles.get(target).picture?.id ?? '';
    });
  } catch (err) {
    if (err instanceof GroupRefusal) return errorResult(node, err.code, err.text);
    throw err;
  }
  return iqResult(node, [{ tag: 'picture', attrs: { id: core.profiles.get(target).picture?.id ?? '' } }]);
}

/**
 * `w:profile:picture`: get answers the URL of the target's picture on the media host (404
 * item-not-found without one); set without a target replaces the asking account's own, with a
 * group as target the group's.
 */
export function profilePicture(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): BinaryNode {
  const account = conn.device?.account;
  if (node.attrs.type === 'set') {
    const target = node.attrs.target;
    if (account && target?.endsWith('@g.us')) return setGroupPicture(core, account, node, target);
    if (!account || target) return errorResult(node, 403, 'forbidden');
    const picture = getBinaryNodeChild(node, 'picture');
    if (picture) core.profiles.setPicture(core.media, account.phone, contentBuffer(picture));
    else core.profiles.get(account.phone).picture = undefined;
    core.log('profile picture set', { account: account.phone });
    return iqResult(node, [{ tag: 'picture', attrs: { id: core.profiles.get(account.phone).picture?.id ?? '' } }]);
  }
  const target = node.attrs.target ?? '';
  const owner = target.endsWith('@g.us') ? target : phoneOfJid(core, target);
  const picture = owner ? core.profiles.get(owner).picture : undefined;
  if (!picture) return errorResult(node, 404, 'item-not-found');
  return iqResult(node, [{ tag: 'picture', attrs: { id: picture.id, type: 'image', url: core.media.url(picture.directPath), direct_path: picture.directPath } }]);
}

/** `status` set: the asking account's about text. */
export function setStatus(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): BinaryNode {
  const account = conn.device?.account;
  if (!account) return errorResult(node, 401, 'not-authorized');
  core.profiles.setAbout(account.phone, contentBuffer(getBinaryNodeChild(node, 'status')).toString('utf8'));
  core.log('about set', { account: account.phone });
  return iqResult(node);
}

/** The usync `status` protocol's answer for one user: its about text and when it was set. */
export function statusNode(core: EmulatorCore, jid: string): BinaryNode {
  const phone = phoneOfJid(core, jid);
  const profile = phone ? core.profiles.get(phone) : undefined;
  if (profile?.about === undefined) return { tag: 'status', attrs: {} };
  return { tag: 'status', attrs: { t: profile.aboutSetAt ?? now() }, content: Buffer.from(profile.about, 'utf8') };
}

/** `blocklist`: get lists the asking account's blocked LIDs; set blocks (with `pn_jid`) or unblocks one. */
export function blocklist(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): BinaryNode {
  const account = conn.device?.account;
  if (!account) return errorResult(node, 401, 'not-authorized');
  const list = core.profiles.blocklist(account.phone);
  if (node.attrs.type === 'set') {
    const item = getBinaryNodeChild(node, 'item');
    const lid = item?.attrs.jid;
    if (!lid) return errorResult(node, 400, 'bad-request');
    if (item.attrs.action === 'block') {
      const pn = item.attrs.pn_jid ?? core.findPeer(lid)?.pnJid;
      if (!pn) return errorResult(node, 400, 'bad-request');
      list.set(lid, pn);
    } else list.delete(lid);
    core.log('blocklist changed', { account: account.phone, action: item.attrs.action, lid });
    return iqResult(node);
  }
  return iqResult(node, [{ tag: 'list', attrs: { dhash: randomBytes(4).toString('hex') }, content: [...list.keys()].map((jid) => ({ tag: 'item', attrs: { jid } })) }]);
}
