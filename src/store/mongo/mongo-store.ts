import { type Db, MongoClient } from 'mongodb';
import type { Repositories, Settled, Store } from '../store.js';
import { MongoActivityRepository } from './activity.repo.js';
import { MongoAuthStateRepository } from './auth-state.repo.js';
import { MongoChatsRepository } from './chats.repo.js';
import { MongoGroupsRepository } from './groups.repo.js';
import { MongoContactsRepository } from './contacts.repo.js';
import { MongoDeliveriesRepository } from './deliveries.repo.js';
import type { MongoContext } from './documents.js';
import { MongoEventsRepository } from './events.repo.js';
import { ensureSchema } from './indexes.js';
import { MongoInstancesRepository } from './instances.repo.js';
import { MongoMessagesRepository } from './messages.repo.js';
import { migrateData } from './migrations.js';
import { MongoBulkTransfer } from './transfer.js';
import { MongoLimitsRepository, MongoUsageRepository } from './usage.repo.js';
import { MongoUsersRepository } from './users.repo.js';
import { MongoWebhookSettingsRepository } from './webhook-settings.repo.js';

function repositories(ctx: MongoContext): Repositories {
  return {
    users: new MongoUsersRepository(ctx),
    instances: new MongoInstancesRepository(ctx),
    webhookSettings: new MongoWebhookSettingsRepository(ctx),
    authState: new MongoAuthStateRepository(ctx),
    messages: new MongoMessagesRepository(ctx),
    contacts: new MongoContactsRepository(ctx),
    chats: new MongoChatsRepository(ctx),
    groups: new MongoGroupsRepository(ctx),
    activity: new MongoActivityRepository(ctx),
    events: new MongoEventsRepository(ctx),
    deliveries: new MongoDeliveriesRepository(ctx),
    usage: new MongoUsageRepository(ctx),
    limits: new MongoLimitsRepository(ctx),
  };
}

const TRANSIENT = 'TransientTransactionError';
const UNKNOWN_COMMIT = 'UnknownTransactionCommitResult';
const MAX_ATTEMPTS = 5;

/** Whether the server can run multi-document transactions: a replica set member or a mongos. */
async function supportsTransactions(db: Db): Promise<boolean> {
  // `hello` since 4.4.2; `isMaster` answers the same on the 4.2 servers we still run on.
  const hello = await db.command({ hello: 1 }).catch(() => db.command({ isMaster: 1 }));
  return typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
}

/**
 * The store over the official MongoDB driver. On a replica set (or sharded cluster) a
 * `transaction` is a real multi-document transaction. On a standalone server there are none:
 * each operation is atomic on its own and `transaction` only runs `work` exclusively within this
 * process (see docs/DATABASE.md).
 */
export class MongoStore implements Store {
  readonly provider = 'mongodb' as const;
  readonly users;
  readonly instances;
  readonly webhookSettings;
  readonly authState;
  readonly messages;
  readonly contacts;
  readonly chats;
  readonly groups;
  readonly activity;
  readonly events;
  readonly deliveries;
  readonly usage;
  readonly limits;
  readonly transfer: MongoBulkTransfer;
  /** Transactions of this process run one at a time: no write conflicts among them, so no retries of work with side effects. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly client: MongoClient,
    readonly db: Db,
    readonly transactional: boolean,
  ) {
    const repos = repositories({ db });
    this.users = repos.users;
    this.instances = repos.instances;
    this.webhookSettings = repos.webhookSettings;
    this.authState = repos.authState;
    this.messages = repos.messages;
    this.contacts = repos.contacts;
    this.chats = repos.chats;
    this.groups = repos.groups;
    this.activity = repos.activity;
    this.events = repos.events;
    this.deliveries = repos.deliveries;
    this.usage = repos.usage;
    this.limits = repos.limits;
    this.transfer = new MongoBulkTransfer({ db });
  }

  static async open(url: string): Promise<MongoStore> {
    const client = new MongoClient(url, { ignoreUndefined: true, serverSelectionTimeoutMS: 10_000, connectTimeoutMS: 10_000 });
    try {
      await client.connect();
      const db = client.db();
      await ensureSchema(db);
      await migrateData(db);
      return new MongoStore(client, db, await supportsTransactions(db));
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => (this.transactional ? this.inTransaction(work) : work(repositories({ db: this.db }))));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** No savepoints in MongoDB: each work is its own transaction, in order. */
  async transactionGroup(works: ReadonlyArray<(tx: Repositories) => Promise<unknown>>): Promise<Settled[]> {
    const settled: Settled[] = [];
    for (const work of works) {
      try {
        settled.push({ ok: true, value: await this.transaction(work) });
      } catch (error) {
        settled.push({ ok: false, error });
      }
    }
    return settled;
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * Another node's transaction may conflict with ours on the same document; MongoDB then aborts
   * ours with TransientTransactionError instead of waiting, and the whole attempt is retried.
   */
  private async inTransaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    const session = this.client.startSession();
    try {
      for (let attempt = 1; ; attempt += 1) {
        session.startTransaction({ readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } });
        try {
          const result = await work(repositories({ db: this.db, session }));
          await this.commit(session);
          return result;
        } catch (error) {
          if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
          const labels = (error as { errorLabels?: string[] }).errorLabels ?? [];
          if (!labels.includes(TRANSIENT) || attempt >= MAX_ATTEMPTS) throw error;
          await new Promise((r) => setTimeout(r, 10 * 2 ** attempt));
        }
      }
    } finally {
      await session.endSession();
    }
  }

  private async commit(session: ReturnType<MongoClient['startSession']>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await session.commitTransaction();
        return;
      } catch (error) {
        const labels = (error as { errorLabels?: string[] }).errorLabels ?? [];
        if (!labels.includes(UNKNOWN_COMMIT) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

export function openMongoStore(url: string): Promise<MongoStore> {
  return MongoStore.open(url);
}
