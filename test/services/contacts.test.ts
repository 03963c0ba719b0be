import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSession } from '../../src/engines/engine.js';
import { BadGatewayError, NotFoundError, ValidationError } from '../../src/core/errors.js';
import { ContactsService } from '../../src/services/contacts.service.js';
import type { SessionManager } from '../../src/services/sessions.js';
import type { UserRecord } from '../../src/store/store.js';
import { createInstance, createUser, startServer, type TestServer } from '../support/app.js';

/** The WhatsApp side of contacts/add, with an engine that knows exactly one account. */
let server: TestServer;
let user: UserRecord;
let instanceId: string;
let contacts: ContactsService;

beforeAll(async () => {
  server = await startServer();
  const created = await createUser(server);
  user = (await server.ctx.store.users.findById(created.id))!;
  instanceId = (await createInstance(server, created)).id;
  const session = {
    account: {
      checkNumbers: async (jids: string[]) => {
        if (jids.includes('79009999999@s.whatsapp.net')) throw new Error('usync timed out');
        return jids.map((jid) => ({ input: jid, jid, exists: jid === '79001234567@s.whatsapp.net' }));
      },
    },
    getContacts: async () => {
      throw new Error('connection closed');
    },
  } as unknown as EngineSession;
  const sessions = { connectedSession: () => session } as unknown as SessionManager;
  contacts = new ContactsService(server.ctx.store, server.ctx.services.instances, sessions, server.ctx.services.events, Date.now);
});
afterAll(() => server.close());

describe('ContactsService.add', () => {
  it('refuses a number that is not on WhatsApp with a 404 naming phone, storing nothing', async () => {
    const error = await contacts.add(user, instanceId, '+1 (555) 123-4567', 'Nobody').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toBe('15551234567 is not a WhatsApp account');
    expect((error as NotFoundError).details).toEqual([{ field: 'phone', message: 'is not registered on WhatsApp' }]);
    expect((await server.ctx.store.contacts.list({ instanceId, limit: 10, skip: 0 })).total).toBe(0);
  });

  it('stores a number that is', async () => {
    expect(await contacts.add(user, instanceId, '79001234567', 'Ivan')).toEqual({ id: '79001234567@s.whatsapp.net', number: '79001234567', name: 'Ivan' });
    expect(await server.ctx.store.contacts.find(instanceId, '79001234567@s.whatsapp.net')).toMatchObject({ name: 'Ivan' });
  });
});

describe('engine failures and misuse', () => {
  it('answers 502 saying what WhatsApp failed to do', async () => {
    await expect(contacts.add(user, instanceId, '79009999999', 'Slow')).rejects.toThrow(BadGatewayError);
    await expect(contacts.add(user, instanceId, '79009999999', 'Slow')).rejects.toThrow('WhatsApp did not check the number: usync timed out');
    await expect(contacts.importFromWhatsApp(user, instanceId)).rejects.toThrow('WhatsApp did not list the contacts: connection closed');
  });

  it('refuses to add a group as a contact', async () => {
    await expect(contacts.add(user, instanceId, '1234567890-1600000000@g.us', 'Group')).rejects.toThrow(ValidationError);
  });
});
