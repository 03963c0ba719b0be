import type { EngineContact } from '../engines/engine.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { ContactRecord, InstanceRecord, Store, UserRecord } from '../store/store.js';
import type { Clock } from '../core/clock.js';
import { fromEngine } from './engine-call.js';
import type { EventLog } from './event-log.js';
import type { InstancesService } from './instances.service.js';
import { normalizeRecipient } from '../core/phone.js';
import type { SessionManager } from './sessions.js';

/** A contact as WhatsApp lists it (spec: `GET /api/whatsapp/:id/contacts`). */
export interface LiveContact {
  id: string;
  name: string;
  number: string;
  isGroup: boolean;
  /** The contact's LID (`…@lid`), when WhatsApp or the stored mapping knows it. */
  lid?: string;
}

export interface ContactListQuery {
  limit: number;
  skip: number;
  search?: string;
  onlyGroups?: boolean;
}

export interface SaveContactInput {
  number: string;
  name?: string;
  pushName?: string;
  isGroup?: boolean;
  profilePicture?: string;
  about?: string;
}

/** JIDs that are not people or groups (broadcast lists, status) never become contacts. */
function isContactJid(jid: string): boolean {
  return /@(s\.whatsapp\.net|g\.us|lid)$/.test(jid);
}

/**
 * Contacts as WhatsApp knows them (live, through the session) and as we keep them (the store).
 * Engine batches are absorbed into the store with at most one `contacts_updated` event each:
 * a history sync can bring thousands, and one event per contact would flood webhook receivers.
 */
export class ContactsService {
  constructor(
    private readonly store: Store,
    private readonly instances: InstancesService,
    private readonly sessions: SessionManager,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  async listLive(user: UserRecord, instanceId: string): Promise<LiveContact[]> {
    const instance = await this.instances.getOwned(user, instanceId);
    const session = this.sessions.connectedSession(instance.id);
    const contacts = await fromEngine('WhatsApp did not list the contacts', () => session.getContacts());
    return contacts.filter((c) => isContactJid(c.jid)).map((c) => {
      const number = c.jid.split('@')[0];
      const lid = c.lid ?? (c.jid.endsWith('@lid') ? c.jid : undefined);
      return { id: c.jid, name: c.name ?? c.pushName ?? number, number, isGroup: c.isGroup, ...(lid ? { lid } : {}) };
    });
  }

  /** Checks the number on WhatsApp and stores it as a contact; nobody is messaged. */
  async add(user: UserRecord, instanceId: string, phone: string, name: string): Promise<{ id: string; number: string; name: string }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const recipient = normalizeRecipient(phone);
    if (recipient.jid.endsWith('@g.us')) throw new ValidationError('phone must be a person, not a group', [{ field: 'phone', message: 'must be a person, not a group' }]);
    const session = this.sessions.connectedSession(instance.id);
    const [check] = await fromEngine('WhatsApp did not check the number', () => session.account.checkNumbers([recipient.jid]));
    if (!check?.exists) {
      throw new NotFoundError(`${recipient.number} is not a WhatsApp account`, [{ field: 'phone', message: 'is not registered on WhatsApp' }]);
    }
    const jid = check.jid || recipient.jid;
    const number = jid.split('@')[0];
    await this.store.contacts.upsert(instance.id, jid, { name, number, isGroup: false }, this.clock());
    return { id: jid, number, name };
  }

  async listStored(user: UserRecord, instanceId: string, query: ContactListQuery): Promise<{ items: ContactRecord[]; total: number }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const search = query.search?.trim();
    return this.store.contacts.list({ instanceId: instance.id, limit: query.limit, skip: query.skip, search: search || undefined, onlyGroups: query.onlyGroups });
  }

  /** Copies the account's contacts from WhatsApp into the store; returns how many. */
  async importFromWhatsApp(user: UserRecord, instanceId: string): Promise<number> {
    const instance = await this.instances.getOwned(user, instanceId);
    const session = this.sessions.connectedSession(instance.id);
    return this.absorb(instance, await fromEngine('WhatsApp did not list the contacts', () => session.getContacts()));
  }

  async save(user: UserRecord, instanceId: string, input: SaveContactInput): Promise<ContactRecord> {
    const instance = await this.instances.getOwned(user, instanceId);
    const groupId = input.isGroup && !input.number.includes('@') ? `${input.number.trim()}@g.us` : input.number;
    const recipient = normalizeRecipient(groupId, 'number');
    const patch = {
      number: recipient.number,
      name: input.name,
      pushName: input.pushName,
      isGroup: input.isGroup ?? recipient.isGroup,
      profilePicture: input.profilePicture,
      about: input.about,
    };
    return this.store.contacts.upsert(instance.id, recipient.jid, patch, this.clock());
  }

  /** Keeps the name a profile lookup found; nothing is written, or announced, when it is the stored one. */
  async refreshName(instance: InstanceRecord, jid: string, name: string): Promise<void> {
    const known = await this.store.contacts.find(instance.id, jid);
    if (known?.name !== name) await this.absorb(instance, [{ jid, name, isGroup: false }]);
  }

  /** Stores a batch of contacts from an engine in one transaction; returns how many. */
  async absorb(instance: InstanceRecord, contacts: EngineContact[]): Promise<number> {
    const usable = contacts.filter((c) => isContactJid(c.jid));
    if (usable.length === 0) return 0;
    const now = this.clock();
    await this.events.record(instance.id, async (tx, emit) => {
      for (const c of usable) await tx.contacts.upsert(instance.id, c.jid, { name: c.name, pushName: c.pushName, isGroup: c.isGroup, lid: c.lid }, now);
      await emit('contacts_updated', { count: usable.length });
    });
    return usable.length;
  }
}
