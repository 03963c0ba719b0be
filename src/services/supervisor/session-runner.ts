import { randomUUID } from 'node:crypto';
import type { CloseReason, Engine, EngineEvent, EngineSession } from '../../engines/engine.js';
import type { InstanceRecord, InstanceStatus, Store } from '../../store/store.js';
import type { Clock } from '../../core/clock.js';
import { storedPoll } from '../message-updates.js';
import type { EventLog, EventType } from '../event-log.js';
import type { ConnectionState, ConsumedEngineEvent, EngineEventConsumer, PresenceConsumer, ReconnectOutcome } from '../sessions.js';
import { storeAuthState } from './auth-state.js';
import { type BackoffPolicy, backoffDelay } from './backoff.js';
import { SerialQueue } from '../../core/serial-queue.js';
import type { Logger } from '../../core/logger.js';

export interface RunnerDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  logger: Logger;
  consumer(): EngineEventConsumer | undefined;
  presence(): PresenceConsumer | undefined;
  reconnect: BackoffPolicy & { maxAttempts: number };
}

type MessageEvent = ConsumedEngineEvent;
type Activity = [action: string, details: Record<string, unknown>];
interface Change {
  activities?: Activity[];
  event?: [EventType, Record<string, unknown>];
}

/** Message traffic moves `lastActivity` in memory at once and in the store at most this often. */
const ACTIVITY_PERSIST_MS = 60_000;

/**
 * Runs one instance's engine session: applies the reconnect policy to every close, keeps the
 * connection state in memory and in the store, and records lifecycle events and activity in the
 * same transaction as the status change. Engine events and lifecycle commands go through one
 * queue, so they are handled strictly in order.
 */
export class SessionRunner {
  readonly session: EngineSession;
  private status: InstanceStatus = 'connecting';
  private qr?: string;
  /** QR codes shown since the last successful connection. */
  private qrAttempts = 0;
  /** Reconnects tried since the connection was lost. */
  private reconnectAttempts = 0;
  private reconnectTimer?: NodeJS.Timeout;
  /** True while we stop or log out on purpose: the `closed` events that causes are ours. */
  private stopping = false;
  private finished = false;
  private activityPersistedAt = 0;
  private lastDisconnect?: { reason: CloseReason; message?: string };
  /** Callers waiting for the outcome of the connection attempt under way. */
  private outcomeWaiters: Array<(outcome: ReconnectOutcome) => void> = [];
  private readonly queue = new SerialQueue();

  /**
   * `instance` is the record the runner was started with; the fields the runner owns (status,
   * linked, phoneJid, lastActivity) are kept current, the rest (name, webhook) are as of start.
   */
  constructor(
    private instance: InstanceRecord,
    engine: Engine,
    private readonly deps: RunnerDeps,
  ) {
    const id = instance.id;
    this.session = engine.createSession({
      instanceId: id,
      auth: storeAuthState(deps.store.authState, id),
      emit: (event) => this.onEngineEvent(event),
      handled: () => this.queue.idle(),
      logger: deps.logger,
      getMessageText: async (messageId) => (await deps.store.messages.findByMessageId(id, messageId))?.content ?? undefined,
      getPoll: async (messageId) => storedPoll(await deps.store.messages.findByMessageId(id, messageId)),
    });
  }

  state(): ConnectionState {
    const state: ConnectionState = { status: this.status, ready: this.status === 'connected', hasQr: this.qr !== undefined };
    if (this.lastDisconnect) state.lastDisconnect = this.lastDisconnect;
    return state;
  }

  get qrCode(): string | undefined {
    return this.qr;
  }

  /** When the instance last sent or received something, as of now (the store may be behind). */
  get lastActivity(): number | null {
    return this.instance.lastActivity;
  }

  /**
   * Message traffic: moves `lastActivity` in memory at once and in the store at most every
   * minute. Never throws: a failed write of this timestamp must not fail the message with it.
   */
  async noteActivity(now: number): Promise<void> {
    this.instance = { ...this.instance, lastActivity: now };
    if (now - this.activityPersistedAt < ACTIVITY_PERSIST_MS) return;
    this.activityPersistedAt = now;
    await this.deps.store.instances.update(this.instance.id, { lastActivity: now }).catch((err: unknown) => this.log('warn', err, 'storing the last activity failed'));
  }

  start(): Promise<void> {
    return this.queue.push(() => this.open());
  }

  /**
   * Stops and starts the session; also revives a failed, disconnected or logged-out one. Waits
   * up to `waitMs` for the new connection to show a QR code, connect or close.
   */
  async reconnect(waitMs: number): Promise<ReconnectOutcome> {
    let outcome: Promise<ReconnectOutcome> | undefined;
    await this.queue.push(async () => {
      this.cancelReconnect();
      await this.deliberately(() => this.session.stop());
      this.reconnectAttempts = 0;
      this.qr = undefined;
      this.qrAttempts = 0;
      this.lastDisconnect = undefined;
      this.status = 'connecting';
      await this.persist({ status: 'connecting' }, { activities: [['reconnecting', { requestedBy: 'api' }]] });
      // Registered inside the queue, so no event of the connection just stopped can settle it.
      outcome = this.nextOutcome(waitMs);
      await this.open();
    });
    return outcome ?? { kind: 'pending', status: this.status };
  }

