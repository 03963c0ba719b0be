import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { freshPostgresUrl, TEST_POSTGRES_URL } from '../support/postgres.js';
import { instanceRecord, messageRecord, NOW, userRecord } from '../support/records.js';

describe.runIf(TEST_POSTGRES_URL)('PostgreSQL statements', () => {
  it('prepares the message path\'s statements once per connection and reuses them', async () => {
    const schema = await freshPostgresUrl();
    // One connection, so the statements it prepared are the ones pg_prepared_statements shows.
    const store = await openPostgresStore(schema.url, { maxConnections: 1 });
    try {
      await store.users.insert(userRecord({ id: 'owner' }));
      const instance = instanceRecord('owner');
      await store.instances.insert(instance);
      const prepared = async () =>
        (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(store.db)).rows.filter((r) => r.name.startsWith('wa_prepared_'));
      const receive = async (n: number) => {
        await store.messages.insert(messageRecord(instance.id, { messageId: `m${n}` }));
        await store.instances.nextEventTs(instance.id, NOW);
        return store.messages.findByMessageId(instance.id, `m${n}`);
      };

      expect((await receive(1))?.messageId).toBe('m1');
      const first = await prepared();
      expect(first.map((r) => r.statement).join('\n')).toMatch(/insert into "messages"/);
      expect(first.length).toBeGreaterThanOrEqual(3);
      expect((await receive(2))?.messageId).toBe('m2');
      expect((await prepared()).map((r) => r.name).sort()).toEqual(first.map((r) => r.name).sort());
    } finally {
      await store.close();
      await schema.drop();
    }
  });
});
