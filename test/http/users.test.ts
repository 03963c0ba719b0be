import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, startServer, type TestServer } from '../support/app.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const newUser = (email: string) => ({ email, password: 'password-123', firstName: 'Jane', lastName: 'Doe' });

describe('POST /api/users', () => {
  it('creates a user with an API key that works at once', async () => {
    const res = await server.request('POST', '/api/users', { as: server.admin, body: newUser('jane@test.local') });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: 'jane@test.local', firstName: 'Jane', lastName: 'Doe', role: 'user', active: true });
    expect(res.body).not.toHaveProperty('passwordHash');
    const me = await server.request('GET', '/api/auth/me', { as: { apiKey: res.body.apiKey } });
    expect(me.body.email).toBe('jane@test.local');
  });

  it('answers 409 for a duplicate email, whatever its case', async () => {
    await server.request('POST', '/api/users', { as: server.admin, body: newUser('dup@test.local') });
    const res = await server.request('POST', '/api/users', { as: server.admin, body: newUser('DUP@test.local') });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/already exists/);
  });

  it('answers 400 naming the field for missing, wrong-typed and invalid fields', async () => {
    const missing = await server.request('POST', '/api/users', { as: server.admin, body: { email: 'x@test.local', password: 'password-123', firstName: 'X' } });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toContainEqual({ field: 'lastName', message: 'is required' });
    const wrongType = await server.request('POST', '/api/users', { as: server.admin, body: { ...newUser('y@test.local'), firstName: 42 } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.details[0].field).toBe('firstName');
    const badRole = await server.request('POST', '/api/users', { as: server.admin, body: { ...newUser('z@test.local'), role: 'root' } });
    expect(badRole.status).toBe(400);
    expect(badRole.body.details[0].field).toBe('role');
    const badEmail = await server.request('POST', '/api/users', { as: server.admin, body: newUser('not-an-email') });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.details[0].field).toBe('email');
  });

  it('is admin-only: 403 for a user, 401 without credentials', async () => {
    const user = await createUser(server);
    expect((await server.request('POST', '/api/users', { as: user, body: newUser('nope@test.local') })).status).toBe(403);
    expect((await server.request('GET', '/api/users', { as: user })).status).toBe(403);
    expect((await server.request('GET', `/api/users/${user.id}`, { as: user })).status).toBe(403);
    expect((await server.request('PUT', `/api/users/${user.id}`, { as: user, body: { role: 'admin' } })).status).toBe(403);
    expect((await server.request('DELETE', `/api/users/${user.id}`, { as: user })).status).toBe(403);
    expect((await server.request('GET', '/api/users')).status).toBe(401);
  });
});

describe('GET /api/users', () => {
  it('lists users with pagination and never exposes keys or hashes', async () => {
    await createUser(server);
    const res = await server.request('GET', '/api/users?limit=2&skip=0', { as: server.admin });
    expect(res.status).toBe(200);
    expect(res.body.users).toHaveLength(2);
    expect(res.body.pagination).toMatchObject({ limit: 2, skip: 0, hasMore: true });
    expect(JSON.stringify(res.body)).not.toMatch(/apiKey|passwordHash|wak_/);
  });

  it('answers 400 for a bad limit', async () => {
    const res = await server.request('GET', '/api/users?limit=abc', { as: server.admin });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('limit');
  });
});

describe('GET/PUT/DELETE /api/users/:id', () => {
  it('reads, updates and deletes a user', async () => {
    const user = await createUser(server);
    expect((await server.request('GET', `/api/users/${user.id}`, { as: server.admin })).body.email).toBe(user.email);
    const updated = await server.request('PUT', `/api/users/${user.id}`, { as: server.admin, body: { firstName: 'Renamed', role: 'admin' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ firstName: 'Renamed', role: 'admin' });
    const reset = await server.request('PUT', `/api/users/${user.id}`, { as: server.admin, body: { password: 'reset-password' } });
    expect(reset.status).toBe(200);
    expect((await server.request('POST', '/api/auth/login', { body: { email: user.email, password: 'reset-password' } })).status).toBe(200);
    const deleted = await server.request('DELETE', `/api/users/${user.id}`, { as: server.admin });
    expect(deleted.body).toEqual({ success: true, message: `User ${user.id} deleted successfully` });
    expect((await server.request('GET', `/api/users/${user.id}`, { as: server.admin })).status).toBe(404);
    expect((await server.request('GET', '/api/auth/me', { as: { apiKey: user.apiKey } })).status).toBe(401);
  });

  it('deletes the instances of a deleted user', async () => {
    const user = await createUser(server);
    const created = await server.request('POST', '/api/instances', { as: user, body: { name: 'doomed' } });
    await server.request('DELETE', `/api/users/${user.id}`, { as: server.admin });
    expect((await server.request('GET', `/api/instances/${created.body.id}`, { as: server.admin })).status).toBe(404);
  });

  it('answers 404 for an unknown user and 409 for an email taken by another', async () => {
    expect((await server.request('GET', '/api/users/no-such-user', { as: server.admin })).status).toBe(404);
    const a = await createUser(server);
    const b = await createUser(server);
    const res = await server.request('PUT', `/api/users/${b.id}`, { as: server.admin, body: { email: a.email } });
    expect(res.status).toBe(409);
  });

  it('keeps an admin from locking themselves out', async () => {
    expect((await server.request('PUT', `/api/users/${server.admin.id}`, { as: server.admin, body: { active: false } })).status).toBe(403);
    expect((await server.request('DELETE', `/api/users/${server.admin.id}`, { as: server.admin })).status).toBe(403);
  });

  it('answers 400 to an empty update', async () => {
    const user = await createUser(server);
    expect((await server.request('PUT', `/api/users/${user.id}`, { as: server.admin, body: {} })).status).toBe(400);
  });
});
