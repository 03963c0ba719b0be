import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, startServer, type TestServer, type TestUser } from '../support/app.js';

/** Small enough to reach in a test; the default is 600. */
const DASHBOARD_LIMIT = 25;

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { DASHBOARD_RATE_LIMIT_PER_MINUTE: String(DASHBOARD_LIMIT) } });
});
afterAll(() => server.close());

/** Signs in as the dashboard does: a session cookie, sent back with the dashboard's header. */
async function dashboardSession(user: TestUser): Promise<Record<string, string>> {
  const login = await server.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password }, headers: { 'x-session': 'cookie' } });
  expect(login.status).toBe(200);
  return { cookie: String(login.headers['set-cookie']).split(';')[0], 'x-requested-with': 'dashboard' };
}

/** Read as an admin, whose own calls never count. */
async function apiCallsOf(instanceId: string): Promise<number> {
  const stats = await server.request('GET', `/api/stats/instances/${instanceId}`, { as: server.admin });
  expect(stats.status).toBe(200);
  return stats.body.usage.apiCalls;
}

/** What the dashboard's instance and chat pages poll. */
const pagesOf = (id: string) => [`/api/instances/${id}`, `/api/instances/${id}/status`, `/api/instances/${id}/chats`];

describe("the dashboard's own requests", () => {
  let user: TestUser;
  let id: string;
  let session: Record<string, string>;
  beforeAll(async () => {
    user = await createUser(server);
    id = (await createInstance(server, user)).id;
    session = await dashboardSession(user);
    expect((await server.request('PUT', `/api/instances/${id}/limits`, { as: server.admin, body: { maxApiCalls: 2 } })).status).toBe(200);
  });

  it('are not API calls: maxApiCalls neither counts nor refuses them, while API-key and token calls are counted and refused', async () => {
    for (let round = 0; round < 5; round++) {
      for (const url of pagesOf(id)) expect((await server.request('GET', url, { headers: session })).status, url).toBe(200);
    }
    expect(await apiCallsOf(id)).toBe(0);

    expect((await server.request('GET', `/api/instances/${id}`, { as: { apiKey: user.apiKey } })).status).toBe(200);
    expect((await server.request('GET', `/api/instances/${id}/chats`, { as: { token: user.token } })).status).toBe(200);
    const refused = await server.request('GET', `/api/instances/${id}/status`, { as: { apiKey: user.apiKey } });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ limit: 'maxApiCalls', value: 2, usage: 2 });
    expect(await apiCallsOf(id)).toBe(2);

    // The user's quota is spent, yet the dashboard still shows the instance.
    for (const url of pagesOf(id)) expect((await server.request('GET', url, { headers: session })).status, url).toBe(200);
    expect(await apiCallsOf(id)).toBe(2);
  });

  it('are bounded per user by DASHBOARD_RATE_LIMIT_PER_MINUTE, answered 429 in the error shape', async () => {
    // 18 made above; the rest of the minute's allowance, then a refusal.
    for (let n = 18; n < DASHBOARD_LIMIT; n++) expect((await server.request('GET', `/api/instances/${id}/status`, { headers: session })).status).toBe(200);
    const over = await server.request('GET', `/api/instances/${id}/status`, { headers: session });
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ error: expect.stringMatching(new RegExp(`at most ${DASHBOARD_LIMIT} a minute per user.*DASHBOARD_RATE_LIMIT_PER_MINUTE`)) });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(await apiCallsOf(id)).toBe(2);

    // Per user, and for the dashboard only: another user's dashboard and this user's API key go on.
    const other = await createUser(server);
    const otherInstance = await createInstance(server, other);
    expect((await server.request('GET', `/api/instances/${otherInstance.id}/status`, { headers: await dashboardSession(other) })).status).toBe(200);
    const free = await createInstance(server, user);
    expect((await server.request('GET', `/api/instances/${free.id}/status`, { as: { apiKey: user.apiKey } })).status).toBe(200);
  });
});

describe('a route with its own rate limit, from the dashboard', () => {
  it('keeps that limit: password changes stay at LOGIN_RATE_LIMIT_PER_MINUTE per address', async () => {
    const strict = await startServer({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3', DASHBOARD_RATE_LIMIT_PER_MINUTE: '100' } });
    try {
      const user = await createUser(strict);
      const login = await strict.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password }, headers: { 'x-session': 'cookie' } });
      const session = { cookie: String(login.headers['set-cookie']).split(';')[0], 'x-requested-with': 'dashboard' };
      const change = () => strict.request('POST', '/api/auth/password', { headers: session, body: { currentPassword: 'wrong-password-1', newPassword: 'new-password-22' } });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await change()).status);
      expect(statuses).toEqual([400, 400, 400]);
      const limited = await change();
      expect(limited.status).toBe(429);
      expect(limited.body.error).not.toMatch(/dashboard/i);
    } finally {
      await strict.close();
    }
  });
});
