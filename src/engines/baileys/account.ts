import { type BaileysEventMap, isLidUser, jidNormalizedUser, type WASocket } from 'baileys';
import type { AccountOperations, NumberCheck, Profile, ProfileUpdate } from '../account.js';
import type { EngineContact } from '../engine.js';
import { RefusalError } from '../refusal.js';
import { BlockedAccounts, fetchBlocked, withPhone } from './blocklist.js';
import { phoneDigits, phoneToJid } from './jid.js';
import { readProfile, writeProfile } from './profile.js';

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
  warn(err: unknown, msg: string): void;
}

/** The account operations through Baileys' usync, profile, blocklist and LID-mapping APIs. */
export class BaileysAccount implements AccountOperations {
  private readonly blocked = new BlockedAccounts();
  /** WhatsApp's list as the connection opened, settled (read or failed) before a send is checked. */
  private listed: Promise<unknown> = Promise.resolve();

  constructor(private readonly session: AccountSocket) {}

  /**
   * Follows the blocklist: WhatsApp's list when the connection opens, then each change it
   * notifies (rc14 emits no `blocklist.set` of its own, newer releases do).
   */
  onEvents(sock: WASocket, events: Partial<BaileysEventMap>): void {
    if (events['connection.update']?.connection === 'open') this.listed = this.follow(fetchBlocked(sock).then((pairs) => this.blocked.replace(pairs)));
    const set = events['blocklist.set'];
    if (set) this.follow(Promise.all(set.blocklist.map((jid) => withPhone(sock, jid))).then((pairs) => this.blocked.replace(pairs)));
    const update = events['blocklist.update'];
    if (update?.type === 'add') this.follow(Promise.all(update.blocklist.map(async (jid) => this.blocked.add(...(await withPhone(sock, jid))))));
    if (update?.type === 'remove') for (const jid of update.blocklist) this.blocked.remove(jidNormalizedUser(jid));
  }

  /** WhatsApp delivers nothing to an account we block: the send is refused until it is unblocked. */
  async refuseIfBlocked(jid: string): Promise<void> {
    await this.listed;
    const to = jidNormalizedUser(jid);
    if (this.blocked.has(to)) throw new RefusalError('blocked', `${to} is blocked: unblock it to send it messages`);
  }

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
    const sock = this.session.openSocket();
    try {
      await sock.updateBlockStatus(jid, blocked ? 'block' : 'unblock');
    } catch (error) {
      // WhatsApp blocks by LID and pairs it with the phone JID: a number usync finds no LID for
      // is no account, and a LID no mapping resolves cannot be blocked (Baileys says 400).
      if (isUnresolved(error)) throw new RefusalError('no_account', `${jid} is not a WhatsApp account this one can block: ${(error as Error).message}`);
      throw error;
    }
    if (!blocked) return this.blocked.remove(jidNormalizedUser(jid));
    if (isLidUser(jid)) return this.blocked.add(...(await withPhone(sock, jid)));
    // Baileys just looked the LID up to block by it, so the mapping has it.
    const lid = await sock.signalRepository.lidMapping.getLIDForPN(jid);
    this.blocked.add(jidNormalizedUser(lid ?? jid), jidNormalizedUser(jid));
  }

  async getBlocklist(): Promise<string[]> {
    this.blocked.replace(await fetchBlocked(this.session.openSocket()));
    return this.blocked.phones();
  }

  async phoneJidOf(lid: string): Promise<string | undefined> {
    const pn = await this.session.socket().signalRepository.lidMapping.getPNForLID(lid);
    return pn ? jidNormalizedUser(pn) : undefined;
  }

  private follow(work: Promise<unknown>): Promise<unknown> {
    return work.catch((err: unknown) => this.session.warn(err, 'following the blocklist failed'));
  }
}

/** Baileys' refusal of a JID it cannot pair with a LID or a phone number. */
function isUnresolved(error: unknown): boolean {
  const status = (error as { output?: { statusCode?: number } }).output?.statusCode;
  return status === 400 && error instanceof Error && /^Unable to resolve/.test(error.message);
}
