import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/logger.js';
import type { Engine, EngineSession } from '../../src/engines/engine.js';
import { createInstance, createUser, eventually, linkInstance, startServer, type TestServer, type TestUser } from '../support/app.js';

/** Error-level log lines, with what was logged beside the message. */
const errors: Array<{ obj: Record<string, unknown>; msg?: string }> = [];
const recording: Logger = {
  info() {},
  warn() {},
  debug() {},
  error(obj, msg) {
    if (typeof obj === 'object') errors.push({ obj: obj as Record<string, unknown>, msg });
  },
  child: () => recording,
};

/** An engine with a bug: every start throws the way the issue-15 session did. */
const brokenEngine: Engine = {
  name: 'baileys',
  createSession: () => {
    const session: Partial<EngineSession> = {
      start: async () => {
        const url: any = undefined;
        return url.protocol;
      },
      stop: async () => undefined,
      logout: async () => undefined,
    };
    return session as EngineSession;
  },
};

let server: TestServer;
let alice: TestUser;
beforeAll(async () => {
  server = await startServer({ logger: recording, baileysEngine: brokenEngine });
  alice = await createUser(server);
});
afterAll(() => server.close());

async function statusOf(id: string) {
  const res = await server.request('GET', `/api/instances/${id}/status`, { as: alice });
  expect(res.status).toBe(200);
  return res.body;
}

async function activity(id: string, query = ''): Promise<Array<{ action: string; details: Record<string, unknown> }>> {
  const res = await server.request('GET', `/api/instances/${id}/activity${query}`, { as: alice });
  expect(res.status).toBe(200);
  return res.body.logs;
}

describe('an unexpected exception inside an engine', () => {
  const message = "TypeError: Cannot read properties of undefined (reading 'protocol')";

  it('is logged with its stack, reported as an internal engine error and not retried', async () => {
    const { id } = await createInstance(server, alice, { engine: 'baileys' });
    await eventually(async () => (await statusOf(id)).status === 'failed', 5000, 'failed');
    expect((await statusOf(id)).connectionDetails).toEqual({ ready: false, status: 'failed', hasQr: false, lastDisconnect: { reason: 'engine_error', message } });
    const logs = await eventually(async () => {
      const rows = await activity(id, '?actions=failed');
      return rows.length > 0 && rows;
    }, 5000, 'the failed activity');
    expect(logs.map((l) => l.details)).toEqual([{ reason: 'engine_error', message }]);
    // A bug throws the same way on every attempt: no reconnect loop.
    expect(await activity(id, '?actions=reconnecting,disconnected')).toEqual([]);
    const logged = errors.find((e) => e.obj.instanceId === id);
    expect(logged?.msg).toMatch(/unexpected exception/);
    expect((logged?.obj.err as Error).stack).toContain('TypeError');
    expect((logged?.obj.err as Error).stack).toContain('engine-failures.test.ts');

    const feed = (await server.request('GET', `/api/instances/${id}/events?types=disconnected`, { as: alice })).body.events;
    expect(feed.map((e: { data: unknown }) => e.data)).toEqual([{ instanceId: id, reason: 'engine_error', willReconnect: false }]);
  });

  it('makes a reconnect answer 500 with success false and the reason, not success true', async () => {
    const { id } = await createInstance(server, alice, { engine: 'baileys' });
    await eventually(async () => (await statusOf(id)).status === 'failed', 5000, 'failed');
    const res = await server.request('POST', `/api/instances/${id}/reconnect`, { as: alice });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      success: false,
      message: `Instance ${id} did not reconnect: internal engine error (${message}); the server log has its stack. POST /api/instances/${id}/reconnect tries again`,
    });
  });
});

describe('POST /api/instances/:id/reconnect', () => {
  it('answers 502 with success false while the connection cannot be made, and says it keeps retrying', async () => {
    const { id } = await linkInstance(server, alice);
    const drop = await server.request('POST', `/api/simulator/instances/${id}/disconnect`, { as: alice, body: { reason: 'connection_lost', failReconnects: 1000 } });
    expect(drop.status).toBe(200);
    const res = await server.request('POST', `/api/instances/${id}/reconnect`, { as: alice });
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      success: false,
      message: `Instance ${id} did not reconnect: Simulated connection failure (connection_lost; it keeps retrying with backoff)`,
    });
    expect((await statusOf(id)).connectionDetails).toMatchObject({ status: 'reconnecting', lastDisconnect: { reason: 'connection_lost', message: 'Simulated connection failure' } });
    await server.request('DELETE', `/api/instances/${id}`, { as: alice });
  });

  it('answers success true once the instance is connected again, and the last disconnect is cleared', async () => {
    const { id } = await linkInstance(server, alice);
    await server.request('POST', `/api/simulator/instances/${id}/disconnect`, { as: alice, body: { reason: 'conflict' } });
    await eventually(async () => (await statusOf(id)).connectionDetails.lastDisconnect?.reason === 'conflict', 5000, 'conflict');
    const res = await server.request('POST', `/api/instances/${id}/reconnect`, { as: alice });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, message: `Instance ${id} reconnected` });
    expect((await statusOf(id)).connectionDetails).toEqual({ ready: true, status: 'connected', hasQr: false });
  });
});
