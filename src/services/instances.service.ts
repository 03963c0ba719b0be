import { randomUUID } from 'node:crypto';
import type { EngineName } from '../engines/names.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { InstanceRecord, Store, UserRecord, WebhookSettingsRecord } from '../store/store.js';
import type { Clock } from '../core/clock.js';
import type { SecretBox } from '../core/crypto.js';
import type { EventLog } from './event-log.js';
import type { ConnectionState, SessionManager } from './sessions.js';
import { assertPublicUrl, parseHttpUrl } from '../core/url-guard.js';
import { checkWebhookHeaders } from './webhook-headers.js';

export interface WebhookSettingsInput {
  notifyReceived?: boolean;
  notifySent?: boolean;
  notifyDelivery?: boolean;
  notifyRead?: boolean;
  maxRetries?: number;
  retryInterval?: number;
  /** null or '' removes the secret. */
  secret?: string | null;
  headers?: Record<string, string>;
  /** null removes the subscription (the notify flags decide again). */
  events?: string[] | null;
}

export interface NewInstance {
  name: string;
  description?: string;
  engine?: EngineName;
  webhookUrl?: string | null;
  webhookEnabled?: boolean;
  webhookSettings?: WebhookSettingsInput;
}

export interface InstancePatch {
  name?: string;
  description?: string | null;
  webhookUrl?: string | null;
  webhookEnabled?: boolean;
  webhookSettings?: WebhookSettingsInput;
}

export const WEBHOOK_DEFAULTS = {
  notifyReceived: true,
  notifySent: true,
  notifyDelivery: false,
  notifyRead: false,
  maxRetries: 3,
  retryInterval: 60_000,
  events: null,
} as const;

/** Checks run before an instance is created (usage limits hook in here). */
export type CreateGuard = (user: UserRecord) => Promise<void>;

/** Cleanup of what an instance owns outside the store (media files), after its rows are gone. */
export type DeleteHook = (instanceId: string) => Promise<void>;

export class InstancesService {
  private readonly createGuards: CreateGuard[] = [];
  private readonly deleteHooks: DeleteHook[] = [];

  constructor(
    private readonly store: Store,
    private readonly events: EventLog,
    private readonly sessions: SessionManager,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly options: { defaultEngine: EngineName; allowPrivateUrls: boolean },
  ) {}

  /** The engine a new instance runs on when its creator names none (DEFAULT_ENGINE). */
  get defaultEngine(): EngineName {
    return this.options.defaultEngine;
  }

  addCreateGuard(guard: CreateGuard): void {
    this.createGuards.push(guard);
  }

  addDeleteHook(hook: DeleteHook): void {
    this.deleteHooks.push(hook);
  }

  /** The instance if `user` may use it; another user's instance is "not found", never "forbidden". */
  async getOwned(user: UserRecord, id: string): Promise<InstanceRecord> {
    const instance = await this.store.instances.findById(id);
    if (!instance || (instance.userId !== user.id && user.role !== 'admin')) {
      throw new NotFoundError(`Instance ${id} not found`);
    }
    return instance;
  }

  list(user: UserRecord): Promise<InstanceRecord[]> {
    return this.store.instances.list(user.role === 'admin' ? undefined : user.id);
  }

  state(instance: InstanceRecord): ConnectionState {
    return this.sessions.state(instance);
  }

  lastActivity(instance: InstanceRecord): number | null {
    return this.sessions.lastActivity(instance);
  }

  async webhookSettings(instanceId: string): Promise<WebhookSettingsRecord> {
    const settings = await this.store.webhookSettings.find(instanceId);
    return settings ?? { instanceId, ...WEBHOOK_DEFAULTS, secretEnc: null, headers: {}, updatedAt: 0 };
  }

  revealSecret(settings: WebhookSettingsRecord): string | null {
    return settings.secretEnc ? this.box.decrypt(settings.secretEnc) : null;
  }

