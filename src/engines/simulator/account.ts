import type { AccountOperations, NumberCheck, Profile, ProfileUpdate } from '../account.js';
import type { AuthStateStore } from '../engine.js';
import { AccountProfile, profileView, type SimulatedProfile } from './account-profile.js';
import type { ContactBook } from './contact-book.js';
import type { LidBook } from './lid-book.js';
import { RefusalError } from '../refusal.js';
import type { NetworkPeer, SimulatorNetwork } from './network.js';
import { SimulatorStateError } from './options.js';
import { isOnWhatsApp, numberCheck, phoneDigits, userJid } from './wire-format.js';

/** What the account operations need from the simulated device that owns them. */
export interface SimulatedDevice {
  auth: AuthStateStore;
  network: Pick<SimulatorNetwork<NetworkPeer>, 'profileOf'>;
  contacts: ContactBook;
  lids: LidBook;
  /** The linked account; throws when the device is not connected. */
  linked(): { id: string; name: string };
  /** Keeps a new push name with the device's credentials. */
  rename(name: string): Promise<void>;
}

/** The simulated account's numbers, profiles and blocklist, as WhatsApp's server would keep them. */
export class SimulatorAccount implements AccountOperations {
  private stored = new AccountProfile();

  constructor(private readonly device: SimulatedDevice) {}

  /** Reads the about text, picture and blocklist kept with the credentials (at each start). */
  async load(): Promise<void> {
    this.stored = await AccountProfile.load(this.device.auth);
  }

  blocks(jid: string): boolean {
    return this.stored.blocked.has(jid);
  }

  /** WhatsApp delivers nothing to an account we block: the send is refused until it is unblocked. */
  refuseIfBlocked(jid: string): void {
    if (this.blocks(jid)) throw new RefusalError('blocked', `${jid} is blocked: unblock it to send it messages`);
  }

  /** What the account shows others, its push name included once linked. */
  shown(name: string | undefined): SimulatedProfile {
    return { name, about: this.stored.about, picture: this.stored.picture };
  }

  /** Like Baileys, the device keeps the LID of each account it checked. */
  async checkNumbers(jids: string[]): Promise<NumberCheck[]> {
    return Promise.all(
      jids.map(async (input): Promise<NumberCheck> => {
        const check = numberCheck(input);
        const digits = phoneDigits(input);
        return check.exists && digits ? { ...check, lid: await this.device.lids.checked(digits) } : check;
      }),
    );
  }

  async phoneJidOf(lid: string): Promise<string | undefined> {
    const digits = await this.device.lids.phoneOf(lid);
    return digits ? userJid(digits) : undefined;
  }

  async getProfile(jid: string): Promise<Profile> {
    const me = this.device.linked();
    const digits = phoneDigits(jid);
    if (!isOnWhatsApp(digits)) return { jid: digits ? userJid(digits) : jid, exists: false };
    const target = userJid(digits);
    if (target === me.id) return profileView(target, this.shown(me.name));
    const shown = this.device.network.profileOf(target);
    const known = this.device.contacts.get(target);
    return profileView(target, { ...shown, name: known?.name ?? shown?.name ?? known?.pushName });
  }

  async updateProfile(update: ProfileUpdate): Promise<void> {
    this.device.linked();
    if (update.name !== undefined) await this.device.rename(update.name);
    await this.stored.update(update, this.device.auth);
  }

  async setBlocked(jid: string, blocked: boolean): Promise<void> {
    this.device.linked();
    const digits = phoneDigits(jid);
    if (!digits) throw new SimulatorStateError(`${jid} is not a phone number`);
    // WhatsApp blocks an account by its LID, which a number with no account does not have.
    if (blocked && !isOnWhatsApp(digits)) throw new RefusalError('no_account', `${userJid(digits)} is not a WhatsApp account: there is nothing to block`);
    await this.stored.setBlocked(userJid(digits), blocked, this.device.auth);
  }

  async getBlocklist(): Promise<string[]> {
    this.device.linked();
    return [...this.stored.blocked];
  }
}
