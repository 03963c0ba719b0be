import { describe, expect, it } from 'vitest';
import { eventually, linkInstance, receiveMessage } from '../support/app.js';
import { useWebhookReceiver } from '../support/webhooks.js';

const SECRET = 'e2e-webhook-secret';

const env = useWebhookReceiver(SECRET);

describe('webhooks from a simulated WhatsApp session', () => {
  it('delivers all eight events a client sees, with the spec shapes, signed', async () => {
    const { id, jid } = await linkInstance(env.server, env.user, {
      phone: '79005550101',
      body: env.webhook({ notifyDelivery: true, notifyRead: true }),
    });
    const hooks = (event: string) => env.hooks(id, event);

    await receiveMessage(env.server, env.user, id, { from: '79001234567', pushName: 'Hong', text: '안녕하세요!' });
    const sent = await env.server.request('POST', `/api/whatsapp/${id}/send`, { as: env.user, body: { phone: '79001234567', message: 'hello back' } });
    expect(sent.status).toBe(200);
    await eventually(() => hooks('message_status').some((h) => h.body.data.status === 'read'), 5000, 'read receipt');
    const limit = await env.server.request('PUT', `/api/instances/${id}/limits`, { as: env.server.admin, body: { maxMessagesSent: 1 } });
    expect(limit.status).toBe(200);
    const refused = await env.server.request('POST', `/api/whatsapp/${id}/send`, { as: env.user, body: { phone: '79001234567', message: 'one too many' } });
    expect(refused.status).toBe(429);
    await eventually(() => hooks('limit_exceeded').length > 0, 5000, 'limit_exceeded');
    expect((await env.server.request('PUT', `/api/instances/${id}`, { as: env.user, body: { webhookSettings: { maxRetries: 5 } } })).status).toBe(200);
    const disconnect = await env.server.request('POST', `/api/simulator/instances/${id}/disconnect`, { as: env.user, body: { reason: 'logged_out' } });
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

    const all = env.hooks(id);
    for (const hook of all) {
      expect(env.signed(hook)).toBe(true);
    }
    // In order: each event's time is after the one before it.
    const times = all.map((h) => Date.parse(h.body.timestamp));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(jid).toMatch(/^79005550101@/);
  });

  it('leaves out what the notify flags turn off', async () => {
    const { id } = await linkInstance(env.server, env.user, {
      phone: '79005550102',
      body: env.webhook({ notifyReceived: false, notifySent: false, notifyDelivery: false, notifyRead: false }),
    });
    await receiveMessage(env.server, env.user, id, { from: '79001234567', text: 'not for the webhook' });
    await env.server.request('POST', `/api/whatsapp/${id}/send`, { as: env.user, body: { phone: '79001234567', message: 'nor this' } });
    await eventually(async () => {
      const history = await env.server.request('GET', `/api/instances/${id}/events?limit=100`, { as: env.user });
      return JSON.stringify(history.body).includes('"read"');
    }, 5000, 'the read receipt in the event log');
    await env.server.request('PUT', `/api/instances/${id}`, { as: env.user, body: { name: 'marker' } });
    await env.server.request('PUT', `/api/instances/${id}`, { as: env.user, body: { webhookSettings: { notifyRead: true } } });
    await eventually(() => env.hooks(id, 'webhook_updated').length > 0, 5000, 'marker');
    const events = env.hooks(id).map((h) => h.body.event);
    expect(events).toEqual(['qr_received', 'connected', 'webhook_updated']);
  });
});
