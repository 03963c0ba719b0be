import type { PresenceState } from '../engine.js';

/** What this device showed: online or not to everyone, and its last typing state in each chat. */
export interface ShownPresence {
  everyone?: PresenceState;
  chats: Record<string, PresenceState>;
}

/**
 * The presences a simulated device saw from its peers and the ones it showed them, for the
 * simulator's views: a virtual peer has no session of its own to record what it was shown.
 * One entry per peer or chat, the latest winning.
 */
export class PresenceBook {
  private seen?: Map<string, PresenceState>;
  private everyone?: PresenceState;
  private chats?: Map<string, PresenceState>;

  saw(from: string, state: PresenceState): void {
    (this.seen ??= new Map()).set(from, state);
  }

  showed(state: PresenceState, chatJid?: string): void {
    if (chatJid) (this.chats ??= new Map()).set(chatJid, state);
    else this.everyone = state;
  }

  /** The presence each peer last showed this device, by JID. */
  seenByPeer(): Record<string, PresenceState> {
    return Object.fromEntries(this.seen ?? []);
  }

  shown(): ShownPresence {
    return { ...(this.everyone && { everyone: this.everyone }), chats: Object.fromEntries(this.chats ?? []) };
  }
}
