import { randomBytes } from 'node:crypto';
import type { proto } from 'baileys';
import type { ClientConnection } from './client-connection.js';
import type { EmulatorCore } from './core.js';
import { takeForLogin } from './offline-queue.js';
import { now, SERVER } from './nodes.js';

const QR_REFS = 6;

/** A new companion: remember its keys and hand out pairing refs (each becomes one QR). */
function register(conn: ClientConnection, data: proto.ClientPayload.IDevicePairingRegistrationData, noiseKey: Buffer): void {
  conn.registration = {
    noiseKey,
    identityKey: Buffer.from(data.eIdent ?? []),
    registrationId: Buffer.from(data.eRegid ?? []).readUInt32BE(0),
    signedPreKey: {
      keyId: Buffer.from(data.eSkeyId ?? []).readUIntBE(0, 3),
      publicKey: Buffer.from(data.eSkeyVal ?? []),
      signature: Buffer.from(data.eSkeySig ?? []),
    },
  };
  conn.send({
    tag: 'iq',
    attrs: { id: conn.newId(), type: 'set', from: SERVER, xmlns: 'md' },
    content: [
      {
        tag: 'pair-device',
        attrs: {},
        content: Array.from({ length: QR_REFS }, () => ({
          tag: 'ref',
          attrs: {},
          content: Buffer.from(randomBytes(18).toString('base64url')),
        })),
      },
    ],
  });
}

/** A linked companion logging in: success unless the phone removed it; a newer socket wins. */
function login(core: EmulatorCore, conn: ClientConnection, payload: proto.ClientPayload): void {
  const account = core.accounts.get(String(payload.username ?? ''));
  const device = account?.devices.get(Number(payload.device ?? 0));
  if (!account || !device || device.removed) {
    conn.send({ tag: 'failure', attrs: { reason: '401', location: 'emulator' } });
    conn.closeSoon();
    return;
  }
  const previous = core.connectionFor(device);
  previous?.streamError(undefined, { tag: 'conflict', attrs: { type: 'replaced' } });
  conn.device = device;
  conn.send({
    tag: 'success',
    attrs: { t: now(), lid: `${account.lidUser}:${device.deviceId}@lid`, props: '1', location: 'emulator' },
  });
  const pending = takeForLogin(device);
  for (const node of pending) conn.send(node);
  conn.send({ tag: 'ib', attrs: {}, content: [{ tag: 'offline', attrs: { count: String(pending.length) } }] });
  core.log('device logged in', { device: `${account.phone}:${device.deviceId}` });
}

export function onHello(core: EmulatorCore, conn: ClientConnection, payload: proto.ClientPayload, clientStatic: Buffer): void {
  if (payload.devicePairingData) register(conn, payload.devicePairingData, clientStatic);
  else login(core, conn, payload);
}
