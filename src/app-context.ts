import type { Config } from './config.js';
import { createEngines } from './engines/registry.js';
import type { Engine } from './engines/engine.js';
import { ApiCallCounter } from './services/api-call-counter.js';
import { AuthService } from './services/auth.service.js';
import { type Clock, systemClock } from './core/clock.js';
import { SecretBox } from './core/crypto.js';
import { GroupCommit } from './store/group-commit.js';
import { EventLog } from './services/event-log.js';
import { ChatsService } from './services/chats.service.js';
import { ContactsService } from './services/contacts.service.js';
import { DatabaseService } from './services/database.service.js';
import { HealthService } from './services/health.service.js';
import { HistoryService } from './services/history.service.js';
import { InstancesService } from './services/instances.service.js';
import { LifecycleService } from './services/lifecycle.service.js';
import { LimitsService } from './services/limits/limits.service.js';
import { LoginThrottle } from './services/login-throttle.js';
import { MediaFetcher } from './services/media-fetch.js';
import { openMediaStore } from './media/open.js';
import { MessagingService } from './services/messaging.service.js';
import { EngineEventRouter } from './services/engine-events.js';
import { GroupEvents } from './services/group-events.js';
import { GroupsService } from './services/groups.service.js';
import { RichSendService } from './services/rich-send.service.js';
import { MessageActionsService } from './services/message-actions.service.js';
import { ChatActionsService } from './services/chat-actions.service.js';
import { ProfilesService } from './services/profiles.service.js';
import { Metrics } from './services/metrics.js';
import { SimulatorService } from './services/simulator.service.js';
import { StatsService } from './services/stats.service.js';
import { CachingStore } from './store/caching-store.js';
import { Supervisor } from './services/supervisor/supervisor.js';
import { UsersService } from './services/users.service.js';
import { WebhooksService } from './services/webhooks.service.js';
import { maskUrl, openProviderStore, persistProvider, providerLocation, startupProvider } from './store/open.js';
import type { Store } from './store/store.js';
import { SwitchableStore } from './store/switchable-store.js';
import { DeliverySink } from './services/webhooks/delivery-sink.js';
import { WebhookSender } from './services/webhooks/sender.js';
import { DeliveryWorker } from './services/webhooks/worker.js';
import { PresenceWebhooks } from './services/webhooks/presence-webhooks.js';
import { PresenceService } from './services/presence.service.js';
import type { Logger } from './core/logger.js';

/** Everything the HTTP layer may call. Built once per process by `createContext`. */
export interface AppServices {
  config: Config;
  clock: Clock;
  health: HealthService;
  auth: AuthService;
  users: UsersService;
  instances: InstancesService;
  events: EventLog;
  /** Reconnect, logout, QR and pairing code, activity log. */
  lifecycle: LifecycleService;
  /** Simulator control; only when SIMULATOR_ENABLED=true. */
  simulator?: SimulatorService;
  webhooks: WebhooksService;
  /** Sends, receives (the sessions' EngineEventConsumer) and serves media. */
  messaging: MessagingService;
  /** Locations, contact cards and polls. */
  richSend: RichSendService;
  /** Reactions, edits, deletes and forwards of stored messages. */
  messageActions: MessageActionsService;
  /** Read receipts, presence and number checks. */
  chatActions: ChatActionsService;
  presence: PresenceService;
  profiles: ProfilesService;
  /** Groups: list, create, members, settings, invites, leave. */
  groups: GroupsService;
  contacts: ContactsService;
  chats: ChatsService;
  history: HistoryService;
  database: DatabaseService;
  stats: StatsService;
  limits: LimitsService;
  metrics: Metrics;
}

export interface AppContext {
  services: AppServices;
  store: Store;
  /** Starts background work: restores sessions, starts workers. */
  start(): Promise<void>;
  /** Stops background work and closes the store; sessions stay linked. */
  close(): Promise<void>;
}

export interface ContextOptions {
  serverSecret: string;
  logger: Logger;
  clock?: Clock;
  /** A store opened by the caller (tests); otherwise the configured one is opened. */
  store?: Store;
  /** Replaces the Baileys engine (tests: an engine that misbehaves on purpose). */
  baileysEngine?: Engine;
}

