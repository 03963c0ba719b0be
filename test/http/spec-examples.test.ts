import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, receiveMessage, startServer, type TestServer } from '../support/app.js';

/**
 * The client flow of the specification's Python and Node.js examples (사용 예제), over real HTTP
 * with only an API key, checking exactly what those clients read from each answer.
 */
let server: TestServer;
let baseUrl: string;
let headers: Record<string, string>;

beforeAll(async () => {
  // The phone "scans" on its own after a while: long enough for the first QR poll to see the code
  // on a busy machine, since a linked instance answers /qr with 409.
  server = await startServer({ env: { SIMULATOR_AUTO_LINK_MS: '1500' } });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api`;
  headers = { 'x-api-key': server.admin.apiKey, 'Content-Type': 'application/json' };
});
afterAll(() => server.close());

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, data: await res.json() };
};

describe('the specification’s client examples', () => {
  it('create → QR → linked → send text and image → contacts → monitor incoming messages', async () => {
    const created = await call('POST', '/instances', {
      name: '테스트 인스턴스',
      description: 'Node.js SDK를 통해 생성됨',
      webhookUrl: 'https://webhook.example.com/whatsapp',
      webhookEnabled: true,
      notifyReceived: true,
      notifySent: true,
    });
    expect(created.status).toBe(201);
    const instanceId: string = created.data.id;

    // getAndDisplayQR: 200 with qrCode, or 202 while it is generated.
    const qr = await eventually(async () => {
      const res = await call('GET', `/instances/${instanceId}/qr`);
      expect([200, 202]).toContain(res.status);
      return res.status === 200 && res.data.qrCode ? res.data.qrCode : undefined;
    }, 5000, 'a QR code');
    expect(typeof qr).toBe('string');

    // checkStatus: status.ready after the scan.
    await eventually(async () => (await call('GET', `/whatsapp/${instanceId}/status`)).data.ready === true, 10_000, 'ready');
    const status = await call('GET', `/whatsapp/${instanceId}/status`);
    expect(status.data).toEqual({ ready: true, status: 'connected', hasQr: false });

    const sent = await call('POST', `/whatsapp/${instanceId}/send`, { phone: '79001234567', message: 'Node.js에서 보낸 테스트 메시지' });
    expect(sent.status).toBe(200);
    expect(typeof sent.data.id).toBe('string');

    const contacts = await call('GET', `/whatsapp/${instanceId}/contacts`);
    expect(Array.isArray(contacts.data.contacts)).toBe(true);

    // monitor_messages / monitorMessages: poll events, hand message_received data to a callback.
    const seen: Array<{ from: string; body: string }> = [];
    let lastTimestamp: string | null = null;
    const poll = async () => {
      const query = new URLSearchParams({ limit: '10', ...(lastTimestamp ? { since: lastTimestamp } : {}) });
      const { data } = await call('GET', `/instances/${instanceId}/events?${query}`);
      for (const event of data.events) if (event.type === 'message_received') seen.push(event.data);
      if (data.events.length > 0) lastTimestamp = data.latestTimestamp;
    };
    await poll();
    await receiveMessage(server, server.admin, instanceId, { from: '79001234567', pushName: '홍길동', text: '안녕하세요! 어떻게 지내세요?' });
    await eventually(async () => {
      await poll();
      return seen.length > 0;
    }, 5000, 'the incoming message');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ from: '79001234567@s.whatsapp.net', body: '안녕하세요! 어떻게 지내세요?' });
  });

  it('sends an image by URL as send_image does', async () => {
    const files = await import('node:http').then(({ createServer }) =>
      createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('89504e470d0a1a0a0000', 'hex'))),
    );
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    try {
      const { data: instance } = await call('POST', '/instances', { name: 'images', description: 'x' });
      await eventually(async () => (await call('GET', `/whatsapp/${instance.id}/status`)).data.ready === true, 5000, 'ready');
      const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/image.png`;
      const res = await call('POST', `/whatsapp/${instance.id}/send-media`, { phone: '79001234567', url, caption: '이미지 설명' });
      expect(res.status).toBe(200);
      expect(typeof res.data.id).toBe('string');
    } finally {
      files.close();
    }
  });
});
