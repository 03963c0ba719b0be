import { describe, expect, it } from 'vitest';
import { wantsEvent } from '../../src/services/webhooks/filter.js';
import { webhookBody } from '../../src/services/webhooks/payload.js';
import { USER_AGENT, webhookHeaders } from '../../src/services/webhooks/sender.js';
import { bodySignature, standardSignature } from '../../src/services/webhooks/signing.js';
import { retryDelay } from '../../src/services/webhooks/worker.js';
import { verifyWebhookSignature } from './receiver.js';

const event = {
  seq: 7,
  id: '0b7c6a52-7f0e-4a53-b8a5-3f1d1f2a9e10',
  instanceId: 'inst-1',
  type: 'message_received',
  data: { instanceId: 'inst-1', messageId: 'ABC', body: '안녕하세요! 😀 "quoted" \\ / \u2028', timestamp: 1672531200, hasMedia: false },
  ts: Date.UTC(2023, 0, 1, 12),
};

describe('webhook body', () => {
  it('is the spec envelope plus the event id, and survives JSON.parse → JSON.stringify unchanged', () => {
    const body = webhookBody(event);
    expect(JSON.parse(body)).toEqual({ event: 'message_received', data: event.data, timestamp: '2023-01-01T12:00:00.000Z', id: event.id });
    expect(JSON.stringify(JSON.parse(body))).toBe(body);
    expect(webhookBody(structuredClone(event))).toBe(body);
  });
});

describe('signatures', () => {
  it('X-Webhook-Signature passes the spec snippet, given the raw body or the parsed one', () => {
    const body = webhookBody(event);
    const signature = bodySignature('s3cret', body);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(body, signature, 's3cret')).toBe(true);
    expect(verifyWebhookSignature(JSON.parse(body), signature, 's3cret')).toBe(true);
    expect(verifyWebhookSignature(JSON.parse(body), bodySignature('other', body), 's3cret')).toBe(false);
  });

  it('webhook-signature matches the Standard Webhooks reference vector', () => {
    const signature = standardSignature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('keys a secret without the whsec_ prefix by its UTF-8 bytes', () => {
    const a = standardSignature('plain-secret', 'id', 1, 'body');
    const b = standardSignature(`whsec_${Buffer.from('plain-secret').toString('base64')}`, 'id', 1, 'body');
    expect(a).toBe(b);
  });
});

describe('webhook headers', () => {
  const base = { eventId: 'evt-1', body: '{}', at: 1_700_000_000_999 };

  it('sends ours, with custom ones that do not collide', () => {
    const headers = webhookHeaders({ ...base, secret: 'k', customHeaders: { 'X-Tenant': 'acme', 'X-WEBHOOK-SIGNATURE': 'x', 'webhook-id': 'x', 'Content-Length': '1', Connection: 'close', 'Transfer-Encoding': 'chunked' } });
    expect(headers).toEqual({
      'X-Tenant': 'acme',
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'x-webhook-id': 'evt-1',
      'webhook-id': 'evt-1',
      'webhook-timestamp': '1700000000',
      'x-webhook-signature': bodySignature('k', '{}'),
      'webhook-signature': standardSignature('k', 'evt-1', 1_700_000_000, '{}'),
    });
  });

  it('has no signatures without a secret', () => {
    const headers = webhookHeaders({ ...base, secret: null, customHeaders: {} });
    expect(headers['x-webhook-signature']).toBeUndefined();
    expect(headers['webhook-signature']).toBeUndefined();
  });
});

describe('filters', () => {
  const on = { webhookEnabled: true, webhookUrl: 'https://example.com/hook' };
  const none = { notifyReceived: false, notifySent: false, notifyDelivery: false, notifyRead: false, events: null };
  const status = (s: string) => ({ type: 'message_status', data: { status: s } });

  it('sends nothing when disabled or without a URL', () => {
    expect(wantsEvent({ ...on, webhookEnabled: false }, none, { type: 'connected', data: {} })).toBe(false);
    expect(wantsEvent({ ...on, webhookUrl: null }, none, { type: 'connected', data: {} })).toBe(false);
  });

  it('maps the notify flags to event types and statuses', () => {
    for (const type of ['connected', 'disconnected', 'qr_received', 'limit_exceeded', 'webhook_updated', 'webhook_test']) {
      expect(wantsEvent(on, none, { type, data: {} })).toBe(true);
    }
    expect(wantsEvent(on, none, { type: 'contacts_updated', data: {} })).toBe(false);
    expect(wantsEvent(on, { ...none, notifyReceived: true }, { type: 'message_received', data: {} })).toBe(true);
    expect(wantsEvent(on, { ...none, notifySent: true }, { type: 'message_sent', data: {} })).toBe(true);
    for (const s of ['pending', 'sent', 'delivered', 'failed']) {
      expect(wantsEvent(on, { ...none, notifyDelivery: true }, status(s))).toBe(true);
      expect(wantsEvent(on, { ...none, notifyRead: true }, status(s))).toBe(false);
    }
    for (const s of ['read', 'played']) {
      expect(wantsEvent(on, { ...none, notifyRead: true }, status(s))).toBe(true);
      expect(wantsEvent(on, { ...none, notifyDelivery: true }, status(s))).toBe(false);
    }
  });
});

describe('retry delay', () => {
  it('doubles from retryInterval with ±20% jitter, capped at a day', () => {
    expect(retryDelay(100, 1, () => 0)).toBe(80);
    expect(retryDelay(100, 1, () => 1)).toBe(120);
    expect(retryDelay(100, 3, () => 0.5)).toBe(400);
    expect(retryDelay(60_000, 100, () => 0.5)).toBe(24 * 60 * 60 * 1000);
  });
});
