import type { EngineContact } from '../engine.js';

export type ContactNames = { name?: string; pushName?: string };

/** The names a simulated account has seen on the network, by JID, as WhatsApp keeps its contacts. */
export class ContactBook {
  private readonly contacts = new Map<string, EngineContact>();

  get(jid: string): EngineContact | undefined {
    return this.contacts.get(jid);
  }

  all(): EngineContact[] {
    return [...this.contacts.values()];
  }

  clear(): void {
    this.contacts.clear();
  }

  /** Keeps the names given, and the ones known before for those not given. */
  remember(jid: string, names: ContactNames): EngineContact {
    const known = this.contacts.get(jid);
    const contact: EngineContact = {
      jid,
      name: names.name ?? known?.name,
      pushName: names.pushName ?? known?.pushName,
      isGroup: jid.endsWith('@g.us'),
    };
    this.contacts.set(jid, contact);
    return contact;
  }

  /** Remembers names seen on the network; answers the contacts that are new or changed. */
  learn(entries: Array<[string, ContactNames]>): EngineContact[] {
    return entries.flatMap(([jid, names]) => {
      const known = this.contacts.get(jid);
      const contact = this.remember(jid, names);
      return !known || known.name !== contact.name || known.pushName !== contact.pushName ? [contact] : [];
    });
  }
}
