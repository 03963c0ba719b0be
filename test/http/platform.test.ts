import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/app.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('GET /health and /ready', () => {
  it('answer without auth', async () => {
    expect(await server.request('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await server.request('GET', '/ready')).toMatchObject({ status: 200, body: { status: 'ok', database: 'sqlite' } });
  });
});

describe('unknown routes', () => {
  it('answer a JSON 404', async () => {
    const res = await server.request('GET', '/api/nothing-here', { as: server.admin });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/not found/i);
  });
});

describe('request size', () => {
  it('answers 413 with a JSON error for a body over the limit', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(server.config.http.bodyLimitBytes + 10) });
    const res = await server.request('POST', '/api/instances', { as: server.admin, payload: big, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.body.error).toBeTruthy();
  });
});

describe('API docs', () => {
  it('serves an OpenAPI 3 document with both auth schemes and every route', async () => {
    const res = await server.request('GET', '/docs/json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.components.securitySchemes).sort()).toEqual(['apiKey', 'bearerAuth']);
    const routes = server.app.printRoutes({ commonPrefix: false });
    const documented = Object.keys(res.body.paths);
    for (const path of ['/api/auth/login', '/api/auth/me', '/api/users', '/api/users/{id}', '/api/instances', '/api/instances/{id}', '/api/instances/{id}/status']) {
      expect(documented, path).toContain(path);
    }
    expect(routes).toContain('instances');
  });

  it('serves the UI at /docs', async () => {
    const res = await server.request('GET', '/docs/');
    expect(res.status).toBe(200);
    expect(String(res.body)).toContain('swagger');
  });
});