  /** Unlinks the device and wipes its credentials; the instance stays, waiting for a reconnect. */
  logout(): Promise<void> {
    return this.queue.push(async () => {
      this.cancelReconnect();
      const wasLinked = this.instance.linked;
      await this.deliberately(() => this.session.logout());
      await this.deps.store.authState.clear(this.instance.id);
      this.qr = undefined;
      this.qrAttempts = 0;
      this.status = 'logged_out';
      await this.persist(
        { status: 'logged_out', linked: false, phoneJid: null },
        {
          activities: [['logged_out', { by: 'api' }]],
          event: wasLinked ? ['disconnected', { reason: 'logout', willReconnect: false }] : undefined,
        },
      );
    });
  }

  /** Unlinks the device and stops for good: the instance is being deleted. */
  remove(): Promise<void> {
    return this.finish(() => this.session.logout());
  }

  /** Stops for good and keeps the device linked: the process is shutting down. */
  shutdown(): Promise<void> {
    return this.finish(() => this.session.stop());
  }

  private finish(close: () => Promise<void>): Promise<void> {
    return this.queue.push(async () => {
      this.cancelReconnect();
      this.finished = true;
      this.settle({ kind: 'pending', status: this.status });
      await this.deliberately(close).catch((err: unknown) => this.log('error', err, 'closing the session failed'));
      this.session.dispose?.();
      await this.storeLastActivity().catch((err: unknown) => this.log('error', err, 'storing the last activity failed'));
    });
  }

  /** What noteActivity kept only in memory, so a restart shows it. */
  private async storeLastActivity(): Promise<void> {
    const { lastActivity } = this.instance;
    if (lastActivity === null || lastActivity <= this.activityPersistedAt) return;
    this.activityPersistedAt = lastActivity;
    await this.deps.store.instances.update(this.instance.id, { lastActivity });
  }

  private onEngineEvent(event: EngineEvent): void {
    const deliberate = this.stopping;
    this.queue.push(() => this.handle(event, deliberate)).catch((err: unknown) => this.log('error', err, `handling ${event.type} failed`));
  }

  private async handle(event: EngineEvent, deliberate: boolean): Promise<void> {
    if (this.finished) return;
    if (event.type === 'message' || event.type === 'message_update' || event.type === 'message_status' || event.type === 'contacts' || event.type === 'group') {
      return this.onMessageEvent(event);
    }
    // Not message traffic: it leaves the last activity alone.
    if (event.type === 'presence') return this.deps.presence()?.onPresence(this.instance, event.presence);
    // A stop or logout of ours may itself connect and close (unlinking a stopped device connects
    // first); the command records the outcome, so its connection events are not news.
    if (deliberate) return;
    switch (event.type) {
      case 'qr':
        return this.onQr(event.qr);
      case 'connected':
        return this.onConnected(event.jid, event.pushName);
      case 'closed':
        return this.onClosed(event.reason, event.message);
    }
  }

  private async onQr(qr: string): Promise<void> {
    this.qr = qr;
    this.qrAttempts += 1;
    this.lastDisconnect = undefined;
    this.status = 'qr';
    await this.persist({ status: 'qr' }, { activities: [['qr_received', { attempt: this.qrAttempts }]], event: ['qr_received', { qrCode: qr }] });
    this.settle({ kind: 'qr' });
  }

  private async onConnected(jid: string, pushName: string | undefined): Promise<void> {
    this.qr = undefined;
    this.qrAttempts = 0;
    this.reconnectAttempts = 0;
    this.lastDisconnect = undefined;
    this.status = 'connected';
    await this.persist(
      { status: 'connected', linked: true, phoneJid: jid },
      { activities: [['connected', { phone: jid, pushName }]], event: ['connected', { phone: jid }] },
    );
    this.settle({ kind: 'connected' });
  }

  private async onClosed(reason: CloseReason, message: string | undefined): Promise<void> {
    this.qr = undefined;
    // Ours (stopped) or the step after pairing (restart_required): neither is news to a caller.
    if (reason === 'stopped' || reason === 'restart_required') return this.applyClose(reason, message);
    this.lastDisconnect = message === undefined ? { reason } : { reason, message };
    await this.applyClose(reason, message);
    this.settle({ kind: 'failed', status: this.status, ...this.lastDisconnect });
  }

