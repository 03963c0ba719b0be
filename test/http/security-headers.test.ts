import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, startServer, type TestServer } from '../support/app.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('security headers', () => {
  it('are helmet\'s, on successes, errors and unmatched URLs alike', async () => {
    const expected = {
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    };
    const user = await createUser(server);
    for (const response of [
      await server.request('GET', '/health'),
      await server.request('GET', '/api/auth/me', { as: user }),
      await server.request('GET', '/api/auth/me'),
      await server.request('GET', '/api/no-such-route'),
    ]) {
      expect(response.headers).toMatchObject(expected);
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('CORS: no origin is allowed by default; CORS_ORIGIN allows one, preflight included', async () => {
    const preflight = { origin: 'https://crm.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' };
    const closed = await server.request('OPTIONS', '/api/auth/me', { headers: preflight });
    expect(closed.headers['access-control-allow-origin']).toBeUndefined();
    const open = await startServer({ env: { CORS_ORIGIN: 'https://crm.example.com' } });
    try {
      const allowed = await open.request('OPTIONS', '/api/auth/me', { headers: preflight });
      expect(allowed.status).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://crm.example.com');
      const user = await createUser(open);
      const me = await open.request('GET', '/api/auth/me', { as: user, headers: { origin: 'https://crm.example.com' } });
      expect(me.headers['access-control-allow-origin']).toBe('https://crm.example.com');
    } finally {
      await open.close();
    }
  });
});
