import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, startServer, type TestServer, type TestUser } from '../support/app.js';
import { TEST_POSTGRES_URL } from '../support/postgres.js';

const providers: Array<'sqlite' | 'postgres'> = TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

for (const provider of providers) {
  describe(`stored contacts on ${provider}`, () => {
    let server: TestServer;
    let user: TestUser;
    let id: string;
    beforeAll(async () => {
      server = await startServer({ provider });
      user = await createUser(server);
      id = (await createInstance(server, user)).id;
      const save = (body: Record<string, unknown>) => server.request('POST', `/api/instances/${id}/contacts/save`, { as: user, body });
      for (let n = 0; n < 12; n++) expect((await save({ number: `7900555${String(n).padStart(4, '0')}`, name: `Person ${String(n).padStart(2, '0')}` })).status).toBe(200);
      await save({ number: '+1 (555) 123-4567', name: '100% Real', pushName: 'real_one' });
      await save({ number: '1234567890-1600000000', isGroup: true, name: 'Work group' });
      await save({ number: '120363000000000001@g.us', name: 'Family' });
    });
    afterAll(() => server.close());

    it('saves a contact in the spec shape and updates it in place', async () => {
      const first = await server.request('POST', `/api/whatsapp/${id}/contacts/save`, {
        as: user,
        body: { number: '+7 900 123-45-67', name: 'Hong Gildong', pushName: 'Gildong', isGroup: false, profilePicture: 'url-to-picture', about: 'status' },
      });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        id: expect.any(String),
        instanceId: id,
        name: 'Hong Gildong',
        number: '79001234567',
        remoteJid: '79001234567@s.whatsapp.net',
        lid: null,
        pushName: 'Gildong',
        isGroup: false,
        profilePicture: 'url-to-picture',
        about: 'status',
        lastActivity: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const second = await server.request('POST', `/api/instances/${id}/contacts/save`, { as: user, body: { number: '79001234567@c.us', about: 'busy' } });
      expect(second.body).toMatchObject({ id: first.body.id, name: 'Hong Gildong', about: 'busy' });
    });

    it('refuses a bad number naming the field', async () => {
      const res = await server.request('POST', `/api/instances/${id}/contacts/save`, { as: user, body: { number: '12', name: 'x' } });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'number', message: expect.stringMatching(/too short/) }]);
    });

    it('pages with total and hasMore', async () => {
      const page = await server.request('GET', `/api/instances/${id}/contacts/db?limit=5&skip=5&search=person`, { as: user });
      expect(page.status).toBe(200);
      expect(page.body.pagination).toEqual({ total: 12, limit: 5, skip: 5, hasMore: true });
      expect(page.body.contacts.map((c: { name: string }) => c.name)).toEqual(['Person 05', 'Person 06', 'Person 07', 'Person 08', 'Person 09']);
      const defaults = await server.request('GET', `/api/whatsapp/${id}/contacts/db`, { as: user });
      expect(defaults.body.pagination).toMatchObject({ limit: 100, skip: 0, hasMore: false });
    });

    it('searches name, push name and number, with % taken literally', async () => {
      const search = async (q: string) =>
        (await server.request('GET', `/api/instances/${id}/contacts/db?search=${encodeURIComponent(q)}`, { as: user })).body.contacts.map((c: { name: string }) => c.name);
      expect(await search('100%')).toEqual(['100% Real']);
      expect(await search('%')).toEqual(['100% Real']);
      expect(await search('REAL_ONE')).toEqual(['100% Real']);
      expect(await search('5551234')).toEqual(['100% Real']);
      expect(await search('_')).toEqual(['100% Real']);
    });

    it('filters groups', async () => {
      const res = await server.request('GET', `/api/instances/${id}/contacts/db?onlyGroups=true`, { as: user });
      expect(res.body.contacts.map((c: { remoteJid: string; isGroup: boolean }) => [c.remoteJid, c.isGroup])).toEqual([
        ['120363000000000001@g.us', true],
        ['1234567890-1600000000@g.us', true],
      ]);
    });

    it('rejects bad paging', async () => {
      expect((await server.request('GET', `/api/instances/${id}/contacts/db?limit=0`, { as: user })).status).toBe(400);
      expect((await server.request('GET', `/api/instances/${id}/contacts/db?limit=1001`, { as: user })).status).toBe(400);
    });
  });
}
