import type { Logger } from '../core/logger.js';
import type { DatabaseProvider } from '../config.js';
import { ConflictError, ServiceUnavailableError, ValidationError } from '../core/errors.js';
import { catchUp, copyEverything, countAll, type Counts } from '../store/copy.js';
import { StoreOpenError } from '../store/open.js';
import type { Store } from '../store/store.js';
import type { SwitchableStore } from '../store/switchable-store.js';
import type { CollectionName } from '../store/transfer.js';

export const DATABASE_PROVIDERS: readonly DatabaseProvider[] = ['sqlite', 'postgres', 'mongodb'];

export interface DatabaseStatus {
  provider: DatabaseProvider;
  /** The live provider's URL with any password masked. */
  url: string;
  healthy: boolean;
  /** Rows per collection; empty when the database does not answer. */
  counts: Partial<Counts>;
}

export interface SwitchResult {
  success: true;
  message: string;
  provider: DatabaseProvider;
  copied?: Counts;
}

/** What the service needs from the outside world: opening stores and remembering the choice. */
export interface DatabasePorts {
  open(provider: DatabaseProvider): Promise<Store>;
  /** Where a provider lives, masked; undefined when it is not configured. */
  maskedUrl(provider: DatabaseProvider): string | undefined;
  persist(provider: DatabaseProvider): void;
}

const PROGRESS_EVERY = 10_000;

/**
 * Database status and the live switch between providers: copy everything while the service
 * runs, pause writes for the final catch-up, verify counts, then swap the store every service
 * holds. On any failure the old provider stays in charge.
 */
export class DatabaseService {
  private switching = false;

  constructor(
    private readonly store: SwitchableStore,
    private readonly ports: DatabasePorts,
    private readonly logger: Logger,
  ) {}

  async status(): Promise<DatabaseStatus> {
    const provider = this.store.provider;
    const url = this.ports.maskedUrl(provider) ?? '';
    try {
      await this.store.ping();
      return { provider, url, healthy: true, counts: await countAll(this.store.current) };
    } catch (error) {
      this.logger.warn({ err: error, provider }, 'database status: the database does not answer');
      return { provider, url, healthy: false, counts: {} };
    }
  }

  async switchTo(provider: string): Promise<SwitchResult> {
    if (!DATABASE_PROVIDERS.includes(provider as DatabaseProvider)) {
      throw new ValidationError(`Unknown provider "${provider}": expected one of ${DATABASE_PROVIDERS.join(', ')}`, [
        { field: 'provider', message: `must be one of ${DATABASE_PROVIDERS.join(', ')}` },
      ]);
    }
    const target = provider as DatabaseProvider;
    if (target === this.store.provider) {
      return { success: true, message: `Database provider is already ${target}; nothing to do`, provider: target };
    }
    if (this.switching) throw new ConflictError('A database switch is already running');
    this.switching = true;
    try {
      return await this.switchProvider(target);
    } finally {
      this.switching = false;
    }
  }

  private async switchProvider(target: DatabaseProvider): Promise<SwitchResult> {
    const from = this.store.provider;
    const next = await this.openTarget(target);
    const source = this.store.current;
    const log = this.logger.child({ from, to: target });
    const progress = (collection: CollectionName, copied: number) => {
      if (copied > 0 && copied % PROGRESS_EVERY === 0) log.info({ collection, copied }, 'database switch: copying');
    };
    let paused = false;
    try {
      log.info('database switch: first pass (writes continue)');
      this.store.watchRemovals();
      const marks = await copyEverything(source, next, { progress });
      log.info('database switch: pausing writes for the final catch-up');
      await this.store.pauseWrites();
      paused = true;
      const copied = await catchUp(source, next, marks, this.store.takeRemovals(), { progress });
      this.ports.persist(target);
      const previous = this.store.resumeWrites(next);
      paused = false;
      log.info({ copied }, 'database switch: done, the new provider is live');
      if (previous) void this.retire(previous);
      return { success: true, message: `Database provider switched to ${target}`, provider: target, copied };
    } catch (error) {
      this.store.takeRemovals();
      if (paused) this.store.resumeWrites();
      await next.close().catch(() => undefined);
      log.error({ err: error }, 'database switch failed; the old provider stays in charge');
      const reason = error instanceof Error ? error.message : String(error);
      throw new ServiceUnavailableError(`Database switch to ${target} failed, still on ${from}: ${reason}`);
    }
  }

  private async openTarget(target: DatabaseProvider): Promise<Store> {
    try {
      return await this.ports.open(target);
    } catch (error) {
      if (error instanceof StoreOpenError && error.failure === 'unconfigured') {
        throw new ValidationError(`Provider ${target} is not configured: ${error.message}`, [{ field: 'provider', message: error.message }]);
      }
      if (error instanceof StoreOpenError && error.failure === 'bad URL') {
        throw new ValidationError(`Provider ${target} is misconfigured: ${error.message}`, [{ field: 'provider', message: error.message }]);
      }
      if (error instanceof StoreOpenError && error.failure === 'in use') throw new ConflictError(`Database ${target} is in use: ${error.message}`);
      const reason = error instanceof Error ? error.message : String(error);
      throw new ServiceUnavailableError(`Database ${target} is not available: ${reason}`);
    }
  }

  /** Closes the replaced store once the calls still running on it are done. */
  private async retire(previous: Store): Promise<void> {
    await this.store.idle(previous);
    await previous.close().catch((error: unknown) => this.logger.warn({ err: error }, 'closing the previous database failed'));
  }
}
