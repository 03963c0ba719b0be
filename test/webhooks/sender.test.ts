import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookSender } from '../../src/services/webhooks/sender.js';

let server: Server;
let base: string;
beforeAll(async () => {
  // /ok answers at once; /silent never answers.
  server = createServer((req, res) => {
    req.resume();
    if (req.url === '/ok') res.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const attempt = (path: string) => ({ url: `${base}${path}`, eventId: 'e1', body: '{}', secret: 's', customHeaders: {}, at: Date.now() });

describe('WebhookSender attempts', () => {
  const sender = new WebhookSender({ allowPrivateUrls: true, timeoutMs: 300, maxResponseBytes: 1024 });
  afterAll(() => sender.close());

  it('leaves nothing attached to the worker\'s stop signal, whatever the outcome', async () => {
    const stop = new AbortController();
    expect(await sender.send(attempt('/ok'), stop.signal)).toEqual({ ok: true, statusCode: 200 });
    expect(await sender.send(attempt('/silent'), stop.signal)).toEqual({ ok: false, statusCode: null, error: 'no answer within 300 ms' });
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('gives up an attempt in flight when the worker stops, without calling it a timeout', async () => {
    const stop = new AbortController();
    const pending = sender.send(attempt('/silent'), stop.signal);
    setTimeout(() => stop.abort(), 50);
    const result = await pending;
    expect(result.ok).toBe(false);
    expect(result).not.toMatchObject({ error: expect.stringMatching(/no answer within/) });
  });

  it('does not start an attempt for a worker already stopping', async () => {
    const stop = new AbortController();
    stop.abort();
    const result = await sender.send(attempt('/ok'), stop.signal);
    expect(result.ok).toBe(false);
  });
});
