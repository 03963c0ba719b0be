import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, eventually, linkInstance, receiveMessage, startServer, type TestServer } from '../support/app.js';

function family(families: PrometheusFamily[], name: string): PrometheusFamily {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`metric ${name} missing; have ${families.map((f) => f.name).join(', ')}`);
  return found;
}

describe('GET /metrics with an admin', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('answers 401 without credentials and 403 to a user who is not an admin', async () => {
    expect((await server.request('GET', '/metrics')).status).toBe(401);
    const user = await createUser(server);
    expect((await server.request('GET', '/metrics', { as: user })).status).toBe(403);
  });

  it('serves the Prometheus text format with request, instance, message and runtime metrics', async () => {
    const user = await createUser(server);
    const { id } = await linkInstance(server, user);
    await createInstance(server, user, { name: 'waiting for a scan' });
    expect((await server.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: '79001234567', message: 'hi' } })).status).toBe(200);
    await receiveMessage(server, user, id, { from: '79001112233', text: 'hello' });
    // The simulator answers once the message is handed over; it is stored just after.
    await eventually(async () => (await server.request('GET', `/api/instances/${id}/events?types=message_received`, { as: user })).body.events.length === 1);
    await server.request('GET', '/api/no-such-route-123');

    const res = await server.request('GET', '/metrics', { as: server.admin });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const families = parsePrometheusTextFormat(res.body);

    const requests = family(families, 'http_requests_total');
    expect(requests.type).toBe('COUNTER');
    expect(requests.metrics).toContainEqual({ value: '1', labels: { method: 'POST', route: '/api/whatsapp/:id/send', status_code: '200' } });
    // Labels carry route patterns, never raw URLs: unknown paths cannot add series.
    expect(JSON.stringify(requests.metrics)).not.toContain('no-such-route');
    const latency = family(families, 'http_request_duration_seconds');
    expect(latency.type).toBe('HISTOGRAM');
    // The parser folds labelled histograms into one sample, so read this series from the text.
    expect(res.body).toContain('http_request_duration_seconds_count{method="POST",route="/api/whatsapp/:id/send",status_code="200"} 1\n');

    const instances = family(families, 'whatsapp_instances');
    expect(instances.type).toBe('GAUGE');
    const byStatus: Record<string, number> = Object.fromEntries(instances.metrics.map((m) => [m.labels?.status, Number(m.value)]));
    expect(byStatus.connected).toBe(1);
    expect(Object.values(byStatus).reduce((a, b) => a + b, 0)).toBe(2);

    const messages = family(families, 'whatsapp_messages_total');
    const byDirection = Object.fromEntries(messages.metrics.map((m) => [m.labels?.direction, Number(m.value)]));
    expect(byDirection.sent).toBe(1);
    expect(byDirection.received).toBe(1);

    expect(family(families, 'nodejs_eventloop_lag_seconds').type).toBe('GAUGE');
    expect(family(families, 'webhook_queue_depth').metrics).toEqual([{ value: '0' }]);
    const deliveries = family(families, 'webhook_deliveries');
    expect(deliveries.metrics.map((m) => m.labels?.status).sort()).toEqual(['delivered', 'failed', 'pending', 'skipped']);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { METRICS_TOKEN: 'scrape-token-123' } });
  });
  afterAll(() => server.close());

  it('takes only the token: not an admin, not a wrong token', async () => {
    const ok = await server.request('GET', '/metrics', { headers: { authorization: 'Bearer scrape-token-123' } });
    expect(ok.status).toBe(200);
    expect(parsePrometheusTextFormat(ok.body).length).toBeGreaterThan(5);
    expect((await server.request('GET', '/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await server.request('GET', '/metrics', { as: server.admin })).status).toBe(401);
    expect((await server.request('GET', '/metrics')).status).toBe(401);
  });
});
