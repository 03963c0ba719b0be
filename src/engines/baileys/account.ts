import { jidNormalizedUser, type WASocket } from 'baileys';
import type { AccountOperations, NumberCheck, Profile, ProfileUpdate } from '../account.js';
import type { EngineContact } from '../engine.js';
import { phoneDigits, phoneToJid } from './jid.js';
import { readBlocklist, readProfile, writeProfile } from './profile.js';

/** What the account operations need from the session that owns the socket. */
export interface AccountSocket {
  /** The socket, connected or still connecting. */
  socket(): WASocket;
  /** The socket of a linked, open connection. */
  openSocket(): WASocket;
  /** Our own phone JID and push name, once linked. */
  me(): { jid?: string; name?: string };
  /** What the account knows about a contact (its saved or push name). */
  contact(jid: string): EngineContact | undefined;
}

/** The account operations through Baileys' usync, profile, blocklist and LID-mapping APIs. */
export class BaileysAccount implements AccountOperations {
  constructor(private readonly session: AccountSocket) {}

  async checkNumbers(jids: string[]): Promise<NumberCheck[]> {
    const sock = this.session.socket();
    const found = (await sock.onWhatsApp(...jids.map(phoneToJid))) ?? [];
    const existing = found.filter((r) => r.exists).map((r) => jidNormalizedUser(r.jid));
    // rc14's onWhatsApp answers no LID; the mapping store has it, or asks usync and keeps it.
    const lids = existing.length > 0 ? ((await sock.signalRepository.lidMapping.getLIDsForPNs(existing)) ?? []) : [];
    const lidByDigits = new Map(lids.map((pair) => [phoneDigits(pair.pn), jidNormalizedUser(pair.lid)]));
    const byDigits = new Map(existing.map((jid) => [phoneDigits(jid), jid]));
    // onWhatsApp leaves unknown numbers out instead of answering exists:false.
    return jids.map((input) => {
      const jid = byDigits.get(phoneDigits(input));
      const lid = jid ? lidByDigits.get(phoneDigits(jid)) : undefined;
      return { input, jid: jid ?? phoneToJid(input), exists: !!jid, ...(lid ? { lid } : {}) };
    });
  }

  async getProfile(jid: string): Promise<Profile> {
    const sock = this.session.openSocket();
    const me = this.session.me();
    const known = this.session.contact(jid);
    return readProfile(sock, jid, jid === me.jid ? me.name : (known?.name ?? known?.pushName));
  }

  async updateProfile(update: ProfileUpdate): Promise<void> {
    await writeProfile(this.session.openSocket(), this.session.me().jid ?? '', update);
  }

  async setBlocked(jid: string, blocked: boolean): Promise<void> {
    await this.session.openSocket().updateBlockStatus(jid, blocked ? 'block' : 'unblock');
  }

  async getBlocklist(): Promise<string[]> {
    return readBlocklist(this.session.openSocket());
  }

  async phoneJidOf(lid: string): Promise<string | undefined> {
    const pn = await this.session.socket().signalRepository.lidMapping.getPNForLID(lid);
    return pn ? jidNormalizedUser(pn) : undefined;
  }
}
