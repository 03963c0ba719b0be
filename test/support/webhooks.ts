import { afterAll, beforeAll } from 'vitest';
import { type ReceivedWebhook, Receiver, verifyStandardWebhook, verifyWebhookSignature } from '../webhooks/receiver.js';
import { createUser, type StartOptions, startServer, type TestServer, type TestUser } from './app.js';

/** A test file's server, user and webhook receiver, and what its tests ask of the receiver. */
export interface WebhookSetup {
  /** A test that restarts the server puts the new one here: it is the one closed after the tests. */
  server: TestServer;
  user: TestUser;
  receiver: Receiver;
  /** Settings that send an instance's events to the receiver, signed with the secret; `extra` on top. */
  webhook(extra?: Record<string, unknown>): Record<string, unknown>;
  /** What the receiver got for an instance, only the `events` named when any are, in arrival order. */
  hooks(instanceId: string, ...events: string[]): ReceivedWebhook[];
  /** Whether a delivery carries both signatures of the secret: the spec's X-Webhook-Signature and Standard Webhooks'. */
  signed(hook: ReceivedWebhook, secret?: string): boolean;
}

/**
 * A server, a user and a webhook receiver on loopback: started before the file's tests, closed
 * after them. The object is filled in when the tests start, so it can be declared at the top.
 */
export function useWebhookReceiver(secret: string, options: StartOptions = {}): WebhookSetup {
  const setup = {} as WebhookSetup;
  setup.webhook = (extra = {}) => ({ webhookUrl: setup.receiver.url(), webhookEnabled: true, webhookSecret: secret, ...extra });
  setup.hooks = (instanceId, ...events) => setup.receiver.received.filter((h) => h.body.data.instanceId === instanceId && (events.length === 0 || events.includes(h.body.event)));
  setup.signed = (hook, key = secret) => verifyWebhookSignature(hook.raw, String(hook.headers['x-webhook-signature']), key) && verifyStandardWebhook(hook, key);
  beforeAll(async () => {
    setup.server = await startServer(options);
    setup.receiver = await Receiver.start();
    setup.user = await createUser(setup.server);
  });
  afterAll(async () => {
    await setup.server?.close();
    await setup.receiver?.down();
  });
  return setup;
}
