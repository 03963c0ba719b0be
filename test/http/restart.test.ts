import { describe, expect, it } from 'vitest';
import { openProviderStore } from '../../src/store/open.js';
import { createInstance, createUser, eventually, startServer } from '../support/app.js';
import { type OldSentMessage, writeBeforeSentRename } from '../support/old-statuses.js';
import { TEST_POSTGRES_URL } from '../support/postgres.js';
import { Receiver } from '../webhooks/receiver.js';

const providers: Array<'sqlite' | 'postgres'> = TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

for (const provider of providers) {
  describe(`restart on ${provider}`, () => {
    it('keeps users, credentials, instances and webhook settings', async () => {
      let server = await startServer({ provider });
      try {
        const user = await createUser(server);
        const instance = await createInstance(server, user, { name: 'survivor', webhookUrl: 'https://example.com/h', webhookSecret: 's3cret', headers: { 'X-A': 'b' } });
        await server.request('PUT', `/api/instances/${instance.id}`, { as: user, body: { description: 'after update' } });

        server = await server.restart();

        expect((await server.request('GET', '/api/auth/me', { as: { apiKey: user.apiKey } })).status).toBe(200);
        expect((await server.request('GET', '/api/auth/me', { as: { token: user.token } })).status).toBe(200);
        const login = await server.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
        expect(login.body.user.apiKey).toBe(user.apiKey);
        const read = await server.request('GET', `/api/instances/${instance.id}`, { as: user });
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ name: 'survivor', description: 'after update', webhookUrl: 'https://example.com/h' });
        expect(read.body.webhookSettings).toMatchObject({ secret: 's3cret', headers: { 'X-A': 'b' } });
      } finally {
        await server.close();
      }
    });

    it('shows and sends a message stored as server_ack before the rename as sent', async () => {
      const receiver = await Receiver.start();
      let server = await startServer({ provider });
      try {
        const user = await createUser(server);
        const instance = await createInstance(server, user, { webhookUrl: receiver.url(), webhookEnabled: true });
        let old: OldSentMessage | undefined;
        server = await server.restart(async (config) => {
          const store = await openProviderStore(config.database, provider);
          try {
            const now = Date.now();
            // A webhook of the old status still queued when the gateway stopped.
            old = await writeBeforeSentRename(store, instance.id, now, true);
          } finally {
            await store.close();
          }
        });
        const { messageId, remoteJid } = old!;

        const history = await server.request('GET', `/api/instances/${instance.id}/chats/${remoteJid}/messages`, { as: user });
        expect(history.status).toBe(200);
        expect(history.body.messages).toEqual([expect.objectContaining({ messageId, fromMe: true, status: 'sent' })]);
        const feed = await server.request('GET', `/api/instances/${instance.id}/events?types=message_sent,message_status`, { as: user });
        expect(feed.status).toBe(200);
        expect(feed.body.events.map((e: { type: string; data: { status: string } }) => `${e.type}:${e.data.status}`)).toEqual(['message_sent:sent', 'message_status:sent']);
        const [hook] = await eventually(() => receiver.of('message_status').length > 0 && receiver.of('message_status'), 5000, 'the queued webhook');
        expect(hook.body).toMatchObject({ event: 'message_status', id: old!.statusEventId, data: { messageId, status: 'sent' } });
      } finally {
        await server.close();
        await receiver.down();
      }
    });
  });
}
