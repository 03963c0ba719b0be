import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, EngineSession } from '../../src/engines/engine.js';
import { createInstance, createUser, eventually, startServer, type TestServer, type TestUser } from '../support/app.js';

/** Per instance, how often its session was disposed; sessions show a QR code and wait. */
const disposed = new Map<string, number>();
const waitingEngine: Engine = {
  name: 'baileys',
  createSession: (ctx) => {
    disposed.set(ctx.instanceId, 0);
    const session: Partial<EngineSession> = {
      start: async () => ctx.emit({ type: 'qr', qr: 'scan-me' }),
      stop: async () => undefined,
      logout: async () => undefined,
      dispose: () => void disposed.set(ctx.instanceId, (disposed.get(ctx.instanceId) ?? 0) + 1),
    };
    return session as EngineSession;
  },
};

let server: TestServer;
let alice: TestUser;
beforeAll(async () => {
  server = await startServer({ baileysEngine: waitingEngine });
  alice = await createUser(server);
});
afterAll(() => server.close());

const hasQr = async (id: string) => (await server.request('GET', `/api/whatsapp/${id}/status`, { as: alice })).body.hasQr === true;

describe("a session's caches and timers (issue 25)", () => {
  it('are kept across a logout, which reuses the session', async () => {
    const { id } = await createInstance(server, alice, { engine: 'baileys' });
    await eventually(() => hasQr(id), 5000, 'QR');
    expect((await server.request('POST', `/api/instances/${id}/logout`, { as: alice })).status).toBe(200);
    expect(disposed.get(id)).toBe(0);
  });

  it('are freed once when the instance is deleted', async () => {
    const { id } = await createInstance(server, alice, { engine: 'baileys' });
    await eventually(() => hasQr(id), 5000, 'QR');
    expect((await server.request('DELETE', `/api/instances/${id}`, { as: alice })).status).toBe(200);
    expect(disposed.get(id)).toBe(1);
  });
});
