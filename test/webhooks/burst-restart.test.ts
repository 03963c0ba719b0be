import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, eventually, startServer, type TestServer, type TestUser } from '../support/app.js';
import { TEST_POSTGRES_URL } from '../support/postgres.js';
import { Receiver } from './receiver.js';

const BURST = 500;

const PROVIDERS = TEST_POSTGRES_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

for (const provider of PROVIDERS) describe(`a receiver down during a burst, and a restart while it is down (${provider})`, () => {
  let server: TestServer;
  let receiver: Receiver;
  let user: TestUser;

  beforeAll(async () => {
    server = await startServer({ provider });
    receiver = await Receiver.start();
    user = await createUser(server);
  });
  afterAll(async () => {
    await server.close();
    await receiver.down();
  });

  async function deliveries(instanceId: string, query: string) {
    const res = await server.request('GET', `/api/instances/${instanceId}/webhook/deliveries${query}`, { as: user });
    return res.body;
  }

  it('delivers every event once it is back, in order per instance', async () => {
    const instances = [
      await createInstance(server, user, { webhookUrl: receiver.url(), webhookEnabled: true, maxRetries: 20, retryInterval: 100 }),
      await createInstance(server, user, { webhookUrl: receiver.url(), webhookEnabled: true, maxRetries: 20, retryInterval: 100 }),
    ];
    await receiver.down();

    const burstStart = Date.now();
    for (let i = 0; i < BURST; i++) {
      const instance = instances[i % 2];
      await server.ctx.services.events.append(instance.id, 'message_received', { messageId: `m${i}`, from: '79001234567@s.whatsapp.net', body: `message ${i}`, type: 'conversation', timestamp: 1672531200 + i, hasMedia: false });
    }
    const burstMs = Date.now() - burstStart;

    // Both heads have been tried against the closed port and wait for their next attempt.
    const heads = await eventually(async () => {
      const oldest = await Promise.all(instances.map(async ({ id }) => (await deliveries(id, '?status=pending&limit=500')).deliveries.at(-1)));
      return oldest.every((d) => d.attempts >= 2 && /ECONNREFUSED/.test(d.lastError)) && oldest;
    }, 10_000, 'failed attempts on both heads');

    server = await server.restart();
    const upAt = Date.now();
    await receiver.up();

    const messagesTo = (id: string) => receiver.received.filter((h) => h.body.data.instanceId === id && h.body.event === 'message_received');
    for (const { id } of instances) {
      await eventually(() => new Set(messagesTo(id).map((h) => h.body.id)).size === BURST / 2, 30_000, `all messages of ${id}`);
    }
    const drainMs = Date.now() - upAt;
    console.log(`burst (${provider}): ${BURST} events appended in ${burstMs} ms; all delivered ${drainMs} ms after the receiver came back (restart in between)`);

    const ids = new Set<string>();
    for (const [index, { id }] of instances.entries()) {
      const hooks = messagesTo(id);
      // At least once: a duplicate is a repeat of the same event id, which receivers drop.
      const firsts = hooks.filter((h) => !ids.has(h.body.id) && ids.add(h.body.id));
      const expected = Array.from({ length: BURST / 2 }, (_, k) => `m${2 * k + index}`);
      expect(firsts.map((h) => h.body.data.messageId)).toEqual(expected);
      // Nothing reached the receiver before the restart, so nothing was sent twice.
      expect(hooks.length - firsts.length).toBe(0);
      // The head's attempts before the restart were kept, and continued after it.
      const head = (await deliveries(id, '?limit=500')).deliveries.find((d: { id: string }) => d.id === heads[index].id);
      expect(head).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
      expect(head.attempts).toBeGreaterThan(heads[index].attempts);
    }
    expect(ids.size).toBe(BURST);
  }, 60_000);
});