  async create(user: UserRecord, input: NewInstance): Promise<InstanceRecord> {
    for (const guard of this.createGuards) await guard(user);
    const webhookUrl = this.checkWebhookUrl(input.webhookUrl);
    if (input.webhookSettings?.headers) checkWebhookHeaders(input.webhookSettings.headers);
    const now = this.clock();
    const instance: InstanceRecord = {
      id: randomUUID(),
      userId: user.id,
      name: requireName(input.name),
      description: input.description ?? null,
      engine: input.engine ?? this.options.defaultEngine,
      status: 'connecting',
      linked: false,
      phoneJid: null,
      webhookUrl,
      webhookEnabled: input.webhookEnabled ?? false,
      lastActivity: null,
      lastEventTs: 0,
      createdAt: now,
      updatedAt: now,
    };
    const settings = this.mergeSettings(
      { instanceId: instance.id, ...WEBHOOK_DEFAULTS, secretEnc: null, headers: {}, updatedAt: now },
      input.webhookSettings ?? {},
      now,
    );
    await this.store.transaction(async (tx) => {
      await tx.instances.insert(instance);
      await tx.webhookSettings.upsert(settings);
    });
    await this.sessions.start(instance);
    return (await this.store.instances.findById(instance.id)) ?? instance;
  }

  async update(user: UserRecord, id: string, patch: InstancePatch): Promise<InstanceRecord> {
    const instance = await this.getOwned(user, id);
    const now = this.clock();
    const changes: Partial<InstanceRecord> = { updatedAt: now };
    if (patch.name !== undefined) changes.name = requireName(patch.name);
    if (patch.description !== undefined) changes.description = patch.description;
    if (patch.webhookUrl !== undefined) changes.webhookUrl = this.checkWebhookUrl(patch.webhookUrl);
    if (patch.webhookEnabled !== undefined) changes.webhookEnabled = patch.webhookEnabled;
    if (patch.webhookSettings?.headers) checkWebhookHeaders(patch.webhookSettings.headers);
    const webhookChanged = patch.webhookUrl !== undefined || patch.webhookEnabled !== undefined || patch.webhookSettings !== undefined;
    return this.events.record(id, async (tx, emit) => {
      const updated = await tx.instances.update(id, changes);
      if (patch.webhookSettings) {
        const current = (await tx.webhookSettings.find(id)) ?? (await this.webhookSettings(id));
        await tx.webhookSettings.upsert(this.mergeSettings(current, patch.webhookSettings, now));
      }
      if (webhookChanged) await emit('webhook_updated', (at) => ({ timestamp: at.toISOString() }));
      return updated ?? instance;
    });
  }

  async delete(user: UserRecord, id: string): Promise<void> {
    await this.getOwned(user, id);
    await this.remove(id);
  }

  /** Removes every instance of a user (the user is being deleted). */
  async deleteAllOf(userId: string): Promise<void> {
    for (const instance of await this.store.instances.list(userId)) await this.remove(instance.id);
  }

  private async remove(id: string): Promise<void> {
    await this.sessions.remove(id);
    await this.store.instances.delete(id);
    for (const hook of this.deleteHooks) await hook(id);
  }

  private checkWebhookUrl(value: string | null | undefined): string | null {
    if (value === undefined || value === null || value === '') return null;
    const url = parseHttpUrl(value, 'webhookUrl');
    assertPublicUrl(url, 'webhookUrl', this.options.allowPrivateUrls);
    return url.toString();
  }

  private mergeSettings(current: WebhookSettingsRecord, input: WebhookSettingsInput, now: number): WebhookSettingsRecord {
    const next: WebhookSettingsRecord = { ...current, updatedAt: now };
    if (input.notifyReceived !== undefined) next.notifyReceived = input.notifyReceived;
    if (input.notifySent !== undefined) next.notifySent = input.notifySent;
    if (input.notifyDelivery !== undefined) next.notifyDelivery = input.notifyDelivery;
    if (input.notifyRead !== undefined) next.notifyRead = input.notifyRead;
    if (input.maxRetries !== undefined) next.maxRetries = input.maxRetries;
    if (input.retryInterval !== undefined) next.retryInterval = input.retryInterval;
    if (input.headers !== undefined) next.headers = input.headers;
    if (input.events !== undefined) next.events = input.events && [...new Set(input.events)];
    if (input.secret !== undefined) next.secretEnc = input.secret ? this.box.encrypt(input.secret) : null;
    return next;
  }
}

function requireName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new ValidationError('name must not be empty', [{ field: 'name', message: 'must not be empty' }]);
  return trimmed;
}
