import { isJidGroup, type Contact } from 'baileys';
import type { EngineContact } from '../engine.js';
import { lidOf, preferPhoneJid } from './jid.js';

/** Maps a Baileys contact (full or partial update); `undefined` when it names no usable JID. */
export function mapContact(contact: Partial<Contact>): EngineContact | undefined {
  const jid = preferPhoneJid(contact.id, contact.phoneNumber);
  if (!jid) return undefined;
  const out: EngineContact = { jid, isGroup: !!isJidGroup(jid) };
  const lid = lidOf(contact.id, contact.lid);
  if (lid) out.lid = lid;
  const name = contact.name || contact.verifiedName;
  if (name) out.name = name;
  if (contact.notify) out.pushName = contact.notify;
  return out;
}

export function mapContacts(contacts: Partial<Contact>[]): EngineContact[] {
  return contacts.map(mapContact).filter((c): c is EngineContact => !!c);
}

/** The contacts a session has heard of, each the merge of every update Baileys gave for it. */
export class KnownContacts {
  private readonly byJid = new Map<string, EngineContact>();

  get(jid: string): EngineContact | undefined {
    return this.byJid.get(jid);
  }

  list(): EngineContact[] {
    return [...this.byJid.values()];
  }

  clear(): void {
    this.byJid.clear();
  }

  /** Takes Baileys' contact upserts and updates; returns each changed contact as now known. */
  merge(updates: Partial<Contact>[]): EngineContact[] {
    return mapContacts(updates).map((c) => {
      const next = { ...this.byJid.get(c.jid), ...c };
      this.byJid.set(c.jid, next);
      return next;
    });
  }
}
