import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createUser, startServer, type TestServer } from '../support/app.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('POST /api/auth/login', () => {
  it('returns a token and the user with their API key', async () => {
    const res = await server.request('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(res.body.user).toMatchObject({ email: ADMIN_EMAIL, firstName: 'Admin', lastName: 'User', apiKey: expect.stringMatching(/^wak_/) });
    expect(res.body.user.id).toBe(server.admin.id);
  });

  it('answers 401 for a wrong password and for an unknown email', async () => {
    const wrong = await server.request('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: 'nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatch(/invalid email or password/i);
    const unknown = await server.request('POST', '/api/auth/login', { body: { email: 'ghost@test.local', password: 'whatever1' } });
    expect(unknown.status).toBe(401);
  });

  it('answers 400 naming the missing field', async () => {
    const res = await server.request('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL } });
    expect(res.status).toBe(400);
    expect(res.body.details).toContainEqual({ field: 'password', message: 'is required' });
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await server.request('POST', '/api/auth/login', { payload: '{"email":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/malformed json/i);
  });

  it('refuses a deactivated user', async () => {
    const user = await createUser(server);
    await server.request('PUT', `/api/users/${user.id}`, { as: server.admin, body: { active: false } });
    const res = await server.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/deactivated/);
  });
});

describe('login rate limit', () => {
  it('answers 429 after too many attempts in a minute', async () => {
    const limited = await startServer({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await limited.request('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: 'wrong-password' } })).status);
      }
      // The test server itself logged in once at start-up.
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
      const res = await limited.request('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
      expect(res.status).toBe(429);
      expect(res.body.error).toBeTruthy();
    } finally {
      await limited.close();
    }
  });
});

describe('GET /api/auth/me', () => {
  it('accepts a bearer token', async () => {
    const res = await server.request('GET', '/api/auth/me', { as: { token: server.admin.token } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: server.admin.id, email: ADMIN_EMAIL, firstName: 'Admin', lastName: 'User' });
  });

  it('accepts an API key', async () => {
    const res = await server.request('GET', '/api/auth/me', { as: { apiKey: server.admin.apiKey } });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(server.admin.id);
  });

  it('answers 401 without credentials, with a bad API key, a bad token or an expired token', async () => {
    expect((await server.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await server.request('GET', '/api/auth/me', { as: { apiKey: 'wak_not-a-real-key' } })).status).toBe(401);
    expect((await server.request('GET', '/api/auth/me', { as: { token: 'abc.def.ghi' } })).status).toBe(401);
    const key = new TextEncoder().encode(server.config.jwt.secret);
    const expired = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(server.admin.id)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(key);
    const res = await server.request('GET', '/api/auth/me', { as: { token: expired } });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/expired/i);
  });

  it('answers 401 to a deactivated user who still holds a token and an API key', async () => {
    const user = await createUser(server);
    expect((await server.request('GET', '/api/auth/me', { as: { token: user.token } })).status).toBe(200);
    await server.request('PUT', `/api/users/${user.id}`, { as: server.admin, body: { active: false } });
    expect((await server.request('GET', '/api/auth/me', { as: { token: user.token } })).status).toBe(401);
    expect((await server.request('GET', '/api/auth/me', { as: { apiKey: user.apiKey } })).status).toBe(401);
  });

  it('honours JWT_EXPIRATION', async () => {
    const short = await startServer({ env: { JWT_EXPIRATION: '1s' } });
    try {
      await new Promise((r) => setTimeout(r, 2100));
      const res = await short.request('GET', '/api/auth/me', { as: { token: short.admin.token } });
      expect(res.status).toBe(401);
    } finally {
      await short.close();
    }
  });
});

describe('tokens issued before a password change', () => {
  const revoked = { error: 'Token revoked: the password was changed since it was issued; log in again' };
  const login = async (email: string, password: string, headers: Record<string, string> = {}) =>
    server.request('POST', '/api/auth/login', { body: { email, password }, headers });
  const me = (credentials: { token?: string; apiKey?: string }) => server.request('GET', '/api/auth/me', { as: credentials });

  it('stop working after the user changes it; the changing request gets a fresh token', async () => {
    const user = await createUser(server);
    const other = (await login(user.email, user.password)).body.token;
    const changed = await server.request('POST', '/api/auth/password', { as: { token: user.token }, body: { currentPassword: user.password, newPassword: 'changed-pass-1' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ success: true, token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });
    for (const token of [user.token, other]) {
      const res = await me({ token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(revoked);
    }
    expect((await me({ token: changed.body.token })).body.id).toBe(user.id);
    expect((await me({ apiKey: user.apiKey })).status).toBe(200);
  });

  it('stop working after an admin resets it', async () => {
    const user = await createUser(server);
    expect((await server.request('PUT', `/api/users/${user.id}`, { as: server.admin, body: { password: 'reset-by-admin-1' } })).status).toBe(200);
    const res = await me({ token: user.token });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(revoked);
    expect((await me({ token: (await login(user.email, 'reset-by-admin-1')).body.token })).status).toBe(200);
  });

  it("end the dashboard's other cookie sessions and renew the one that changed it", async () => {
    const user = await createUser(server);
    const cookieOf = async (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0];
    const session = await cookieOf(await login(user.email, user.password, { 'x-session': 'cookie' }));
    const otherSession = await cookieOf(await login(user.email, user.password, { 'x-session': 'cookie' }));
    const dashboard = (cookie: string) => ({ cookie, 'x-requested-with': 'dashboard' });
    const changed = await server.request('POST', '/api/auth/password', { headers: dashboard(session), body: { currentPassword: user.password, newPassword: 'changed-pass-2' } });
    expect(changed.status).toBe(200);
    const renewed = await cookieOf(changed);
    expect(renewed).toBe(`wa_session=${changed.body.token}`);
    expect((await server.request('GET', '/api/auth/me', { headers: dashboard(renewed) })).status).toBe(200);
    for (const cookie of [session, otherSession]) {
      const res = await server.request('GET', '/api/auth/me', { headers: dashboard(cookie) });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(revoked);
    }
  });
});

describe('own account', () => {
  it('POST /api/auth/api-key/rotate replaces the key; the old one stops working', async () => {
    const user = await createUser(server);
    const res = await server.request('POST', '/api/auth/api-key/rotate', { as: { apiKey: user.apiKey } });
    expect(res.status).toBe(200);
    expect(res.body.apiKey).not.toBe(user.apiKey);
    expect((await server.request('GET', '/api/auth/me', { as: { apiKey: user.apiKey } })).status).toBe(401);
    expect((await server.request('GET', '/api/auth/me', { as: { apiKey: res.body.apiKey } })).status).toBe(200);
  });

  it('POST /api/auth/password checks the current password and changes it', async () => {
    const user = await createUser(server);
    const bad = await server.request('POST', '/api/auth/password', { as: user, body: { currentPassword: 'wrong-one', newPassword: 'brand-new-pass' } });
    expect(bad.status).toBe(400);
    const short = await server.request('POST', '/api/auth/password', { as: user, body: { currentPassword: user.password, newPassword: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.details[0].field).toBe('password');
    const ok = await server.request('POST', '/api/auth/password', { as: user, body: { currentPassword: user.password, newPassword: 'brand-new-pass' } });
    expect(ok.status).toBe(200);
    expect((await server.request('POST', '/api/auth/login', { body: { email: user.email, password: 'brand-new-pass' } })).status).toBe(200);
    expect((await server.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(401);
  });
});
