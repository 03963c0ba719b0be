import { describe, expect, it } from 'vitest';
import { createInstance, createUser, startServer } from '../support/app.js';
import { TEST_POSTGRES_URL } from '../support/postgres.js';

const providers: Array<'sqlite' | 'postgres'> = TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

for (const provider of providers) {
  describe(`restart on ${provider}`, () => {
    it('keeps users, credentials, instances and webhook settings', async () => {
      let server = await startServer({ provider });
      try {
        const user = await createUser(server);
        const instance = await createInstance(server, user, { name: 'survivor', webhookUrl: 'https://example.com/h', webhookSecret: 's3cret', headers: { 'X-A': 'b' } });
        await server.request('PUT', `/api/instances/${instance.id}`, { as: user, body: { description: 'after update' } });

        server = await server.restart();

        expect((await server.request('GET', '/api/auth/me', { as: { apiKey: user.apiKey } })).status).toBe(200);
        expect((await server.request('GET', '/api/auth/me', { as: { token: user.token } })).status).toBe(200);
        const login = await server.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
        expect(login.body.user.apiKey).toBe(user.apiKey);
        const read = await server.request('GET', `/api/instances/${instance.id}`, { as: user });
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ name: 'survivor', description: 'after update', webhookUrl: 'https://example.com/h' });
        expect(read.body.webhookSettings).toMatchObject({ secret: 's3cret', headers: { 'X-A': 'b' } });
      } finally {
        await server.close();
      }
    });
  });
}
