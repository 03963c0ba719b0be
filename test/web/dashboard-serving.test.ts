import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../support/app.js';
import { buildDashboard } from './build-dashboard.js';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  dir = await buildDashboard();
  server = await startServer({ env: { DASHBOARD_DIR: dir } });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const dashboard = { 'x-requested-with': 'dashboard' };

async function cookieLogin(): Promise<string> {
  const res = await server.request('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, headers: { 'x-session': 'cookie' } });
  expect(res.status).toBe(200);
  const setCookie = String(res.headers['set-cookie']);
  expect(setCookie).toMatch(/^wa_session=[\w.-]+;/);
  return setCookie.split(';')[0];
}

describe('serving the dashboard', () => {
  it('sends index.html at / with no-cache and a CSP that forbids inline scripts', async () => {
    const res = await server.request('GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("img-src 'self' data: blob: https://*.whatsapp.net");
    // Message media is shown from blob: URLs made of what the session fetched; nothing else.
    expect(csp).toContain("media-src 'self' blob:");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.body).toContain('<div id="app"></div>');
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('serves hashed assets with a long immutable cache', async () => {
    const index = await server.request('GET', '/');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    expect(script).toBeTruthy();
    const res = await server.request('GET', script!);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await server.request('GET', '/assets/missing-abc123.js')).status).toBe(404);
  });

  it('answers client-side routes with index.html so a reload stays in the app', async () => {
    const res = await server.request('GET', '/instances/some-id/chat?chat=79001234567');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<div id="app"></div>');
  });

  it('leaves the API, docs and health alone: unknown API paths stay JSON 404s without the dashboard CSP', async () => {
    const missing = await server.request('GET', '/api/no-such-thing');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Route GET /api/no-such-thing not found' });
    const me = await server.request('GET', '/api/auth/me', { as: server.admin });
    expect(me.status).toBe(200);
    expect(me.headers['content-security-policy']).toBeUndefined();
    expect((await server.request('GET', '/docs/json')).status).toBe(200);
  });
});

describe('cookie session', () => {
  it('login with x-session: cookie sets an httpOnly, SameSite=Strict cookie scoped to /api', async () => {
    const res = await server.request('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, headers: { 'x-session': 'cookie' } });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/api/);
    expect(res.body.token).toBeTruthy();
  });

  it('a plain login sets no cookie', async () => {
    const res = await server.request('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('accepts the cookie only together with x-requested-with: dashboard', async () => {
    const cookie = await cookieLogin();
    const withHeader = await server.request('GET', '/api/auth/me', { headers: { cookie, ...dashboard } });
    expect(withHeader.status).toBe(200);
    expect(withHeader.body.email).toBe(ADMIN_EMAIL);
    const cookieOnly = await server.request('GET', '/api/auth/me', { headers: { cookie } });
    expect(cookieOnly.status).toBe(401);
    const forged = await server.request('GET', '/api/auth/me', { headers: { cookie: 'wa_session=abc.def.ghi', ...dashboard } });
    expect(forged.status).toBe(401);
  });

  it('logout clears the cookie', async () => {
    await cookieLogin();
    const res = await server.request('POST', '/api/auth/logout', { headers: dashboard });
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/^wa_session=;.*Expires=Thu, 01 Jan 1970/);
  });
});
