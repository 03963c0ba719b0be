import type { EngineContact, EngineEvent } from '../engine.js';

type Names = { name?: string; pushName?: string; lid?: string };

/** The contacts a simulated device has seen on the network, reported as WhatsApp reports them. */
export class ContactBook {
  private contacts?: Map<string, EngineContact>;

  constructor(private readonly emit: (event: EngineEvent) => void) {}

  get(jid: string): EngineContact | undefined {
    return this.contacts?.get(jid);
  }

  list(): EngineContact[] {
    return [...(this.contacts?.values() ?? [])];
  }

  /** Forgets everyone: the device was unlinked. */
  clear(): void {
    this.contacts = undefined;
  }

  /** Remembers names seen on the network and reports the contacts they changed, as WhatsApp does. */
  learn(entries: Array<[string, Names]>): void {
    const changed = entries.flatMap(([jid, names]) => {
      const known = this.contacts?.get(jid);
      const contact = this.remember(jid, names);
      return !known || known.name !== contact.name || known.pushName !== contact.pushName || known.lid !== contact.lid ? [contact] : [];
    });
    if (changed.length > 0) this.emit({ type: 'contacts', contacts: changed });
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
    const lid = names.lid ?? known?.lid;
    if (lid) contact.lid = lid;
    contacts.set(jid, contact);
    return contact;
  }
}
