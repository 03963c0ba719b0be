import type { Clock } from '../../core/clock.js';
import { ReadThroughCache } from '../../core/cache.js';
import type { SecretBox } from '../../core/crypto.js';
import { timeOrderedId } from '../../core/ids.js';
import type { Logger } from '../../core/logger.js';
import { assertPublicUrl, parseHttpUrl } from '../../core/url-guard.js';
import type { InstanceRecord, Store, WebhookSettingsRecord } from '../../store/store.js';
import { WEBHOOK_DEFAULTS } from '../instances.service.js';
import { wantsEvent } from './filter.js';
import type { WebhookPayload } from './payload.js';
import type { WebhookSender } from './sender.js';
import type { SendDecision } from './worker.js';

export interface PresenceUpdate {
  chatId: string;
  from: string;
  state: string;
  /** When the peer was last online (ISO), when it shares that. */
  lastSeen?: string;
}

export interface PresenceWebhooksOptions {
  store: Store;
  box: SecretBox;
  clock: Clock;
  sender: WebhookSender;
  logger: Logger;
  allowPrivateUrls: boolean;
  /** How long the webhook settings read for one instance serve its next updates. */
  settingsTtlMs: number;
  /** Usage limits: a refused update is dropped, not queued. */
  sendGuard?: (instance: InstanceRecord) => Promise<SendDecision> | SendDecision;
}

/** Updates waiting per instance, one per chat; past it, the oldest chat's is dropped. */
const MAX_WAITING = 100;

type Settings = Pick<WebhookSettingsRecord, 'notifyReceived' | 'notifySent' | 'notifyDelivery' | 'notifyRead' | 'events' | 'secretEnc' | 'headers'>;

/**
 * Sends `presence_update` webhooks: the same envelope, headers, signatures and URL guard as the
 * events of the event log, but not stored there and not retried. A peer's typing is news for a
 * few seconds and comes many times a minute: stored, it would outgrow the messages it is about,
 * and redelivered after an outage or a restart it would announce typing that ended long ago.
 *
 * One request in flight per instance, so a slow receiver holds only its own updates; while it
 * waits, a chat's newer update replaces the older one, so what waits stays small and current.
 */
export class PresenceWebhooks {
  private readonly settings: ReadThroughCache<Settings>;
  private readonly waiting = new Map<string, Map<string, PresenceUpdate>>();
  private readonly sending = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private stopped = false;

  constructor(private readonly options: PresenceWebhooksOptions) {
    this.settings = new ReadThroughCache(options.settingsTtlMs, 10_000);
  }

  /** The instance's webhook settings changed (`webhook_updated`). */
  settingsChanged(instanceId: string): void {
    this.settings.invalidate(instanceId);
  }

  notify(instanceId: string, update: PresenceUpdate): void {
    if (this.stopped) return;
    const queue = this.waiting.get(instanceId) ?? new Map<string, PresenceUpdate>();
    queue.delete(update.chatId);
    queue.set(update.chatId, update);
    if (queue.size > MAX_WAITING) queue.delete(queue.keys().next().value as string);
    this.waiting.set(instanceId, queue);
    if (!this.sending.has(instanceId)) this.drain(instanceId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.clear();
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight]);
    await this.options.sender.close();
  }

  private drain(instanceId: string): void {
    this.sending.add(instanceId);
    const run = (async () => {
      for (let next = this.take(instanceId); next && !this.stopped; next = this.take(instanceId)) {
        try {
          await this.send(instanceId, next);
        } catch (error) {
          this.options.logger.warn({ err: error, instanceId }, 'presence webhook failed');
        }
      }
    })().finally(() => {
      this.sending.delete(instanceId);
      this.inFlight.delete(run);
    });
    this.inFlight.add(run);
  }

  private take(instanceId: string): PresenceUpdate | undefined {
    const queue = this.waiting.get(instanceId);
    const first = queue?.entries().next().value;
    if (!queue || !first) return undefined;
    queue.delete(first[0]);
    if (queue.size === 0) this.waiting.delete(instanceId);
    return first[1];
  }

  private async send(instanceId: string, update: PresenceUpdate): Promise<void> {
    const { store, box, clock, sender, sendGuard, allowPrivateUrls } = this.options;
    const instance = await store.instances.findById(instanceId);
    if (!instance?.webhookEnabled || !instance.webhookUrl) return;
    const settings = await this.settings.get(instanceId, async () => (await store.webhookSettings.find(instanceId)) ?? { ...WEBHOOK_DEFAULTS, secretEnc: null, headers: {} });
    const payload: WebhookPayload = { event: 'presence_update', data: { instanceId, ...update }, timestamp: new Date(clock()).toISOString(), id: timeOrderedId() };
    if (!settings || !wantsEvent(instance, settings, { type: payload.event, data: payload.data })) return;
    if (sendGuard && !(await sendGuard(instance)).allowed) return;
    try {
      // Checked at send time, as the worker does: ALLOW_PRIVATE_URLS may have changed since it was set.
      assertPublicUrl(parseHttpUrl(instance.webhookUrl, 'webhookUrl'), 'webhookUrl', allowPrivateUrls);
    } catch (error) {
      this.options.logger.debug({ instanceId, error: (error as Error).message }, 'presence webhook not sent');
      return;
    }
    const result = await sender.send({
      url: instance.webhookUrl,
      eventId: payload.id,
      body: JSON.stringify(payload),
      secret: settings.secretEnc ? box.decrypt(settings.secretEnc) : null,
      customHeaders: settings.headers,
      at: clock(),
    }, this.stopping.signal);
    if (!result.ok) this.options.logger.debug({ instanceId, statusCode: result.statusCode, error: result.error }, 'presence webhook not delivered; presence is not retried');
  }
}
