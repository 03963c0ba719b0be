import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, linkInstance, multipart, startServer, type TestServer, type TestUser } from '../support/app.js';
import { TEST_POSTGRES_URL } from '../support/postgres.js';

let server: TestServer;
let alice: TestUser;
beforeAll(async () => {
  server = await startServer();
  alice = await createUser(server);
});
afterAll(() => server.close());

const EMPTY_JSON = { payload: '', headers: { 'content-type': 'application/json' } };
const INVALID = expect.stringMatching(/^Invalid request: /);

describe('send-file forms', () => {
  let id: string;
  beforeAll(async () => {
    ({ id } = await linkInstance(server, alice));
  });
  const sendFile = (payload: Buffer | string, contentType: string) =>
    server.request('POST', `/api/whatsapp/${id}/send-file`, { as: alice, payload, headers: { 'content-type': contentType } });

  it('answers 400 for a form without a boundary', async () => {
    const { payload } = multipart({ phone: '79001234567' }, { name: 'a.txt', type: 'text/plain', data: Buffer.from('x') });
    const res = await sendFile(payload, 'multipart/form-data');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringMatching(/^Malformed multipart\/form-data body: .*phone, file and optionally caption, kind, quotedMessageId and mentions$/) });
  });

  it('answers 400 for a form cut off before its closing boundary', async () => {
    const { payload, headers } = multipart({ phone: '79001234567' }, { name: 'a.txt', type: 'text/plain', data: Buffer.from('hello') });
    const cut = payload.subarray(0, payload.length - 20);
    const res = await sendFile(cut, headers['content-type']);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringMatching(/^Malformed multipart\/form-data body: /) });
  });

  it('answers 400, not 413, for two files', async () => {
    const { payload, headers } = multipart({ phone: '79001234567' }, { name: 'a.txt', type: 'text/plain', data: Buffer.from('a') });
    const boundary = headers['content-type'].split('boundary=')[1];
    const second = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.txt"\r\nContent-Type: text/plain\r\n\r\nb\r\n`);
    const twoFiles = Buffer.concat([second, payload]);
    const res = await sendFile(twoFiles, headers['content-type']);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'send-file takes exactly one file, in the field file', details: [{ field: 'file', message: 'must be a single file' }] });
  });

  it('answers 400 naming form fields it does not know', async () => {
    const form = multipart({ phone: '79001234567', captoin: 'typo' }, { name: 'a.txt', type: 'text/plain', data: Buffer.from('a') });
    const res = await sendFile(form.payload, form.headers['content-type']);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'captoin', message: 'is not a known field (allowed: phone, caption, kind, quotedMessageId, mentions, file)' }]);
  });
});

describe('POST routes that need no body', () => {
  it('accept no body and an empty body sent as application/json', async () => {
    const { id } = await createInstance(server, alice, { webhookUrl: 'http://127.0.0.1:9/hook', webhookEnabled: true });
    const scan = await server.request('POST', `/api/simulator/instances/${id}/scan`, { as: alice, ...EMPTY_JSON });
    expect(scan.status).toBe(200);
    expect(scan.body).toEqual({ success: true, phone: expect.stringMatching(/@s\.whatsapp\.net$/) });
    for (const path of [`/api/instances/${id}/reconnect`, `/api/instances/${id}/logout`, `/api/whatsapp/${id}/logout`]) {
      for (const request of [EMPTY_JSON, {}]) {
        const res = await server.request('POST', path, { as: alice, ...request });
        expect(res.status, path).toBe(200);
        expect(res.body.success, path).toBe(true);
      }
    }
    const test = await server.request('POST', `/api/instances/${id}/webhook/test`, { as: alice, ...EMPTY_JSON });
    expect(test.status).toBe(202);
    expect(test.body.deliveryId).toEqual(expect.any(String));
    const rotate = await server.request('POST', '/api/auth/api-key/rotate', { as: { token: alice.token }, ...EMPTY_JSON });
    expect(rotate.status).toBe(200);
    expect(rotate.body).toEqual({ apiKey: expect.any(String) });
    alice.apiKey = rotate.body.apiKey;
  });

  it('still answer 400 for a body that is not JSON', async () => {
    const res = await server.request('POST', '/api/auth/api-key/rotate', { as: { token: alice.token }, payload: '{', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringMatching(/^Malformed JSON body: /) });
  });

  it('leave routes that need a body saying which fields it needs', async () => {
    const { id } = await createInstance(server, alice);
    const res = await server.request('POST', `/api/whatsapp/${id}/send`, { as: alice, ...EMPTY_JSON });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'A JSON body is required, with the fields phone, message',
      details: [
        { field: 'phone', message: 'is required' },
        { field: 'message', message: 'is required' },
      ],
    });
  });
});

