import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, eventually, startServer, type TestServer } from '../support/app.js';
import { TEST_POSTGRES_URL } from '../support/postgres.js';

// Users, instances and limits are answered from memory (src/services/store-cache.ts): each test
// reads once to fill the cache, changes through the API, and expects the very next request to
// see the change.

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const me = (as: { token?: string; apiKey?: string }) => server.request('GET', '/api/auth/me', { as });

describe('users read from the cache', () => {
  it('a deleted user is refused at once, by token and by API key', async () => {
    const user = await createUser(server);
    expect((await me({ token: user.token })).status).toBe(200);
    expect((await me({ apiKey: user.apiKey })).status).toBe(200);
    expect((await server.request('DELETE', `/api/users/${user.id}`, { as: server.admin })).status).toBe(200);
    expect((await me({ token: user.token })).status).toBe(401);
    expect((await me({ apiKey: user.apiKey })).status).toBe(401);
  });

  it('a rotated key stops working and the new one works at once, with the same session', async () => {
    const user = await createUser(server);
    expect((await me({ apiKey: user.apiKey })).status).toBe(200);
    const rotated = await server.request('POST', '/api/auth/api-key/rotate', { as: { token: user.token } });
    expect(rotated.status).toBe(200);
    expect((await me({ apiKey: user.apiKey })).status).toBe(401);
    expect((await me({ apiKey: rotated.body.apiKey })).status).toBe(200);
  });

  it('a reactivated user and a changed role apply at once', async () => {
    const user = await createUser(server);
    await server.request('PUT', `/api/users/${user.id}`, { as: server.admin, body: { active: false } });
    expect((await me({ apiKey: user.apiKey })).status).toBe(401);
    await server.request('PUT', `/api/users/${user.id}`, { as: server.admin, body: { active: true } });
    expect((await me({ apiKey: user.apiKey })).status).toBe(200);
    expect((await server.request('GET', '/api/users', { as: { apiKey: user.apiKey } })).status).toBe(403);
    await server.request('PUT', `/api/users/${user.id}`, { as: server.admin, body: { role: 'admin' } });
    expect((await server.request('GET', '/api/users', { as: { apiKey: user.apiKey } })).status).toBe(200);
  });
});

describe('instances read from the cache', () => {
  it('a renamed instance shows its new name and a deleted one is gone, at once', async () => {
    const user = await createUser(server);
    const { id } = await createInstance(server, user, { name: 'Before' });
    expect((await server.request('GET', `/api/instances/${id}`, { as: user })).body.name).toBe('Before');
    expect((await server.request('PUT', `/api/instances/${id}`, { as: user, body: { name: 'After' } })).status).toBe(200);
    expect((await server.request('GET', `/api/instances/${id}`, { as: user })).body.name).toBe('After');
    expect((await server.request('GET', `/api/whatsapp/${id}/status`, { as: user })).status).toBe(200);
    expect((await server.request('DELETE', `/api/instances/${id}`, { as: user })).status).toBe(200);
    expect((await server.request('GET', `/api/whatsapp/${id}/status`, { as: user })).status).toBe(404);
    expect((await server.request('GET', `/api/instances/${id}`, { as: server.admin })).status).toBe(404);
  });

  it('a deleted user\'s instances are gone at once, for an admin too', async () => {
    const user = await createUser(server);
    const { id } = await createInstance(server, user);
    expect((await server.request('GET', `/api/instances/${id}`, { as: server.admin })).status).toBe(200);
    expect((await server.request('DELETE', `/api/users/${user.id}`, { as: server.admin })).status).toBe(200);
    expect((await server.request('GET', `/api/instances/${id}`, { as: server.admin })).status).toBe(404);
  });
});

// Registered only where a PostgreSQL server is configured, like the store contract suites.
if (TEST_POSTGRES_URL) describe('reads racing writes', () => {
  it('on PostgreSQL, where reads run beside a write, never keep the old row', async () => {
    const pg = await startServer({ provider: 'postgres' });
    try {
      const user = await createUser(pg);
      const { id } = await createInstance(pg, user);
      for (let i = 0; i < 5; i++) {
        const reads = Array.from({ length: 10 }, () => pg.request('GET', `/api/instances/${id}`, { as: user }));
        const write = pg.request('PUT', `/api/instances/${id}`, { as: user, body: { name: `name ${i}` } });
        await Promise.all([...reads, write]);
        expect((await pg.request('GET', `/api/instances/${id}`, { as: user })).body.name).toBe(`name ${i}`);
      }
      const pgMe = () => pg.request('GET', '/api/auth/me', { as: { apiKey: user.apiKey } });
      await Promise.all([pgMe(), pg.request('PUT', `/api/users/${user.id}`, { as: pg.admin, body: { active: false } })]);
      expect((await pgMe()).status).toBe(401);
    } finally {
      await pg.close();
    }
  });
});

describe('limits read from the cache', () => {
  it('maxApiCalls set or lifted at any level applies to the next call', async () => {
    const user = await createUser(server);
    const { id } = await createInstance(server, user);
    const status = () => server.request('GET', `/api/whatsapp/${id}/status`, { as: user });
    expect((await status()).status).toBe(200);

    const levels = [`/api/instances/${id}/limits`, `/api/users/${user.id}/limits`, '/api/limits/default'];
    for (const url of levels) {
      expect((await server.request('PUT', url, { as: server.admin, body: { maxApiCalls: 0 } })).status).toBe(200);
      expect((await status()).status).toBe(429);
      expect((await server.request('PUT', url, { as: server.admin, body: { maxApiCalls: null } })).status).toBe(200);
      expect((await status()).status).toBe(200);
    }
  });
});

// Several nodes share a server database; one SQLite file admits one process (test/db/sqlite-lock.test.ts).
describe.runIf(TEST_POSTGRES_URL)('another node on the same PostgreSQL database', () => {
  it('its changes are seen here within CACHE_TTL_MS', async () => {
    const here = await startServer({ provider: 'postgres', env: { CACHE_TTL_MS: '200' } });
    const there = await startServer({ env: { CACHE_TTL_MS: '200', DATABASE_PROVIDER: 'postgres', DATABASE_URL: here.config.database.url! } });
    try {
      const user = await createUser(there);
      expect((await here.request('GET', '/api/auth/me', { as: { apiKey: user.apiKey } })).status).toBe(200);
      await there.request('PUT', `/api/users/${user.id}`, { as: there.admin, body: { active: false } });
      await eventually(async () => (await here.request('GET', '/api/auth/me', { as: { apiKey: user.apiKey } })).status === 401, 3000, 'deactivation seen by the other node');
      const other = await createUser(there);
      expect((await here.request('GET', '/api/auth/me', { as: { token: other.token } })).status).toBe(200);
      await there.request('POST', '/api/auth/password', { as: other, body: { currentPassword: other.password, newPassword: 'changed-elsewhere' } });
      await eventually(async () => (await here.request('GET', '/api/auth/me', { as: { token: other.token } })).status === 401, 3000, 'the password change seen by the other node');
    } finally {
      await there.close();
      await here.close();
    }
  });
});
