import { describe, expect, it } from 'vitest';
import { type ApiCallTreatment, apiCallPolicy } from '../../../src/services/limits/api-call-policy.js';

/** Every kind of route, with what a call to it costs the instance it acts on. */
const TABLE: Array<[method: string, route: string, treatment: ApiCallTreatment]> = [
  // Routes on one instance count, and maxApiCalls may refuse them.
  ['GET', '/api/instances/:id', 'enforce'],
  ['PUT', '/api/instances/:id', 'enforce'],
  ['HEAD', '/api/instances/:id', 'enforce'],
  ['GET', '/api/instances/:id/status', 'enforce'],
  ['POST', '/api/instances/:id/reconnect', 'enforce'],
  ['GET', '/api/instances/:id/chats/:chatId/messages', 'enforce'],
  ['GET', '/api/instances/:id/events', 'enforce'],
  ['GET', '/api/instances/:id/media/:file', 'enforce'],
  ['POST', '/api/instances/:id/webhook/deliveries/:deliveryId/retry', 'enforce'],
  ['GET', '/api/instances/:id/contacts/db', 'enforce'],
  ['POST', '/api/whatsapp/:id/contacts/add', 'enforce'],
  ['POST', '/api/whatsapp/:id/send', 'enforce'],
  ['GET', '/api/whatsapp/:id/qr', 'enforce'],
  ['POST', '/api/simulator/instances/:id/inbound', 'enforce'],
  ['POST', '/api/simulator/:id', 'enforce'],
  // Seeing why one is refused, and cleaning up, stay possible past the limit: counted, never refused.
  ['GET', '/api/stats/instances/:id', 'count'],
  ['GET', '/api/instances/:id/limits', 'count'],
  ['PUT', '/api/instances/:id/limits', 'count'],
  ['DELETE', '/api/instances/:id', 'count'],
  // Not on one instance: not an API call on anything.
  ['GET', '/api/instances', 'exempt'],
  ['POST', '/api/instances', 'exempt'],
  ['GET', '/api/stats/user', 'exempt'],
  ['GET', '/api/stats/system', 'exempt'],
  ['GET', '/api/limits/default', 'exempt'],
  ['GET', '/api/users/:id/limits', 'exempt'],
  ['GET', '/api/users/:id', 'exempt'],
  ['POST', '/api/auth/login', 'exempt'],
  ['GET', '/api/db/status', 'exempt'],
  ['GET', '/health', 'exempt'],
  ['GET', '/metrics', 'exempt'],
  ['GET', '/*', 'exempt'],
  // A pattern that only begins like an instance route is another route.
  ['GET', '/api/instances/:idx', 'exempt'],
  ['GET', '/api/whatsapp/send', 'exempt'],
];

describe('apiCallPolicy', () => {
  it.each(TABLE)('%s %s → %s', (method, route, treatment) => {
    expect(apiCallPolicy({ method, route, viaDashboard: false })).toBe(treatment);
  });

  it("leaves the dashboard's own calls uncounted, on every route", () => {
    for (const [method, route] of TABLE) expect(apiCallPolicy({ method, route, viaDashboard: true }), `${method} ${route}`).toBe('exempt');
  });

  it('looks at the route pattern, not a requested path', () => {
    expect(apiCallPolicy({ method: 'GET', route: '/api/instances/inst_123/status', viaDashboard: false })).toBe('exempt');
  });
});
