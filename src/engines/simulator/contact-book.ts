import type { EngineContact } from '../engine.js';

type Names = { name?: string; pushName?: string };

/** The contacts a simulated device knows: names it saved and names peers gave themselves. */
export class ContactBook {
  private contacts?: Map<string, EngineContact>;

  all(): EngineContact[] {
    return [...(this.contacts?.values() ?? [])];
  }

  clear(): void {
    this.contacts = undefined;
  }

  remember(jid: string, names: Names): EngineContact {
    const contacts = (this.contacts ??= new Map());
    const known = contacts.get(jid);
    const contact: EngineContact = {
      jid,
      name: names.name ?? known?.name,
      pushName: names.pushName ?? known?.pushName,
      isGroup: jid.endsWith('@g.us'),
    };
    contacts.set(jid, contact);
    return contact;
  }

  /** Remembers names seen on the network; returns the contacts they changed, which WhatsApp reports. */
  learn(entries: Array<[string, Names]>): EngineContact[] {
    return entries.flatMap(([jid, names]) => {
      const known = this.contacts?.get(jid);
      const contact = this.remember(jid, names);
      return !known || known.name !== contact.name || known.pushName !== contact.pushName ? [contact] : [];
    });
  }
}
