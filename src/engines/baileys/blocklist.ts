import { isLidUser, jidNormalizedUser, type WASocket } from 'baileys';

/**
 * The accounts this account blocks, as WhatsApp lists them (by LID, mostly) and by phone JID when
 * the LID mapping knows it, so a send to either form can be refused.
 */
export class BlockedAccounts {
  /** Each listed JID with its phone JID (itself when it is one, or when none is known). */
  private readonly listed = new Map<string, string>();

  /** Replaces the list with WhatsApp's. */
  replace(pairs: Array<[string, string]>): void {
    this.listed.clear();
    for (const [jid, phone] of pairs) this.listed.set(jid, phone);
  }

  add(jid: string, phone: string): void {
    this.listed.set(jid, phone);
  }

  /** Drops an account, named by its LID or its phone JID. */
  remove(jid: string): void {
    for (const [listed, phone] of this.listed) if (listed === jid || phone === jid) this.listed.delete(listed);
  }

  has(jid: string): boolean {
    for (const [listed, phone] of this.listed) if (listed === jid || phone === jid) return true;
    return false;
  }

  phones(): string[] {
    return [...new Set(this.listed.values())];
  }
}

/** A listed JID with its phone JID, when the mapping knows it. */
export async function withPhone(sock: WASocket, jid: string): Promise<[string, string]> {
  const listed = jidNormalizedUser(jid);
  if (!isLidUser(listed)) return [listed, listed];
  const pn = await sock.signalRepository.lidMapping.getPNForLID(listed);
  return [listed, pn ? jidNormalizedUser(pn) : listed];
}

/** WhatsApp's blocklist, each entry with its phone JID. */
export async function fetchBlocked(sock: WASocket): Promise<Array<[string, string]>> {
  const jids = await sock.fetchBlocklist();
  return Promise.all(jids.flatMap((jid) => (jid ? [jid] : [])).map((jid) => withPhone(sock, jid)));
}
