import type { Page, UserRecord, UsersRepository } from '../store.js';
import type { SqlContext } from './executor.js';
import { toColumns, userFromRow, userToRow } from './rows.js';

export class SqlUsersRepository implements UsersRepository {
  constructor(private readonly ctx: SqlContext) {}

  async insert(user: UserRecord): Promise<void> {
    await this.ctx.db.insertInto('users').values(userToRow(user)).execute();
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const row = await this.ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && userFromRow(row);
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row && userFromRow(row);
  }

  async findByApiKeyIndex(index: string): Promise<UserRecord | undefined> {
    const row = await this.ctx.db.selectFrom('users').selectAll().where('api_key_index', '=', index).executeTakeFirst();
    return row && userFromRow(row);
  }

  async list(page: Page): Promise<{ items: UserRecord[]; total: number }> {
    const rows = await this.ctx.db
      .selectFrom('users')
      .selectAll()
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(page.limit)
      .offset(page.skip)
      .execute();
    return { items: rows.map(userFromRow), total: await this.count() };
  }

  async update(id: string, patch: Partial<Omit<UserRecord, 'id' | 'createdAt'>>): Promise<UserRecord | undefined> {
    const columns = toColumns(patch);
    if (Object.keys(columns).length > 0) {
      await this.ctx.db.updateTable('users').set(columns).where('id', '=', id).execute();
    }
    return this.findById(id);
  }

  async delete(id: string): Promise<boolean> {
    await this.ctx.db.deleteFrom('limits').where('scope', '=', 'user').where('scope_id', '=', id).execute();
    const result = await this.ctx.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async count(): Promise<number> {
    const row = await this.ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
