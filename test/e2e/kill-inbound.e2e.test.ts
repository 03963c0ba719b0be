import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WhatsAppEmulator } from '../../emulator/emulator.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, eventually } from '../support/app.js';
import { PROCESS_PROVIDERS as PROVIDERS, processDatabase } from '../support/postgres.js';
import { killAll, spawnServer, type ServerProcess } from '../support/server-process.js';

/** A process loads every module before it listens: seconds on a busy machine. */
const PROCESS_TIMEOUT = 180_000;
const PEER = '79001234567';
const BURST = 30;
/** Messages stored before the kill: the rest of the burst is in flight or still to come. */
const KILL_AFTER_STORED = 8;

let dataDir: string;
let emulator: WhatsAppEmulator;
const databases = processDatabase();
beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'wa-kill-inbound-'));
  emulator = await WhatsAppEmulator.start();
  emulator.addPeer(PEER, 'Ivan');
});
afterEach(async () => {
  killAll();
  await emulator.close();
  await databases.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The gateway as `npm start` runs it, talking to the emulator instead of WhatsApp. */
function gateway(database: Record<string, string>): ServerProcess {
  return spawnServer(dataDir, {
    ...database,
    WA_EMULATOR_ENABLED: 'true',
    WA_WEBSOCKET_URL: emulator.url,
    WA_EMULATOR_ROOT_KEY: emulator.rootPublicKey,
    WA_EMULATOR_MEDIA_CA: emulator.mediaCaPath,
  });
}

async function client(server: ServerProcess) {
  const url = await server.listening;
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) });
  const { token } = (await login.json()) as { token: string };
  return async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${url}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
}

type Call = Awaited<ReturnType<typeof client>>;

/** Ids of the stored messages of the chat with the peer, oldest first. */
async function history(call: Call, id: string): Promise<string[]> {
  const page = await call('GET', `/api/instances/${id}/chats/${PEER}/messages?limit=500`);
  return (page.body.messages as Array<{ messageId: string }>).map((m) => m.messageId).reverse();
}

for (const provider of PROVIDERS) describe(`kill -9 of a Baileys gateway while a peer writes to it (${provider})`, () => {
  it(
    'loses no message: after a restart every message the peer sent is in history exactly once',
    async () => {
      const database = await databases.env(provider);
      const first = gateway(database);
      const call = await client(first);
      const created = await call('POST', '/api/instances', { name: 'inbound', engine: 'baileys' });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const qr = await eventually(async () => {
        const res = await call('GET', `/api/instances/${id}/qr`);
        return res.status === 200 && (res.body.qrCode as string);
      }, 20_000, 'a QR code');
      const deviceJid = await emulator.scanQr(qr);
      await eventually(async () => (await call('GET', `/api/instances/${id}/status`)).body.ready === true, 20_000, 'connected');

      // The peer writes on while the gateway dies: it does not wait for the gateway.
      const sent: string[] = [];
      const burst = (async () => {
        for (let k = 0; k < BURST; k++) sent.push(await emulator.peerSend(PEER, { text: `burst ${k}` }));
      })();
      await eventually(async () => (await history(call, id)).length >= KILL_AFTER_STORED, 30_000, 'some messages stored');
      first.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      await burst;
      // What the device never acknowledged WhatsApp still holds: those come again after the restart.
      expect(emulator.unacked(deviceJid).every((m) => sent.includes(m))).toBe(true);

      const second = gateway(database);
      const call2 = await client(second);
      const stored = await eventually(async () => {
        const ids = await history(call2, id);
        return ids.length >= BURST && ids;
      }, 60_000, 'every message stored');
      // Exactly once: a copy delivered again of a message stored before the kill is not stored twice.
      expect([...stored].sort()).toEqual([...sent].sort());
      await eventually(() => emulator.unacked(deviceJid).length === 0, 10_000, 'every message acknowledged');
    },
    PROCESS_TIMEOUT,
  );
});
