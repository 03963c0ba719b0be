import { ReadThroughCache } from '../core/cache.js';
import type { Clock } from '../core/clock.js';
import { ConflictError } from '../core/errors.js';
import { normalizeRecipient } from '../core/phone.js';
import type { PeerPresence, PresenceState } from '../engines/engine.js';
import type { InstanceRecord, UserRecord } from '../store/store.js';
import { fromEngine } from './engine-call.js';
import type { InstancesService } from './instances.service.js';
import type { SessionManager } from './sessions.js';
import type { PresenceUpdate } from './webhooks/presence-webhooks.js';

/**
 * How long a chat's last presence is believed. WhatsApp repeats `composing` while the peer types
 * and a phone that goes away may never say `paused`: an older one is as good as unknown.
 */
export const PRESENCE_TTL_MS = 30_000;
/** Chats whose presence is kept at once, over all instances: memory stays flat however many type. */
const MAX_CHATS = 10_000;

export interface ChatPresence {
  chatId: string;
  /** null: nothing heard from the chat in the last PRESENCE_TTL_MS. */
  state: PresenceState | null;
  /** Who showed it (a group's member in a group). */
  from: string | null;
  /** When we heard it, ISO time. */
  at: string | null;
}

/**
 * Peers' presence (typing, recording, online): each update goes to webhooks as
 * `presence_update` and is kept in memory for a short while, for `GET .../presence/:chatId`
 * (the dashboard's "typing…"). Never stored: it is stale in seconds.
 */
export class PresenceService {
  private readonly last = new ReadThroughCache<{ state: PresenceState; from: string; at: number }>(PRESENCE_TTL_MS, MAX_CHATS);

  constructor(
    private readonly instances: InstancesService,
    private readonly sessions: SessionManager,
    private readonly clock: Clock,
    private readonly webhooks: { notify(instanceId: string, update: PresenceUpdate): void },
  ) {}

  onPresence(instance: InstanceRecord, presence: PeerPresence): void {
    const { chatJid, fromJid, state, lastSeen } = presence;
    this.last.set(key(instance.id, chatJid), { state, from: fromJid, at: this.clock() });
    const update: PresenceUpdate = { chatId: chatJid, from: fromJid, state };
    if (lastSeen) update.lastSeen = new Date(lastSeen * 1000).toISOString();
    this.webhooks.notify(instance.id, update);
  }

  /**
   * The chat's last presence, and, when connected, a subscription to its next ones: WhatsApp
   * sends a peer's typing only to sessions that asked for that chat.
   */
  async get(user: UserRecord, instanceId: string, chatId: string): Promise<ChatPresence> {
    const instance = await this.instances.getOwned(user, instanceId);
    const chatJid = normalizeRecipient(chatId, 'chatId').jid;
    const session = connected(() => this.sessions.connectedSession(instance.id));
    if (session) await fromEngine("WhatsApp did not take the request for the chat's presence", () => session.subscribePresence(chatJid));
    const known = this.last.peek(key(instance.id, chatJid));
    return { chatId: chatJid, state: known?.state ?? null, from: known?.from ?? null, at: known ? new Date(known.at).toISOString() : null };
  }
}

function key(instanceId: string, chatJid: string): string {
  return `${instanceId} ${chatJid}`;
}

/** The session when the instance is connected; what was heard before still answers when it is not. */
function connected<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch (error) {
    if (error instanceof ConflictError) return undefined;
    throw error;
  }
}
