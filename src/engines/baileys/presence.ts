import { jidNormalizedUser, type BaileysEventMap, type WASocket } from 'baileys';
import type { PeerPresence, PresenceState } from '../engine.js';
import { RecentIds } from './recent-ids.js';

const STATES = new Set<string>(['available', 'unavailable', 'composing', 'recording', 'paused']);

/**
 * Baileys' `presence.update` as one presence per participant. Baileys reports a peer that stops
 * typing as `available` (it folds WhatsApp's `paused` into it), so that is what we report too.
 */
export function mapPresence(update: BaileysEventMap['presence.update']): PeerPresence[] {
  const chatJid = jidNormalizedUser(update.id);
  return Object.entries(update.presences).flatMap(([participant, data]) => {
    if (!STATES.has(data.lastKnownPresence)) return [];
    const presence: PeerPresence = { chatJid, fromJid: jidNormalizedUser(participant), state: data.lastKnownPresence as PresenceState };
    if (data.lastSeen) presence.lastSeen = data.lastSeen;
    return [presence];
  });
}

/**
 * The chats this connection asked WhatsApp for presence of. A subscription lasts as long as the
 * connection, so a new one starts empty; bounded, the chats asked longest ago are asked again.
 */
export class PresenceSubscriptions {
  private asked = new RecentIds(500);

  /** A new connection: WhatsApp forgot what the last one asked for. */
  reset(): void {
    this.asked = new RecentIds(500);
  }

  /** Asks once per connection; status updates and broadcast lists have no presence to ask for. */
  async ensure(sock: WASocket, chatJid: string): Promise<void> {
    const jid = jidNormalizedUser(chatJid);
    if (jid.endsWith('@broadcast')) return;
    if (this.asked.get(jid)) return;
    this.asked.add(jid, true);
    try {
      await sock.presenceSubscribe(jid);
    } catch (error) {
      this.asked.take(jid);
      throw error;
    }
  }

  /** As `ensure`, in the background, on an open socket only; a failure is logged, not thrown. */
  ask(sock: WASocket | undefined, chatJid: string, logger: { debug(obj: object, msg: string): void }): void {
    if (!sock) return;
    this.ensure(sock, chatJid).catch((err: unknown) => logger.debug({ err, chatJid }, 'presence subscribe failed'));
  }
}
