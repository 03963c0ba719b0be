import { randomBytes } from 'node:crypto';
import { decodeSyncdMutations, getBinaryNodeChild, getBinaryNodeChildren, newLTHashState, proto, type BinaryNode } from 'baileys';
import type { ClientConnection } from './client-connection.js';
import type { EmulatorCore } from './core.js';
import { sendToDevice } from './messages.js';
import { contentBuffer, iqResult } from './nodes.js';
import type { Account, CompanionDevice } from './state.js';

/** The key an account's devices encrypt app state (settings, chat marks) with; the phone makes it. */
export interface AppStateKey {
  id: Buffer;
  data: Buffer;
}

const keys = new WeakMap<Account, AppStateKey>();

function keyOf(account: Account): AppStateKey {
  let key = keys.get(account);
  if (!key) {
    key = { id: randomBytes(6), data: randomBytes(32) };
    keys.set(account, key);
  }
  return key;
}

/**
 * Right after linking, the phone shares its app-state key with the new companion in a
 * protocol message, as WhatsApp's phone does; without it Baileys cannot write a setting (it
 * throws "App state key not present!" on `updateProfileName`).
 */
export async function shareAppStateKey(core: EmulatorCore, account: Account, device: CompanionDevice): Promise<void> {
  const key = keyOf(account);
  const message: proto.IMessage = {
    protocolMessage: {
      type: proto.Message.ProtocolMessage.Type.APP_STATE_SYNC_KEY_SHARE,
      appStateSyncKeyShare: {
        keys: [{ keyId: { keyId: key.id }, keyData: { keyData: key.data, fingerprint: { rawId: 1, currentIndex: 0, deviceIndexes: [0] }, timestamp: Date.now() } }],
      },
    },
  };
  const phone = core.phoneOf(account);
  // No push name on it: the companion learns the account's name from app state, not from this.
  await sendToDevice(core, phone, device, message, { from: phone.pnJid });
}

/**
 * `w:sync:app:state`: the server holds no earlier patches, so a resync gets each collection
 * empty at the version asked; a patch is decrypted with the account's key and what it sets is
 * kept (the push name becomes the account's name).
 */
export async function appStateSync(core: EmulatorCore, conn: ClientConnection, node: BinaryNode): Promise<BinaryNode> {
  const account = conn.device?.account;
  const collections = getBinaryNodeChildren(getBinaryNodeChild(node, 'sync'), 'collection').map(async (collection) => {
    const patches = getBinaryNodeChildren(collection, 'patch');
    let version = Number(collection.attrs.version ?? 0);
    for (const patch of patches) {
      if (account) await applyPatch(core, account, proto.SyncdPatch.decode(contentBuffer(patch)));
      version += 1;
    }
    return { tag: 'collection', attrs: { name: collection.attrs.name ?? '', version: String(version) } };
  });
  return iqResult(node, [{ tag: 'sync', attrs: {}, content: await Promise.all(collections) }]);
}

async function applyPatch(core: EmulatorCore, account: Account, patch: proto.ISyncdPatch): Promise<void> {
  const key = keyOf(account);
  const getKey = async (id: string) => (id === key.id.toString('base64') ? proto.Message.AppStateSyncKeyData.fromObject({ keyData: key.data }) : undefined);
  await decodeSyncdMutations(
    patch.mutations ?? [],
    newLTHashState(),
    getKey,
    ({ syncAction }) => {
      const name = syncAction.value?.pushNameSetting?.name;
      if (!name) return;
      account.name = name;
      core.log('push name set', { account: account.phone, name });
    },
    false,
  );
}
