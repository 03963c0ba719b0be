import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Engine, EngineSession } from '../../engines/engine.js';
import { BadGatewayError, ConflictError } from '../../core/errors.js';
import type { InstanceRecord, InstanceStatus, Store } from '../../store/store.js';
import type { Clock } from '../../core/clock.js';
import type { EventLog } from '../event-log.js';
import type { ConnectionState, EngineEventConsumer, PresenceConsumer, ReconnectOutcome, SessionManager } from '../sessions.js';
import type { BackoffPolicy } from './backoff.js';
import { type InstanceOwnership, localOwnership } from './ownership.js';
import { SessionRunner } from './session-runner.js';
import type { Logger } from '../../core/logger.js';

export interface SupervisorOptions {
  /** Engines by name; an instance runs on the one its `engine` field names. */
  engines: Partial<Record<string, Engine>>;
  reconnect: BackoffPolicy & { maxAttempts: number };
  /** Pause between batches of instances restored at boot. */
  restoreStaggerMs: number;
  logger: Logger;
  ownership?: InstanceOwnership;
}

/** Instances restored together; small enough not to flood the engine, big enough to boot fast. */
const RESTORE_BATCH = 50;

/** Stored statuses that only mean something while a session runs. */
const LIVE_STATUSES = new Set<InstanceStatus>(['connecting', 'qr', 'reconnecting', 'connected']);

/**
 * Owns one engine session per running instance (see `SessionRunner` for the per-instance rules),
 * restores linked instances at boot and stops them at shutdown without logging them out.
 */
export class Supervisor implements SessionManager {
  private readonly runners = new Map<string, SessionRunner>();
  private readonly ownership: InstanceOwnership;
  private readonly shutdown = new AbortController();
  private consumer?: EngineEventConsumer;
  private presence?: PresenceConsumer;
  private restoring: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly events: EventLog,
    private readonly clock: Clock,
    private readonly options: SupervisorOptions,
  ) {
    this.ownership = options.ownership ?? localOwnership;
  }

  /** Where `message`, `message_status` and `contacts` events go; until set, they are dropped. */
  setConsumer(consumer: EngineEventConsumer): void {
    this.consumer = consumer;
  }

  /** Where `presence` events go; until set, they are dropped. */
  setPresenceConsumer(consumer: PresenceConsumer): void {
    this.presence = consumer;
  }

  async start(instance: InstanceRecord): Promise<void> {
    await (await this.claim(instance))?.start();
  }

  /** Restores every linked instance in the background, a batch at a time. */
  restoreLinked(): void {
    this.restoring = this.restore().catch((err: unknown) => this.options.logger.error({ err }, 'restoring sessions failed'));
  }

  async remove(instanceId: string): Promise<void> {
    const runner = this.runners.get(instanceId);
    if (!runner) return;
    await runner.remove();
    this.runners.delete(instanceId);
    await this.ownership.release(instanceId);
  }

  state(instance: InstanceRecord): ConnectionState {
    const runner = this.runners.get(instance.id);
    if (runner) return runner.state();
    // Nothing runs it here, so a stored "connected" is only what it was before a restart.
    const status = LIVE_STATUSES.has(instance.status) ? 'disconnected' : instance.status;
    return { status, ready: false, hasQr: false };
  }

  connectedSession(instanceId: string): EngineSession {
    const runner = this.runners.get(instanceId);
    const status = runner?.state().status ?? 'disconnected';
    if (!runner || status !== 'connected') throw new ConflictError(`Instance ${instanceId} is not connected (status: ${status})`);
    return runner.session;
  }

  lastActivity(instance: InstanceRecord): number | null {
    const live = this.runners.get(instance.id)?.lastActivity ?? null;
    if (live === null || instance.lastActivity === null) return live ?? instance.lastActivity;
    return Math.max(live, instance.lastActivity);
  }

  async noteActivity(instanceId: string, at: number): Promise<void> {
    await this.runners.get(instanceId)?.noteActivity(at);
  }

  /** The current QR code, if the session shows one. */
  qrCode(instanceId: string): string | undefined {
    return this.runners.get(instanceId)?.qrCode;
  }

  /** Restarts the instance's connection and waits up to `waitMs` for how that went. */
  async reconnect(instance: InstanceRecord, waitMs: number): Promise<ReconnectOutcome> {
    return (await this.require(instance)).reconnect(waitMs);
  }

  async logout(instance: InstanceRecord): Promise<void> {
    await (await this.require(instance)).logout();
  }

  async pairingCode(instance: InstanceRecord, phone: string): Promise<string> {
    const runner = this.runners.get(instance.id);
    const status = runner?.state().status ?? this.state(instance).status;
    if (status === 'connected') throw new ConflictError(`Instance ${instance.id} is already connected`);
    if (!runner || (status !== 'qr' && status !== 'connecting')) {
      throw new ConflictError(`Instance ${instance.id} is not waiting to be linked (status: ${status}); POST /api/instances/${instance.id}/reconnect first`);
    }
    try {
      return await runner.session.requestPairingCode(phone);
    } catch (err) {
      throw new BadGatewayError(`No pairing code: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Stops every session, keeping devices linked so the next start restores them. */
  async close(): Promise<void> {
    this.shutdown.abort();
    await this.restoring;
    await Promise.all(
      [...this.runners].map(async ([id, runner]) => {
        await runner.shutdown();
        await this.ownership.release(id);
      }),
    );
    this.runners.clear();
    await Promise.all(Object.values(this.options.engines).map((engine) => engine?.close?.()));
  }

  private async restore(): Promise<void> {
    const runners: SessionRunner[] = [];
    for (const instance of await this.store.instances.listLinked()) {
      const runner = await this.claim(instance);
      if (runner) runners.push(runner);
    }
    for (let i = 0; i < runners.length; i += RESTORE_BATCH) {
      // SQLite answers synchronously, so without a real pause a restore would run as one long
      // chain of microtasks and the server could not answer a request until it finished.
      if (this.options.restoreStaggerMs > 0 && i > 0) {
        await sleep(this.options.restoreStaggerMs, undefined, { signal: this.shutdown.signal }).catch(() => undefined);
      } else {
        await nextTurn();
      }
      if (this.shutdown.signal.aborted) return;
      await Promise.all(runners.slice(i, i + RESTORE_BATCH).map((runner) => runner.start()));
    }
  }

  private async require(instance: InstanceRecord): Promise<SessionRunner> {
    const runner = await this.claim(instance);
    if (!runner) throw new ConflictError(`Instance ${instance.id} cannot run here (engine ${instance.engine} unavailable or shutting down)`);
    return runner;
  }

  /** The instance's runner, created (not started) when this node may run it. */
  private async claim(instance: InstanceRecord): Promise<SessionRunner | undefined> {
    const existing = this.runners.get(instance.id);
    if (existing) return existing;
    if (this.shutdown.signal.aborted) return undefined;
    const engine = this.options.engines[instance.engine];
    if (!engine) {
      this.options.logger.error({ instanceId: instance.id, engine: instance.engine }, 'no such engine; the instance does not run');
      return undefined;
    }
    if (!(await this.ownership.acquire(instance.id))) return undefined;
    const raced = this.runners.get(instance.id);
    if (raced) return raced;
    const runner = new SessionRunner(instance, engine, {
      store: this.store,
      events: this.events,
      clock: this.clock,
      logger: this.options.logger,
      consumer: () => this.consumer,
      presence: () => this.presence,
      reconnect: this.options.reconnect,
    });
    this.runners.set(instance.id, runner);
    return runner;
  }
}
