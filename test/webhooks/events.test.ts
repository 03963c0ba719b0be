import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventually, linkInstance, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';
import { Receiver, verifyStandardWebhook, verifyWebhookSignature } from './receiver.js';

const SECRET = 'e2e-webhook-secret';

let server: TestServer;
let receiver: Receiver;
let user: TestUser;

beforeAll(async () => {
  server = await startServer();
  receiver = await Receiver.start();
  user = await createUser(server);
});
afterAll(async () => {
  await server.close();
  await receiver.down();
});

describe('webhooks from a simulated WhatsApp session', () => {
  it('delivers all eight events a client sees, with the spec shapes, signed', async () => {
    const { id, jid } = await linkInstance(server, user, {
      phone: '79005550101',
      body: { webhookUrl: receiver.url(), webhookEnabled: true, webhookSecret: SECRET, notifyDelivery: true, notifyRead: true },
    });
    const hooks = (event: string) => receiver.received.filter((h) => h.body.data.instanceId === id && h.body.event === event);

    await receiveMessage(server, user, id, { from: '79001234567', pushName: 'Hong', text: '안녕하세요!' });
    const sent = await server.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: '79001234567', message: 'hello back' } });
    expect(sent.status).toBe(200);
    await eventually(() => hooks('message_status').some((h) => h.body.data.status === 'read'), 5000, 'read receipt');
    const limit = await server.request('PUT', `/api/instances/${id}/limits`, { as: server.admin, body: { maxMessagesSent: 1 } });
    expect(limit.status).toBe(200);
    const refused = await server.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: '79001234567', message: 'one too many' } });
    expect(refused.status).toBe(429);
    await eventually(() => hooks('limit_exceeded').length > 0, 5000, 'limit_exceeded');
    expect((await server.request('PUT', `/api/instances/${id}`, { as: user, body: { webhookSettings: { maxRetries: 5 } } })).status).toBe(200);
    const disconnect = await server.request('POST', `/api/simulator/instances/${id}/disconnect`, { as: user, body: { reason: 'logged_out' } });
    expect(disconnect.status).toBeLessThan(300);
    await eventually(() => hooks('disconnected').length > 0, 5000, 'disconnected');

    const [qr] = hooks('qr_received');
    expect(qr.body.data).toEqual({ instanceId: id, qrCode: expect.any(String) });
    expect(hooks('connected')[0].body.data).toMatchObject({ instanceId: id });
    expect(hooks('message_received')[0].body.data).toMatchObject({
      instanceId: id,
      messageId: expect.any(String),
      from: '79001234567@s.whatsapp.net',
      body: '안녕하세요!',
      type: 'conversation',
      timestamp: expect.any(Number),
      hasMedia: false,
      pushName: 'Hong',
    });
    expect(hooks('message_sent')[0].body.data).toMatchObject({
      instanceId: id,
      messageId: sent.body.id,
      to: '79001234567@s.whatsapp.net',
      body: 'hello back',
      type: 'text',
      timestamp: expect.any(Number),
      hasMedia: false,
    });
    const statuses = hooks('message_status');
    expect(statuses.map((h) => h.body.data.status)).toEqual(['sent', 'delivered', 'read']);
    expect(statuses[0].body.data).toMatchObject({ instanceId: id, messageId: hooks('message_sent')[0].body.data.messageId, fromMe: true });
    expect(hooks('limit_exceeded')[0].body.data).toMatchObject({ instanceId: id, exceededLimits: ['maxMessagesSent'], usage: { messagesSent: 1 } });
    expect(hooks('webhook_updated')[0].body.data).toEqual({ instanceId: id, timestamp: expect.any(String) });
    expect(hooks('disconnected')[0].body.data).toEqual({ instanceId: id, reason: expect.any(String), willReconnect: false });

    const all = receiver.received.filter((h) => h.body.data.instanceId === id);
    for (const hook of all) {
      expect(verifyWebhookSignature(hook.body, String(hook.headers['x-webhook-signature']), SECRET)).toBe(true);
      expect(verifyStandardWebhook(hook, SECRET)).toBe(true);
    }
    // In order: each event's time is after the one before it.
    const times = all.map((h) => Date.parse(h.body.timestamp));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(jid).toMatch(/^79005550101@/);
  });

  it('leaves out what the notify flags turn off', async () => {
    const { id } = await linkInstance(server, user, {
      phone: '79005550102',
      body: { webhookUrl: receiver.url(), webhookEnabled: true, notifyReceived: false, notifySent: false, notifyDelivery: false, notifyRead: false },
    });
    await receiveMessage(server, user, id, { from: '79001234567', text: 'not for the webhook' });
    await server.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: '79001234567', message: 'nor this' } });
    await eventually(async () => {
      const history = await server.request('GET', `/api/instances/${id}/events?limit=100`, { as: user });
      return JSON.stringify(history.body).includes('"read"');
    }, 5000, 'the read receipt in the event log');
    await server.request('PUT', `/api/instances/${id}`, { as: user, body: { name: 'marker' } });
    await server.request('PUT', `/api/instances/${id}`, { as: user, body: { webhookSettings: { notifyRead: true } } });
    await eventually(() => receiver.received.some((h) => h.body.data.instanceId === id && h.body.event === 'webhook_updated'), 5000, 'marker');
    const events = receiver.received.filter((h) => h.body.data.instanceId === id).map((h) => h.body.event);
    expect(events).toEqual(['qr_received', 'connected', 'webhook_updated']);
  });
});
