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
});
