import type { AuthStateStore } from '../engine.js';
import { SimulatorStateError } from './options.js';
import { phoneDigits, userJid } from './wire-format.js';

/** Kept as Baileys keeps them: `<phone digits>` → LID user and `<LID user>_reverse` → phone digits. */
const TYPE = 'lid-mapping';

const userOf = (jid: string) => jid.split('@')[0].split(':')[0];
const isLid = (jid: string) => jid.endsWith('@lid');

/** What the simulated network knows of LIDs: every account has one. */
export interface LidDirectory {
  lidOf(phoneDigits: string): string;
  assignLid(phoneDigits: string, lid: string): void;
  phoneOfLid(lid: string): string | undefined;
}

/**
 * The LID ↔ phone-number mappings a simulated device was told, stored with its credentials as
 * Baileys stores them, so a peer writing from its LID is known by its number after a restart.
 */
export class LidBook {
  constructor(
    private readonly auth: AuthStateStore,
    private readonly network: LidDirectory,
  ) {}

  /**
   * Who writes: a phone number (with the LID it writes from, which the device keeps), or a bare
   * LID, known by its number when the device was told it before.
   */
  async sender(from: string, lid: string | undefined): Promise<{ jid: string; lid?: string }> {
    if (isLid(from)) {
      const digits = await this.phoneOf(from);
      return { jid: digits ? userJid(digits) : from, lid: from };
    }
    const digits = phoneDigits(from);
    if (!digits) throw new SimulatorStateError(`${from} is not a phone number`);
    if (!lid) return { jid: userJid(digits), lid: await this.lidOf(digits) };
    this.network.assignLid(digits, lid);
    await this.learn(lid, digits);
    return { jid: userJid(digits), lid };
  }

  /** The LID of an account on WhatsApp, kept as Baileys keeps what a number check told it. */
  async checked(digits: string): Promise<string> {
    const lid = this.network.lidOf(digits);
    await this.learn(lid, digits);
    return lid;
  }

  /** The phone digits a message to `to` goes to: a LID this device has no number for still reaches its peer. */
  async recipientDigits(to: string): Promise<string | undefined> {
    if (!isLid(to)) return phoneDigits(to);
    return (await this.phoneOf(to)) ?? this.network.phoneOfLid(to);
  }

  /** The phone digits of a LID (`…@lid`), when this device was told them. */
  async phoneOf(lid: string): Promise<string | undefined> {
    const key = `${userOf(lid)}_reverse`;
    return (await this.auth.get(TYPE, [key]))[key];
  }

  private async lidOf(digits: string): Promise<string | undefined> {
    const lidUser = (await this.auth.get(TYPE, [digits]))[digits];
    return lidUser ? `${lidUser}@lid` : undefined;
  }

  private async learn(lid: string, digits: string): Promise<void> {
    const lidUser = userOf(lid);
    if ((await this.phoneOf(lidUser)) === digits) return;
    await this.auth.set({ [TYPE]: { [digits]: lidUser, [`${lidUser}_reverse`]: digits } });
  }
}