describe('URLs Fastify cannot decode', () => {
  it('answer 400 in our error shape', async () => {
    const res = await server.request('GET', '/api/instances/%E0%A4%A', { as: alice });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringMatching(/^Malformed URL: .*percent-encoding/) });
  });
});

describe('unknown fields', () => {
  it('are refused on update, naming them and what is allowed, and change nothing', async () => {
    const { id } = await createInstance(server, alice, { webhookUrl: 'https://example.com/old' });
    const res = await server.request('PUT', `/api/instances/${id}`, { as: alice, body: { webhookURL: 'https://example.com/new' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^Invalid request: body\.webhookURL is not a known field \(allowed: name, description, webhookUrl, /);
    expect(res.body.details).toEqual([{ field: 'webhookURL', message: expect.stringMatching(/^is not a known field \(allowed: .*webhookSettings\)$/) }]);
    const nested = await server.request('PUT', `/api/instances/${id}`, { as: alice, body: { webhookSettings: { retries: 3 } } });
    expect(nested.status).toBe(400);
    expect(nested.body.details).toEqual([{ field: 'webhookSettings.retries', message: expect.stringMatching(/^is not a known field/) }]);
    expect((await server.request('GET', `/api/instances/${id}`, { as: alice })).body.webhookUrl).toBe('https://example.com/old');
  });

  it('are refused on create, all of them at once', async () => {
    const res = await server.request('POST', '/api/instances', { as: alice, body: { name: 'x', colour: 'red', size: 2 } });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['colour', 'size']);
  });

  it('are refused in query strings', async () => {
    const res = await server.request('GET', '/api/users?limt=5', { as: server.admin });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid request: querystring.limt is not a known field (allowed: limit, skip)', details: [{ field: 'limt', message: 'is not a known field (allowed: limit, skip)' }] });
  });
});

describe('instance webhook fields, one set of names on create and update', () => {
  const settingsOf = async (id: string) => (await server.request('GET', `/api/instances/${id}`, { as: alice })).body;

  it('takes webhookUrl, webhookEnabled and the secret inside webhookSettings on update', async () => {
    const { id } = await createInstance(server, alice);
    const res = await server.request('PUT', `/api/instances/${id}`, {
      as: alice,
      body: { webhookSettings: { webhookUrl: 'https://example.com/in', webhookEnabled: true, webhookSecret: 's1', maxRetries: 5 } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ webhookUrl: 'https://example.com/in', webhookEnabled: true });
    const view = await settingsOf(id);
    expect(view.webhookSettings).toMatchObject({ secret: 's1', maxRetries: 5 });
    const spec = await server.request('PUT', `/api/instances/${id}`, { as: alice, body: { webhookSettings: { secret: 's2' } } });
    expect(spec.status).toBe(200);
    expect((await settingsOf(id)).webhookSettings.secret).toBe('s2');
  });

  it('takes the create names at the top level of an update', async () => {
    const { id } = await createInstance(server, alice);
    const res = await server.request('PUT', `/api/instances/${id}`, { as: alice, body: { webhookSecret: 'top', notifyRead: true, headers: { 'X-Tenant': 'a' } } });
    expect(res.status).toBe(200);
    expect((await settingsOf(id)).webhookSettings).toMatchObject({ secret: 'top', notifyRead: true, headers: { 'X-Tenant': 'a' } });
  });

  it('takes webhookSettings on create', async () => {
    const { id } = await createInstance(server, alice, { webhookSettings: { webhookUrl: 'https://example.com/c', secret: 'c1', notifyDelivery: true } });
    const view = await settingsOf(id);
    expect(view.webhookUrl).toBe('https://example.com/c');
    expect(view.webhookSettings).toMatchObject({ secret: 'c1', notifyDelivery: true });
  });

  it('refuses a field given twice', async () => {
    const { id } = await createInstance(server, alice);
    const res = await server.request('PUT', `/api/instances/${id}`, {
      as: alice,
      body: { webhookUrl: 'https://example.com/a', webhookSettings: { webhookUrl: 'https://example.com/b', secret: 'x', webhookSecret: 'y' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'webhookSettings.secret', message: 'is also given as webhookSettings.webhookSecret; give it once' },
      { field: 'webhookSettings.webhookUrl', message: 'is also given as webhookUrl; give it once' },
    ]);
  });
});

describe('webhook headers', () => {
  it.each([
    [{ 'Bad Name': 'x' }, 'headers.Bad Name', /no spaces/],
    [{ '': 'x' }, 'headers.', /empty name/],
    [{ 'X-Evil': 'a\r\nInjected: 1' }, 'headers.X-Evil', /no CR, LF or NUL/],
    [{ 'X-Empty': '' }, 'headers.X-Empty', /must not be empty/],
    [{ 'X-Webhook-Signature': 'forged' }, 'headers.X-Webhook-Signature', /server sets itself/],
    [{ Connection: 'close' }, 'headers.Connection', /server sets itself/],
    [{ 'X-A': '1', 'x-a': '2' }, 'headers.x-a', /same header as X-A/],
  ])('%j is refused on create and update', async (headers, field, message) => {
    const created = await server.request('POST', '/api/instances', { as: alice, body: { name: 'h', headers } });
    expect(created.status).toBe(400);
    expect(created.body.error).toMatch(/^Invalid webhook headers: /);
    expect(created.body.details).toEqual([{ field, message: expect.stringMatching(message) }]);
    const { id } = await createInstance(server, alice);
    const updated = await server.request('PUT', `/api/instances/${id}`, { as: alice, body: { webhookSettings: { headers } } });
    expect(updated.status).toBe(400);
    expect(updated.body.details).toEqual([{ field, message: expect.stringMatching(message) }]);
  });

  it('accepts valid ones', async () => {
    const res = await server.request('POST', '/api/instances', { as: alice, body: { name: 'h', headers: { Authorization: 'Bearer abc', 'X-Tenant': 'café' } } });
    expect(res.status).toBe(201);
  });
});

describe('allowed values', () => {
  it('an unknown engine names them', async () => {
    const res = await server.request('POST', '/api/instances', { as: alice, body: { name: 'x', engine: 'selenium' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid request: body.engine must be one of: baileys, simulator', details: [{ field: 'engine', message: 'must be one of: baileys, simulator' }] });
  });

  it('an unknown period names them', async () => {
    const res = await server.request('GET', '/api/stats/user?period=decade', { as: alice });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'period', message: 'must be one of: week, month, year, all' }]);
  });

  it('a nullable field too long says so once', async () => {
    const res = await server.request('POST', '/api/instances', { as: alice, body: { name: 'x', webhookUrl: `https://example.com/${'a'.repeat(2048)}` } });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'webhookUrl', message: 'must NOT have more than 2048 characters (or null)' }]);
  });

  it('unknown event types name the known ones', async () => {
    const { id } = await createInstance(server, alice);
    const res = await server.request('GET', `/api/instances/${id}/events?types=message_sent,bogus`, { as: alice });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'types', message: expect.stringMatching(/^lists unknown event types \(bogus\); known: message_received, message_sent, /) }]);
    expect(res.body.error).toMatch(/^types lists unknown event types/);
  });
});