  private async applyClose(reason: CloseReason, message: string | undefined): Promise<void> {
    switch (reason) {
      case 'stopped':
        return;
      case 'restart_required':
        // Pairing finished (or the server asked): reconnect at once, nothing for clients to see.
        this.status = 'connecting';
        await this.persist({}, { activities: [['restarting', { reason }]] });
        return this.open();
      case 'connection_lost':
      case 'network':
      case 'bad_session':
        return this.onConnectionLost(reason, message);
      case 'engine_error':
        // A bug throws the same way on every attempt: a retry loop would only hide it. The
        // stack is in the log; POST /reconnect tries again once it is fixed.
        this.status = 'failed';
        return this.persist({ status: 'failed' }, {
          activities: [['failed', { reason, message }]],
          event: ['disconnected', { reason, willReconnect: false }],
        });
      case 'conflict':
        // Another client holds the credentials; reconnecting would only kick it out in turn.
        this.status = 'disconnected';
        return this.persist({ status: 'disconnected' }, {
          activities: [['disconnected', { reason, message }]],
          event: ['disconnected', { reason, willReconnect: false }],
        });
      case 'logged_out':
        await this.deps.store.authState.clear(this.instance.id);
        this.status = 'logged_out';
        return this.persist({ status: 'logged_out', linked: false, phoneJid: null }, {
          activities: [['logged_out', { by: 'phone', message }]],
          event: ['disconnected', { reason: 'logout', willReconnect: false }],
        });
      case 'qr_timeout':
        this.status = 'disconnected';
        return this.persist({ status: 'disconnected' }, {
          activities: [['disconnected', { reason }]],
          event: ['disconnected', { reason, willReconnect: false }],
        });
    }
  }

  private async onConnectionLost(reason: CloseReason, message: string | undefined): Promise<void> {
    const { maxAttempts } = this.deps.reconnect;
    if (this.reconnectAttempts >= maxAttempts) {
      this.status = 'failed';
      await this.persist({ status: 'failed' }, {
        activities: [['failed', { reason, attempts: this.reconnectAttempts, message }]],
        event: ['disconnected', { reason, willReconnect: false }],
      });
      return;
    }
    // Clients hear about the drop once, not about every failed attempt that follows it.
    const justLost = this.status !== 'reconnecting';
    this.reconnectAttempts += 1;
    const delayMs = backoffDelay(this.reconnectAttempts, this.deps.reconnect);
    this.status = 'reconnecting';
    const activities: Activity[] = justLost ? [['disconnected', { reason, message }]] : [];
    activities.push(['reconnecting', { attempt: this.reconnectAttempts, delayMs }]);
    await this.persist({ status: 'reconnecting' }, { activities, event: justLost ? ['disconnected', { reason, willReconnect: true }] : undefined });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.queue
        .push(async () => {
          if (this.status === 'reconnecting') await this.open();
        })
        .catch((err: unknown) => this.log('error', err, 'reconnect failed'));
    }, delayMs);
    this.reconnectTimer.unref();
  }

  private async onMessageEvent(event: MessageEvent): Promise<void> {
    await this.noteActivity(this.deps.clock());
    await this.deps.consumer()?.onEngineEvent(this.instance, event);
  }

  /**
   * Starts the engine session. Engines report connection trouble as `closed` events, so a start
   * that throws is an unexpected exception: a bug in the engine or its library.
   */
  private async open(): Promise<void> {
    if (this.finished) return;
    if (this.status !== 'reconnecting') this.status = 'connecting';
    try {
      await this.session.start();
    } catch (err) {
      this.log('error', err, 'the engine failed to start the session with an unexpected exception');
      await this.onClosed('engine_error', err instanceof Error ? `${err.name}: ${err.message}` : String(err));
    }
  }

  /** A promise of the next outcome of the connection attempt, or `pending` after `waitMs`. */
  private nextOutcome(waitMs: number): Promise<ReconnectOutcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.outcomeWaiters = this.outcomeWaiters.filter((waiter) => waiter !== done);
        resolve({ kind: 'pending', status: this.status });
      }, waitMs);
      timer.unref();
      const done = (outcome: ReconnectOutcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      this.outcomeWaiters.push(done);
    });
  }

  private settle(outcome: ReconnectOutcome): void {
    const waiters = this.outcomeWaiters;
    this.outcomeWaiters = [];
    for (const waiter of waiters) waiter(outcome);
  }

  private async deliberately(action: () => Promise<void>): Promise<void> {
    this.stopping = true;
    try {
      await action();
    } finally {
      this.stopping = false;
    }
  }

  private cancelReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  /** Applies a state change to the store with its activity rows and event, in one transaction. */
  private async persist(patch: Partial<InstanceRecord>, change: Change): Promise<void> {
    const id = this.instance.id;
    const now = this.deps.clock();
    const changes = { ...patch, lastActivity: now };
    this.instance = { ...this.instance, ...changes };
    this.activityPersistedAt = now;
    // Started at once: the live status has already changed, and a client that sees it looks for
    // the change's event and activity next. On SQLite the transaction then commits before the
    // next request is read.
    await this.deps.events.record(
      id,
      async (tx, emit) => {
        await tx.instances.update(id, changes);
        for (const [action, details] of change.activities ?? []) {
          await tx.activity.insert({ id: randomUUID(), instanceId: id, action, details: withoutUndefined(details), createdAt: now });
        }
        if (change.event) await emit(change.event[0], change.event[1]);
      },
      { now: true },
    );
  }

  private log(level: 'warn' | 'error', err: unknown, msg: string): void {
    this.deps.logger[level]({ err, instanceId: this.instance.id }, msg);
  }
}

function withoutUndefined(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
}
