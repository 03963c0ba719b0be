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