describe('group JIDs', () => {
  it.each(['123@g.us', '123456789-1612345678@g.us'])('%s is valid', async (jid) => {
    const { id } = await createInstance(server, alice);
    const res = await server.request('POST', `/api/instances/${id}/contacts/save`, { as: alice, body: { number: jid, name: 'Group' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ remoteJid: jid, isGroup: true });
  });
});

describe('paging bounds', () => {
  let id: string;
  beforeAll(async () => {
    ({ id } = await createInstance(server, alice));
  });
  const paged = () => [
    '/api/users',
    `/api/instances/${id}/chats/79001234567/messages`,
    `/api/instances/${id}/activity`,
    `/api/instances/${id}/contacts/db`,
    `/api/whatsapp/${id}/contacts/db`,
    `/api/instances/${id}/webhook/deliveries`,
  ];

  it.each(['99999999999999999999', '1e308', '-1', '1.5'])('skip=%s is a 400 naming skip and its range on every paged route', async (skip) => {
    for (const path of paged()) {
      const res = await server.request('GET', `${path}?skip=${skip}`, { as: server.admin });
      expect(res.status, path).toBe(400);
      expect(res.body.details, path).toEqual([{ field: 'skip', message: expect.stringMatching(/must be (an integer from 0 to 1000000000|integer)/) }]);
    }
  });

  it('limit beyond its maximum names the range', async () => {
    for (const path of [...paged(), `/api/instances/${id}/events`]) {
      const res = await server.request('GET', `${path}?limit=1e308`, { as: server.admin });
      expect(res.status, path).toBe(400);
      expect(res.body).toEqual({ error: INVALID, details: [{ field: 'limit', message: expect.stringMatching(/^must be an integer from 1 to \d+$/) }] });
    }
  });

  it.each(TEST_POSTGRES_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const))('the largest skip answers an empty page on %s', async (provider) => {
    const db = provider === 'sqlite' ? server : await startServer({ provider });
    try {
      const admin = db.admin;
      const { id: own } = await createInstance(db, admin);
      for (const path of ['/api/users', `/api/instances/${own}/chats/79001234567/messages`, `/api/instances/${own}/activity`, `/api/instances/${own}/contacts/db`, `/api/instances/${own}/webhook/deliveries`]) {
        const res = await db.request('GET', `${path}?skip=1000000000`, { as: admin });
        expect(res.status, path).toBe(200);
        expect(res.body.pagination, path).toMatchObject({ skip: 1000000000, hasMore: false });
      }
    } finally {
      if (db !== server) await db.close();
    }
  });
});

describe('the OpenAPI document', () => {
  it('carries the package version, the send-file form and tags in the order of use', async () => {
    const doc = (await server.request('GET', '/docs/json')).body;
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(doc.info.version).toBe(pkg.version);
    const form = doc.paths['/api/whatsapp/{id}/send-file'].post.requestBody.content['multipart/form-data'].schema;
    expect(form.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(form.required).toEqual(['phone', 'file']);
    expect(doc.tags.map((t: { name: string }) => t.name).slice(0, 5)).toEqual(['auth', 'instances', 'whatsapp', 'simulator', 'messages']);
    expect(doc.paths['/api/instances/{id}'].put.requestBody.content['application/json'].schema.example.webhookSettings.secret).toBe('new-secret-key');
  });
});

describe('routes that take no body', () => {
  it('refuse one with fields, naming them', async () => {
    const { id } = await createInstance(server, alice);
    const res = await server.request('POST', `/api/instances/${id}/reconnect`, { as: alice, body: { force: true } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid request: body.force is not a known field', details: [{ field: 'force', message: 'is not a known field' }] });
    const none = await server.request('DELETE', `/api/instances/${id}`, { as: alice, body: {} });
    expect(none.status).toBe(200);
  });
});