/** The composition root: config → store → services. The only place that knows every piece. */
export async function createContext(config: Config, options: ContextOptions): Promise<AppContext> {
  const clock = options.clock ?? systemClock;
  // Every service holds the switchable store, so POST /api/db/switch needs no restart.
  const switchable = new SwitchableStore(
    options.store ?? (await openProviderStore(config.database, startupProvider(config, (message) => options.logger.info(message)))),
  );
  // Over it, the cache of what every request reads; every write in this process goes through it.
  const store = new CachingStore(switchable, config.cache.ttlMs);
  const box = new SecretBox(options.serverSecret);
  // Shared by the event log and the webhook worker: records and webhook outcomes commit together.
  const commits = new GroupCommit(store);
  const events = new EventLog(commits, clock);
  const built = createEngines(config, options.logger.child({ component: 'engines' }));
  const engines = options.baileysEngine ? { ...built, baileys: options.baileysEngine } : built;
  const sessions = new Supervisor(store, events, clock, {
    engines,
    reconnect: {
      maxAttempts: config.engines.reconnectMaxAttempts,
      baseDelayMs: config.engines.reconnectBaseDelayMs,
      maxDelayMs: config.engines.reconnectMaxDelayMs,
    },
    restoreStaggerMs: config.engines.restoreStaggerMs,
    logger: options.logger.child({ component: 'sessions' }),
  });
  // Shared by login and password change: both are guesses at one account's password.
  const throttle = new LoginThrottle(clock);
  const users = new UsersService(store, box, clock, throttle);
  try {
    await users.checkServerSecret();
  } catch (error) {
    await store.close();
    throw error;
  }
  const instances = new InstancesService(store, events, sessions, box, clock, {
    defaultEngine: config.engines.default,
    allowPrivateUrls: config.allowPrivateUrls,
  });
  users.onDelete((userId) => instances.deleteAllOf(userId));
  const apiCalls = new ApiCallCounter(store, clock, options.logger.child({ component: 'usage' }));
  const stats = new StatsService(store, instances, apiCalls, clock);
  events.addSink(stats);
  const limits = new LimitsService(store, events, stats, instances, clock, options.logger.child({ component: 'limits' }));
  instances.addCreateGuard(limits.createGuard);
  const metrics = new Metrics(store, instances, events);

  const deliveryWorker = new DeliveryWorker({
    store,
    commits,
    box,
    clock,
    logger: options.logger.child({ component: 'webhooks' }),
    sender: new WebhookSender({
      allowPrivateUrls: config.allowPrivateUrls,
      timeoutMs: config.webhooks.timeoutMs,
      maxResponseBytes: config.webhooks.maxResponseBytes,
    }),
    concurrency: config.webhooks.concurrency,
    pollIntervalMs: config.webhooks.pollIntervalMs,
    leaseMs: config.webhooks.timeoutMs + 30_000,
    allowPrivateUrls: config.allowPrivateUrls,
    sendGuard: limits.webhookSendGuard,
    onDelivered: stats.onWebhookDelivered,
  });
  const deliverySink = new DeliverySink();
  events.addSink(deliverySink);
  const presenceWebhooks = new PresenceWebhooks({
    store,
    box,
    clock,
    logger: options.logger.child({ component: 'webhooks' }),
    // Its own connections: a receiver slow on presence must not hold the event log's deliveries.
    sender: new WebhookSender({
      allowPrivateUrls: config.allowPrivateUrls,
      timeoutMs: config.webhooks.timeoutMs,
      maxResponseBytes: config.webhooks.maxResponseBytes,
    }),
    allowPrivateUrls: config.allowPrivateUrls,
    settingsTtlMs: config.cache.ttlMs,
    sendGuard: limits.webhookSendGuard,
  });
  events.subscribe((event) => {
    deliverySink.committed(event);
    if (event.type === 'webhook_updated') presenceWebhooks.settingsChanged(event.instanceId);
    if (deliverySink.hasQueued(event)) deliveryWorker.wake(event.instanceId);
  });
  const presence = new PresenceService(instances, sessions, clock, presenceWebhooks);
  sessions.setPresenceConsumer(presence);
  const contacts = new ContactsService(store, instances, sessions, events, clock);
  const fetcher = new MediaFetcher({ maxBytes: config.media.maxBytes, timeoutMs: config.media.fetchTimeoutMs, allowPrivateUrls: config.allowPrivateUrls });
  const media = await openMediaStore(config.media);
  // The instance is gone by then: files a store out of reach kept are for the operator to remove.
  instances.addDeleteHook((id) =>
    media.removeInstance(id).catch((error: unknown) => {
      options.logger.error({ instanceId: id, err: error instanceof Error ? error.message : String(error) }, `media of deleted instance ${id} not removed; remove ${id}/ from the media store`);
    }),
  );
  const messaging = new MessagingService({
    store,
    events,
    instances,
    sessions,
    contacts,
    media,
    fetcher,
    clock,
    maxMediaBytes: config.media.maxBytes,
    ffmpegPath: config.media.ffmpegPath,
    logger: options.logger.child({ component: 'messaging' }),
  });
  const groupEvents = new GroupEvents(events, sessions, clock, options.logger.child({ component: 'groups' }));
  sessions.setConsumer(new EngineEventRouter(messaging, groupEvents));
  messaging.addSendGuard(limits.sendGuard);

  const services: AppServices = {
    config,
    clock,
    health: new HealthService(() => store),
    webhooks: new WebhooksService(store, events, instances, clock, () => deliveryWorker.wake()),
    auth: new AuthService(store, box, options.serverSecret, config.jwt.expiration, throttle),
    users,
    instances,
    events,
    messaging,
    richSend: new RichSendService(store, instances, messaging),
    messageActions: new MessageActionsService({ store, instances, sessions, messaging, media, clock }),
    chatActions: new ChatActionsService(store, instances, sessions, clock),
    presence,
    profiles: new ProfilesService(instances, sessions, contacts, fetcher, config.media.maxBytes),
    groups: new GroupsService({ store, events, instances, sessions, messaging, groupEvents, fetcher }),
    lifecycle: new LifecycleService(instances, sessions, store),
    simulator: config.simulator.enabled ? new SimulatorService(instances, engines.simulator, { maxMediaBytes: config.media.maxBytes }, fetcher) : undefined,
    contacts,
    chats: new ChatsService(store, instances, sessions, clock),
    history: new HistoryService(store, instances, sessions),
    database: new DatabaseService(
      switchable,
      {
        open: (provider) => openProviderStore(config.database, provider),
        maskedUrl: (provider) => {
          const location = providerLocation(config.database, provider);
          return location && maskUrl(location.url);
        },
        persist: (provider) => persistProvider(config.dataDir, provider, clock()),
      },
      options.logger.child({ component: 'database' }),
    ),
    stats,
    limits,
    metrics,
  };

  return {
    services,
    store,
    async start() {
      sessions.restoreLinked();
      apiCalls.start();
      deliveryWorker.start();
    },
    async close() {
      await sessions.close();
      await deliveryWorker.stop();
      await presenceWebhooks.stop();
      await apiCalls.stop();
      await fetcher.close();
      media.close?.();
      // Records queued in the last turn (a session's final state, say) still commit.
      await commits.drain();
      await store.close();
    },
  };
}
