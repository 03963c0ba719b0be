import { describe, expect, it } from 'vitest';
import { createInstance, eventually, type TestServer } from '../support/app.js';
import { useWebhookReceiver } from '../support/webhooks.js';

const SECRET = 'receiver-secret-1';

const env = useWebhookReceiver(SECRET);

async function webhookInstance(settings: Record<string, unknown> = {}) {
  return createInstance(env.server, env.user, env.webhook(settings));
}

/** Events this test appended, so the session's own (its QR codes) can be told apart. */
const appended = new Set<string>();

async function append(instanceId: string, type: Parameters<TestServer['ctx']['services']['events']['append']>[1], data: Record<string, unknown>) {
  const event = await env.server.ctx.services.events.append(instanceId, type, data);
  appended.add(event.id);
  return event;
}

const hooksOf = (instanceId: string) =>
  env.hooks(instanceId).filter((h) => appended.has(h.body.id) || h.body.event === 'webhook_updated');

describe('webhook payloads', () => {
  it('delivers every event type in the spec envelope, signed both ways', async () => {
    const instance = await webhookInstance({ notifyDelivery: true, notifyRead: true });
    const id = instance.id;
    await append(id, 'qr_received', { qrCode: '2@abc,def,ghi,jkl' });
    await append(id, 'connected', {});
    await append(id, 'message_received', { messageId: 'in-1', from: '79001234567@s.whatsapp.net', body: 'hi', type: 'conversation', timestamp: 1672531200, hasMedia: false, pushName: 'Hong' });
    await append(id, 'message_sent', { messageId: 'out-1', to: '79001234567@s.whatsapp.net', body: 'hello', type: 'text', timestamp: 1672531260, hasMedia: false });
    await append(id, 'message_status', { messageId: 'out-1', status: 'delivered', from: '79001234567@s.whatsapp.net', fromMe: true });
    await append(id, 'limit_exceeded', { exceededLimits: ['maxMessagesSent'], usage: { messagesSent: 1500 } });
    await append(id, 'disconnected', { reason: 'logout', willReconnect: false });
    const put = await env.server.request('PUT', `/api/instances/${id}`, { as: env.user, body: { name: 'renamed', webhookSettings: { notifyRead: true } } });
    expect(put.status).toBe(200);

    const hooks = await eventually(() => hooksOf(id).length >= 8 && hooksOf(id), 5000, 'eight webhooks');
    expect(hooks.map((h) => h.body.event)).toEqual([
      'qr_received',
      'connected',
      'message_received',
      'message_sent',
      'message_status',
      'limit_exceeded',
      'disconnected',
      'webhook_updated',
    ]);
    for (const hook of hooks) {
      expect(Object.keys(hook.body)).toEqual(['event', 'data', 'timestamp', 'id']);
      expect(hook.body.data.instanceId).toBe(id);
      expect(hook.body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(hook.raw).toBe(JSON.stringify(hook.body));
      expect(hook.headers['x-webhook-id']).toBe(hook.body.id);
      expect(hook.headers['webhook-id']).toBe(hook.body.id);
      expect(hook.headers['content-type']).toBe('application/json');
      expect(hook.headers['user-agent']).toMatch(/^whatsapp-multi-instance-api\/\d+\.\d+\.\d+/);
      expect(env.signed(hook)).toBe(true);
      expect(env.signed(hook, 'another-secret')).toBe(false);
    }
    const byType = Object.fromEntries(hooks.map((h) => [h.body.event, h.body]));
    expect(byType.message_received.data).toEqual({ instanceId: id, messageId: 'in-1', from: '79001234567@s.whatsapp.net', body: 'hi', type: 'conversation', timestamp: 1672531200, hasMedia: false, pushName: 'Hong' });
    expect(byType.message_status.data).toEqual({ instanceId: id, messageId: 'out-1', status: 'delivered', from: '79001234567@s.whatsapp.net', fromMe: true });
    expect(byType.disconnected.data).toEqual({ instanceId: id, reason: 'logout', willReconnect: false });
    expect(byType.webhook_updated.data).toEqual({ instanceId: id, timestamp: byType.webhook_updated.timestamp });
    expect(new Set(hooks.map((h) => h.body.id)).size).toBe(8);
  });

  it('sends no signature headers when no secret is set', async () => {
    const { id } = await webhookInstance({ webhookSecret: undefined });
    await append(id, 'connected', {});
    const [hook] = await eventually(() => hooksOf(id).length > 0 && hooksOf(id));
    expect(hook.headers['x-webhook-signature']).toBeUndefined();
    expect(hook.headers['webhook-signature']).toBeUndefined();
    expect(hook.headers['webhook-id']).toBe(hook.body.id);
  });

  // Custom headers that would replace ours are refused when set (test/http/input.test.ts) and
  // dropped by the sender if stored before that (signing.test.ts).
  it('sends custom headers beside ours', async () => {
    const { id } = await webhookInstance({ headers: { 'X-Tenant': 'acme', Authorization: 'Bearer receiver-token' } });
    await append(id, 'connected', {});
    const [hook] = await eventually(() => hooksOf(id).length > 0 && hooksOf(id));
    expect(hook.headers['x-tenant']).toBe('acme');
    expect(hook.headers.authorization).toBe('Bearer receiver-token');
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.headers['user-agent']).toMatch(/^whatsapp-multi-instance-api\//);
    expect(hook.headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(hook.headers['x-webhook-id']).toBe(hook.body.id);
    expect(hook.headers['webhook-id']).toBe(hook.body.id);
    expect(Number(hook.headers['webhook-timestamp'])).toBeGreaterThan(1_600_000_000);
    expect(env.signed(hook)).toBe(true);
  });
});

describe('webhook filters', () => {
  it('honours notifyReceived, notifySent, notifyDelivery and notifyRead', async () => {
    const only = async (settings: Record<string, boolean>) => {
      const { id } = await webhookInstance(settings);
      await append(id, 'message_received', { messageId: 'r' });
      await append(id, 'message_sent', { messageId: 's' });
      for (const status of ['pending', 'sent', 'delivered', 'failed', 'read', 'played']) {
        await append(id, 'message_status', { messageId: 's', status, fromMe: true });
      }
      await append(id, 'connected', {});
      const hooks = await eventually(() => hooksOf(id).some((h) => h.body.event === 'connected') && hooksOf(id));
      return hooks.map((h) => (h.body.event === 'message_status' ? `status:${h.body.data.status}` : h.body.event));
    };
    const none = { notifyReceived: false, notifySent: false, notifyDelivery: false, notifyRead: false };
    expect(await only(none)).toEqual(['connected']);
    expect(await only({ ...none, notifyReceived: true })).toEqual(['message_received', 'connected']);
    expect(await only({ ...none, notifySent: true })).toEqual(['message_sent', 'connected']);
    expect(await only({ ...none, notifyDelivery: true })).toEqual(['status:pending', 'status:sent', 'status:delivered', 'status:failed', 'connected']);
    expect(await only({ ...none, notifyRead: true })).toEqual(['status:read', 'status:played', 'connected']);
  });

  it('queues nothing while webhooks are disabled or have no URL', async () => {
    const disabled = await createInstance(env.server, env.user, env.webhook({ webhookEnabled: false }));
    const noUrl = await createInstance(env.server, env.user, { webhookEnabled: true });
    for (const { id } of [disabled, noUrl]) {
      await append(id, 'connected', {});
      const list = await env.server.request('GET', `/api/instances/${id}/webhook/deliveries`, { as: env.user });
      expect(list.status).toBe(200);
      expect(list.body.deliveries).toEqual([]);
    }
    // Turning them on sends the webhook_updated that says so, and what follows.
    await env.server.request('PUT', `/api/instances/${disabled.id}`, { as: env.user, body: { webhookEnabled: true } });
    await append(disabled.id, 'connected', {});
    const hooks = await eventually(() => hooksOf(disabled.id).length >= 2 && hooksOf(disabled.id));
    expect(hooks.map((h) => h.body.event)).toEqual(['webhook_updated', 'connected']);
  });
});
