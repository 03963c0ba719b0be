import {
  BufferJSON,
  initAuthCreds,
  proto,
  type AuthenticationCreds,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from 'baileys';
import type { AuthStateStore } from '../engine.js';

/** The store row that holds the creds object; signal keys use their Baileys type names. */
export const CREDS_TYPE = 'creds';
export const CREDS_ID = 'creds';

export function serialize(value: unknown): string {
  return JSON.stringify(value, BufferJSON.replacer);
}

export function deserialize<T>(text: string): T {
  return JSON.parse(text, BufferJSON.reviver) as T;
}

/**
 * A `me` without `account` comes from `requestPairingCode`, which sets it before the phone has
 * confirmed anything; persisting it would turn the next connect into a login that gets 401.
 * `account` only appears once pairing really succeeded.
 */
function persistableCreds(creds: AuthenticationCreds): AuthenticationCreds {
  if (creds.me && !creds.account) {
    const { me: _unconfirmed, ...rest } = creds;
    return rest as AuthenticationCreds;
  }
  return creds;
}

export async function loadCreds(store: AuthStateStore): Promise<AuthenticationCreds> {
  const stored = await store.get(CREDS_TYPE, [CREDS_ID]);
  const text = stored[CREDS_ID];
  return text ? deserialize<AuthenticationCreds>(text) : initAuthCreds();
}

/** Saves the whole creds object: Baileys mutates it in place, so partial updates would lose fields. */
export async function saveCreds(store: AuthStateStore, creds: AuthenticationCreds): Promise<void> {
  await store.set({ [CREDS_TYPE]: { [CREDS_ID]: serialize(persistableCreds(creds)) } });
}

function revive<T extends keyof SignalDataTypeMap>(type: T, text: string): SignalDataTypeMap[T] {
  const value = deserialize<SignalDataTypeMap[T]>(text);
  if (type === 'app-state-sync-key') {
    // Baileys calls protobuf methods on it, so a plain JSON object is not enough.
    const rebuilt: SignalDataTypeMap['app-state-sync-key'] = proto.Message.AppStateSyncKeyData.fromObject(
      value as object,
    );
    return rebuilt as SignalDataTypeMap[T];
  }
  return value;
}

/** Baileys' signal key store over the port's store: one `set` call is one store transaction. */
export function makeKeyStore(store: AuthStateStore): SignalKeyStore {
  return {
    async get(type, ids) {
      const stored = await store.get(type, ids);
      const out: { [id: string]: SignalDataTypeMap[typeof type] } = {};
      for (const [id, text] of Object.entries(stored)) out[id] = revive(type, text);
      return out;
    },
    async set(data: SignalDataSet) {
      const rows: Record<string, Record<string, string | null>> = {};
      for (const [type, values] of Object.entries(data)) {
        if (!values) continue;
        const typed: Record<string, string | null> = {};
        for (const [id, value] of Object.entries(values)) {
          typed[id] = value === null || value === undefined ? null : serialize(value);
        }
        rows[type] = typed;
      }
      if (Object.keys(rows).length > 0) await store.set(rows);
    },
  };
}
