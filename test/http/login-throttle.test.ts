import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createUser, startServer, type TestServer } from '../support/app.js';

const login = (server: TestServer, email: string, password: string, from?: string) =>
  server.request('POST', '/api/auth/login', { body: { email, password }, headers: from ? { 'x-forwarded-for': from } : {} });

const statuses = async (count: number, attempt: (i: number) => Promise<{ status: number }>) => {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await attempt(i)).status);
  return seen;
};

describe('the per-address login rate limit', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY says a proxy is in front', async () => {
    const server = await startServer({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      // The test server signed in once at start-up; every attempt names another (unknown) account.
      const seen = await statuses(4, (i) => login(server, `nobody${i}@test.local`, 'wrong-password', `198.51.100.${i + 1}`));
      expect(seen).toEqual([401, 401, 429, 429]);
      const limited = await login(server, 'nobody@test.local', 'wrong-password', '198.51.100.99');
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ error: expect.stringMatching(/^Rate limit exceeded/) });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('counts per forwarded client address behind a trusted proxy (TRUST_PROXY=1)', async () => {
    const server = await startServer({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1' } });
    try {
      expect(await statuses(4, (i) => login(server, `nobody${i}@test.local`, 'wrong-password', '203.0.113.1'))).toEqual([401, 401, 401, 429]);
      expect((await login(server, 'nobody@test.local', 'wrong-password', '203.0.113.2')).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});

describe('the per-account backoff', () => {
  let server: TestServer;
  let offset = 0;
  const later = (ms: number) => void (offset += ms);
  beforeAll(async () => {
    server = await startServer({ clock: () => Date.now() + offset, env: { TRUST_PROXY: 'true' } });
  });
  afterAll(() => server.close());

  const waitFor = (seconds: number) => ({ error: `Too many failed password attempts for this account: try again in ${seconds} s` });

  it('makes an account wait longer after each failure past five, and a correct password resets it', async () => {
    const user = await createUser(server);
    expect(await statuses(5, () => login(server, user.email, 'wrong-password', '192.0.2.1'))).toEqual([401, 401, 401, 401, 401]);
    const waiting = await login(server, user.email, user.password, '192.0.2.1');
    expect(waiting.status).toBe(429);
    expect(waiting.body).toEqual(waitFor(1));
    expect(waiting.headers['retry-after']).toBe('1');
    later(1000);
    expect((await login(server, user.email, 'wrong-password', '192.0.2.1')).status).toBe(401);
    const longer = await login(server, user.email, user.password, '192.0.2.1');
    expect(longer.status).toBe(429);
    expect(longer.body).toEqual(waitFor(2));
    later(2000);
    expect((await login(server, user.email, user.password, '192.0.2.1')).status).toBe(200);
    expect(await statuses(5, () => login(server, user.email, 'wrong-password', '192.0.2.1'))).toEqual([401, 401, 401, 401, 401]);
  });

  it('never waits more than a minute', async () => {
    const user = await createUser(server);
    for (let i = 0; i < 20; i++) {
      later(60_000);
      expect((await login(server, user.email, 'wrong-password', '192.0.2.2')).status).toBe(401);
    }
    const waiting = await login(server, user.email, user.password, '192.0.2.2');
    expect(waiting.body).toEqual(waitFor(60));
    later(60_000);
    expect((await login(server, user.email, user.password, '192.0.2.2')).status).toBe(200);
  });

  it('slows guesses from many addresses, but not the addresses the user signed in from', async () => {
    const user = await createUser(server);
    expect((await login(server, user.email, user.password, '192.0.2.10')).status).toBe(200);
    expect(await statuses(10, (i) => login(server, user.email, 'wrong-password', `198.51.100.${i + 10}`))).toEqual(Array(10).fill(401));
    const stranger = await login(server, user.email, user.password, '198.51.100.50');
    expect(stranger.status).toBe(429);
    expect(stranger.body).toEqual(waitFor(1));
    expect((await login(server, user.email, user.password, '192.0.2.10')).status).toBe(200);
  });

  it('applies to wrong current passwords on POST /api/auth/password', async () => {
    const user = await createUser(server);
    const change = (currentPassword: string) =>
      server.request('POST', '/api/auth/password', { as: user, body: { currentPassword, newPassword: 'a-new-password' }, headers: { 'x-forwarded-for': '192.0.2.20' } });
    expect(await statuses(5, () => change('wrong-password'))).toEqual([400, 400, 400, 400, 400]);
    const waiting = await change(user.password);
    expect(waiting.status).toBe(429);
    expect(waiting.body).toEqual(waitFor(1));
    expect((await login(server, user.email, user.password, '192.0.2.20')).status).toBe(429);
    later(1000);
    expect((await change(user.password)).status).toBe(200);
  });
});

describe('the admin account', () => {
  it('keeps its own backoff apart from other accounts', async () => {
    const server = await startServer();
    try {
      await statuses(5, () => login(server, 'someone-else@test.local', 'wrong-password'));
      expect((await login(server, ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
