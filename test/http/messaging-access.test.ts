import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, multipart, startServer, type TestServer, type TestUser } from '../support/app.js';

let server: TestServer;
let owner: TestUser;
let stranger: TestUser;
let id: string;

beforeAll(async () => {
  server = await startServer();
  owner = await createUser(server);
  stranger = await createUser(server);
  id = (await createInstance(server, owner)).id;
});
afterAll(() => server.close());

const file = '3f1c2a7e-0000-4000-8000-000000000000.png';
/** The sends of issue 18, each with a valid body. */
const sends = (instanceId: string): Array<[string, unknown]> => [
  [`/api/whatsapp/${instanceId}/send-location`, { phone: '79001234567', latitude: 1, longitude: 2 }],
  [`/api/whatsapp/${instanceId}/send-contact`, { phone: '79001234567', contacts: [{ name: 'A', phone: '79001234568' }] }],
  [`/api/whatsapp/${instanceId}/send-poll`, { phone: '79001234567', question: 'Q', options: ['A', 'B'] }],
];
const routes = (instanceId: string): Array<[string, string, unknown?]> => [
  ['POST', `/api/whatsapp/${instanceId}/send`, { phone: '79001234567', message: 'hi' }],
  ['POST', `/api/whatsapp/${instanceId}/send-media`, { phone: '79001234567', url: 'https://example.com/a.png' }],
  ...sends(instanceId).map(([url, body]): [string, string, unknown] => ['POST', url, body]),
  ['POST', `/api/whatsapp/${instanceId}/messages/3EB0AAAA/reaction`, { emoji: '👍' }],
  ['PUT', `/api/whatsapp/${instanceId}/messages/3EB0AAAA`, { message: 'x' }],
  ['DELETE', `/api/whatsapp/${instanceId}/messages/3EB0AAAA`],
  ['POST', `/api/whatsapp/${instanceId}/messages/3EB0AAAA/forward`, { phone: '79001234567' }],
  ['POST', `/api/whatsapp/${instanceId}/read`, { chatId: '79001234567' }],
  ['POST', `/api/whatsapp/${instanceId}/presence`, { state: 'available' }],
  ['POST', `/api/whatsapp/${instanceId}/check-numbers`, { phones: ['79001234567'] }],
  ['GET', `/api/instances/${instanceId}/media/${file}`],
  ['GET', `/api/whatsapp/${instanceId}/contacts`],
  ['POST', `/api/whatsapp/${instanceId}/contacts/add`, { phone: '79001234567', name: 'x' }],
  ['GET', `/api/instances/${instanceId}/contacts/db`],
  ['GET', `/api/whatsapp/${instanceId}/contacts/db`],
  ['POST', `/api/instances/${instanceId}/contacts/import`],
  ['POST', `/api/whatsapp/${instanceId}/contacts/import`],
  ['POST', `/api/instances/${instanceId}/contacts/save`, { number: '79001234567' }],
  ['POST', `/api/whatsapp/${instanceId}/contacts/save`, { number: '79001234567' }],
  ['GET', `/api/instances/${instanceId}/chats`],
  ['POST', `/api/instances/${instanceId}/chats/79001234567/read`],
  ['GET', `/api/instances/${instanceId}/chats/79001234567/messages`],
  ['GET', `/api/instances/${instanceId}/events`],
];

describe('access to messaging routes', () => {
  it("answers 404 for another user's instance on every route", async () => {
    for (const [method, url, body] of routes(id)) {
      const res = await server.request(method, url, { as: stranger, body });
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.error).toMatch(/not found/i);
    }
    const upload = await server.request('POST', `/api/whatsapp/${id}/send-file`, { as: stranger, ...multipart({ phone: '79001234567' }, { name: 'a.txt', type: 'text/plain', data: Buffer.from('x') }) });
    expect(upload.status).toBe(404);
  });

  it('answers 401 without credentials', async () => {
    for (const [method, url, body] of routes(id)) {
      expect((await server.request(method, url, { body })).status, `${method} ${url}`).toBe(401);
    }
  });

  it('lets an admin use any instance', async () => {
    const res = await server.request('GET', `/api/instances/${id}/events`, { as: server.admin });
    expect(res.status).toBe(200);
  });
});

describe('sending without a connection', () => {
  it('answers 409 with a clear error', async () => {
    for (const [url, body] of [
      [`/api/whatsapp/${id}/send`, { phone: '79001234567', message: 'hi' }],
      [`/api/whatsapp/${id}/send-media`, { phone: '79001234567', url: 'https://example.com/a.png' }],
      ...sends(id),
    ] as Array<[string, unknown]>) {
      const res = await server.request('POST', url, { as: owner, body });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatch(/not connected/);
    }
    const upload = await server.request('POST', `/api/whatsapp/${id}/send-file`, { as: owner, ...multipart({ phone: '79001234567' }, { name: 'a.txt', type: 'text/plain', data: Buffer.from('x') }) });
    expect(upload.status).toBe(409);
  });

  it('validates the recipient first, naming phone', async () => {
    for (const phone of ['12', 'abc', '79001234567@example.com']) {
      const res = await server.request('POST', `/api/whatsapp/${id}/send`, { as: owner, body: { phone, message: 'hi' } });
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe('phone');
    }
    const missing = await server.request('POST', `/api/whatsapp/${id}/send`, { as: owner, body: { message: 'hi' } });
    expect(missing.body.details).toContainEqual({ field: 'phone', message: 'is required' });
  });

  it('refuses a send-file without multipart or without its fields', async () => {
    const json = await server.request('POST', `/api/whatsapp/${id}/send-file`, { as: owner, body: { phone: '79001234567' } });
    expect(json.status).toBe(400);
    expect(json.body.error).toMatch(/multipart\/form-data/);
    const noFile = await server.request('POST', `/api/whatsapp/${id}/send-file`, { as: owner, ...multipart({ phone: '79001234567' }) });
    expect(noFile.status).toBe(400);
    expect(noFile.body.details).toEqual([{ field: 'file', message: 'is required' }]);
    const noPhone = await server.request('POST', `/api/whatsapp/${id}/send-file`, { as: owner, ...multipart({}, { name: 'a.txt', type: 'text/plain', data: Buffer.from('x') }) });
    expect(noPhone.body.details).toEqual([{ field: 'phone', message: 'is required' }]);
  });
});

describe('history and events parameters', () => {
  it('refuses invalid dates with 400 naming them', async () => {
    const history = await server.request('GET', `/api/instances/${id}/chats/79001234567/messages?startDate=yesterday`, { as: owner });
    expect(history.status).toBe(400);
    expect(history.body.details).toEqual([{ field: 'startDate', message: expect.any(String) }]);
    const events = await server.request('GET', `/api/instances/${id}/events?since=2023-13-45T99:00:00Z`, { as: owner });
    expect(events.status).toBe(400);
    expect(events.body.details[0].field).toBe('since');
    const limit = await server.request('GET', `/api/instances/${id}/events?limit=1001`, { as: owner });
    expect(limit.status).toBe(400);
  });

  it('refuses a bad chat id naming it', async () => {
    const res = await server.request('GET', `/api/instances/${id}/chats/12/messages`, { as: owner });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('chatId');
  });

  it('answers an empty feed with since echoed back', async () => {
    const since = '2020-01-01T00:00:00.000Z';
    const res = await server.request('GET', `/api/instances/${id}/events?since=${since}&types=message_received`, { as: owner });
    expect(res.body).toEqual({ events: [], latestTimestamp: since, count: 0, hasMore: false });
  });
});
