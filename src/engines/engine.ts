/**
 * The engine port: what the services need from a WhatsApp connection, whatever speaks to
 * WhatsApp underneath (Baileys for real accounts, the in-process simulator for tests and demos).
 *
 * An engine never touches the store directly except through the `AuthStateStore` it is given,
 * never throws HTTP errors, and reports everything that happens as normalized `EngineEvent`s.
 * Persistence, webhooks, stats and reconnect policy belong to the services (the supervisor).
 */

import type { Logger } from '../core/logger.js';
import type { AccountOperations } from './account.js';
import type { GroupEvent, GroupOperations } from './groups.js';
import type { EngineName } from './names.js';

/**
 * Delivery status of a message, in the order it normally advances. `sent` is WhatsApp's server
 * accepting it (one tick; Baileys' SERVER_ACK), the name the specification uses.
 */
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'played' | 'failed';
export const MESSAGE_STATUS_ORDER: Record<MessageStatus, number> = {
  failed: -1,
  pending: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  played: 4,
};

/** `voice` is a voice note (push-to-talk audio); `audio` an audio file. */
export type MediaKind = 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker';
export type MessageType = 'text' | MediaKind | 'location' | 'contact' | 'poll' | 'unknown';

/** A contact card as WhatsApp carries it: the vCard, with the name and first number read from it. */
export interface ContactCard {
  name: string;
  phone?: string;
  vcard: string;
}

export interface Poll {
  question: string;
  /** Option names, in the poll's order. */
  options: string[];
  /** Whether a voter may pick more than one option. */
  multipleAnswers: boolean;
}

/** A message as the services see it, whatever engine produced it. */
export interface NormalizedMessage {
  /** WhatsApp's message id (key.id). */
  messageId: string;
  /** The chat: a user JID (`79001234567@s.whatsapp.net`) or a group JID (`...@g.us`). */
  chatJid: string;
  fromMe: boolean;
  /** Author inside a group; equals chatJid in a 1:1 chat. */
  senderJid?: string;
  /**
   * The LID (`…@lid`) of the other side, when WhatsApp addressed it by one: the peer of a 1:1
   * chat (ours or theirs), the author in a group. `chatJid` and `senderJid` are then its
   * phone-number JID whenever WhatsApp or a stored LID mapping tells it, else the LID.
   */
  lid?: string;
  pushName?: string;
  type: MessageType;
  /** Text of a text message; for media, the caption is in `caption`. */
  text?: string;
  caption?: string;
  media?: {
    kind: MediaKind;
    mimeType: string;
    fileName?: string;
    /** Size in bytes when known before download. */
    size?: number;
    /** Fetches the bytes (decrypting them when the engine must). Called once by the service. */
    download: () => Promise<Buffer>;
  };
  location?: Location;
  /** One or more cards of a `contact` message. */
  contacts?: ContactCard[];
  poll?: Poll;
  /**
   * Secret a poll's votes are encrypted with (base64), kept with the stored poll so votes can
   * be decrypted after a restart. Engines that need none leave it out.
   */
  pollSecret?: string;
  /** JIDs the message mentions. */
  mentions?: string[];
  /** Quoted message id when this is a reply. */
  quotedMessageId?: string;
  /** WhatsApp labels it forwarded. */
  forwarded?: boolean;
  /** Message time from WhatsApp, unix seconds. */
  timestamp: number;
}

/**
 * What a protocol message does to an earlier message: react to it (`""` takes the sender's
 * reaction back), replace its text, delete it for everyone, or vote in its poll (option names,
 * decrypted; a new vote replaces the voter's previous one).
 */
export type MessageChange =
  | { kind: 'reaction'; emoji: string }
  | { kind: 'edit'; text: string }
  | { kind: 'delete' }
  | { kind: 'poll_vote'; options: string[] };

/** A change another message made to an earlier one; never a chat message of its own. */
export interface MessageUpdate {
  /** The id of the message changed. */
  targetMessageId: string;
  chatJid: string;
  /** Who made the change: the peer, or our own JID when `fromMe`. */
  fromJid: string;
  /** The peer's LID when it wrote from one (`fromJid` is then its phone JID when known). */
  lid?: string;
  fromMe: boolean;
  change: MessageChange;
  /** When the change was made, unix seconds. */
  timestamp: number;
}

export interface EngineContact {
  /** The phone-number JID when known, else the LID. */
  jid: string;
  /** The contact's LID, when known. */
  lid?: string;
  name?: string;
  pushName?: string;
  isGroup: boolean;
}

/** Why a connection closed, classified so the supervisor can decide what to do. */
export type CloseReason =
  /** Pairing finished; open a new connection with the same credentials at once. */
  | 'restart_required'
  /** The connection dropped, timed out, or the server restarted: reconnect with backoff. */
  | 'connection_lost'
  /**
   * WhatsApp's server could not be reached or not trusted (DNS, refused, unreachable, TLS or
   * certificate failure); the message names the host. Reconnect with backoff.
   */
  | 'network'
  /** The QR codes ran out without a scan: wait for the user to ask again. */
  | 'qr_timeout'
  /** Unknown stream error or broken session: reconnect, give up after repeated failures. */
  | 'bad_session'
  /** An unexpected exception in the engine or its library (a bug); logged with its stack. */
  | 'engine_error'
  /** Another client took over the same credentials: do not fight it in a loop. */
  | 'conflict'
  /** The phone removed the device, or we logged out: credentials are dead. */
  | 'logged_out'
  /** We closed it on purpose (stop or shutdown). */
  | 'stopped';

export type EngineEvent =
  | { type: 'qr'; qr: string }
  | { type: 'connected'; jid: string; pushName?: string }
  | { type: 'closed'; reason: CloseReason; code?: number; message?: string }
  | { type: 'message'; message: NormalizedMessage }
  | { type: 'message_update'; update: MessageUpdate }
  | {
      type: 'message_status';
      messageId: string;
      chatJid: string;
      /** The chat's LID when WhatsApp addressed the receipt by one. */
      lid?: string;
      fromMe: boolean;
      status: MessageStatus;
      /** Engine error code when status is failed. */
      error?: string;
    }
  | { type: 'contacts'; contacts: EngineContact[] }
  | { type: 'presence'; presence: PeerPresence }
  | { type: 'group'; event: GroupEvent };

/**
 * What a peer shows us: online or not, or typing, recording or paused in a chat. WhatsApp sends
 * it only for chats the session subscribed to (`subscribePresence`).
 */
export interface PeerPresence {
  /** The chat it concerns: the peer's own JID in a 1:1 chat, the group's in a group. */
  chatJid: string;
  /** Who shows it: the peer, or a group's member. */
  fromJid: string;
  state: PresenceState;
  /** When the peer was last online, unix seconds, when it went offline and shares that. */
  lastSeen?: number;
}

/**
 * Where an engine keeps the credentials of a linked device. Values are opaque strings (the
 * engine serializes them); writes of one `set` call are atomic.
 */
export interface AuthStateStore {
  /** Returns the stored values of `type` for the given ids; missing ids are left out. */
  get(type: string, ids: string[]): Promise<Record<string, string>>;
  /** Upserts values; a `null` value deletes that id. All in one transaction. */
  set(data: Record<string, Record<string, string | null>>): Promise<void>;
  /** Removes everything stored for this instance (logout). */
  clear(): Promise<void>;
}

export interface StoredPoll extends Poll {
  /** base64, as the engine gave it in `NormalizedMessage.pollSecret`. */
  secret?: string;
  /** The JID that created the poll (our own for polls we sent). */
  creatorJid: string;
}

export interface OutgoingMedia {
  kind: MediaKind;
  data: Buffer;
  mimeType: string;
  fileName?: string;
  caption?: string;
}

export interface Location {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

/** A poll we create, with the secret its votes will be encrypted with (base64), when the engine has one. */
export interface SentPoll extends SendResult {
  pollSecret?: string;
}

/** What we show the peer: online or not, or in a chat typing, recording a voice note, or stopped. */
export type PresenceState = 'available' | 'unavailable' | 'composing' | 'recording' | 'paused';

/** A message of a chat, as WhatsApp addresses it for a reply, a reaction, an edit or a delete. */
export interface MessageRef {
  messageId: string;
  chatJid: string;
  fromMe: boolean;
  /** Who wrote it: our own JID when fromMe, the peer in a 1:1 chat, the author in a group. */
  senderJid: string;
}

/** A stored message a send replies to; WhatsApp shows its text above the reply. */
export interface QuotedMessage extends MessageRef {
  /** Its text or caption, for the snippet the recipient sees. */
  text?: string;
}

/** What every send may add to its content. */
export interface SendOptions {
  quoted?: QuotedMessage;
  /** JIDs the message mentions. */
  mentions?: string[];
  /** Marks the message forwarded, as WhatsApp labels a message passed on from another chat. */
  forwarded?: boolean;
}

export interface SendResult {
  messageId: string;
  /** Message time, unix seconds. */
  timestamp: number;
}

export interface SessionContext {
  instanceId: string;
  auth: AuthStateStore;
  /** Events are delivered in the order the engine emits them. */
  emit(event: EngineEvent): void;
  /**
   * Resolves once every event emitted so far has been handled (a message stored, or its failure
   * logged). An engine waits for it before it tells the network it holds a received message, so
   * a crash in between makes the network deliver it again instead of losing it.
   */
  handled?(): Promise<void>;
  logger: Logger;
  /** Looks up a stored message (Baileys needs it to answer retry receipts). */
  getMessageText?(messageId: string): Promise<string | undefined>;
  /** A stored poll with the secret its votes are encrypted with (Baileys decrypts votes with it). */
  getPoll?(messageId: string): Promise<StoredPoll | undefined>;
}

/** One connection to WhatsApp for one instance. */
export interface EngineSession {
  /** Opens the connection with the stored credentials; emits `qr` when the device is not linked. */
  start(): Promise<void>;
  /** Closes the connection and keeps the credentials (the device stays linked). */
  stop(): Promise<void>;
  /** Unlinks the device from the phone and wipes the credentials. */
  logout(): Promise<void>;
  /**
   * Frees what the session keeps across reconnects (caches and their sweep timers); called once,
   * after it stopped for good (its instance deleted, the process shutting down).
   */
  dispose?(): void;
  /** Asks for an 8-character pairing code to type on the phone instead of scanning a QR. */
  requestPairingCode(phone: string): Promise<string>;
  /**
   * Sends text to a JID; resolves once the message is on its way. Rejects ("not connected")
   * unless the session is connected. Its statuses follow as `message_status` events: `sent` when
   * WhatsApp's server accepted it, then `delivered` and `read` as the recipient's phone reports.
   */
  sendText(to: string, text: string, options?: SendOptions): Promise<SendResult>;
  /** As `sendText`; the recipient gets the bytes, MIME type, file name and caption unchanged. */
  sendMedia(to: string, media: OutgoingMedia, options?: SendOptions): Promise<SendResult>;
  /** As `sendText`, a pinned location. */
  sendLocation(to: string, location: Location, options?: SendOptions): Promise<SendResult>;
  /** As `sendText`, one or more contact cards; the recipient gets each vCard unchanged. */
  sendContacts(to: string, cards: ContactCard[], options?: SendOptions): Promise<SendResult>;
  /**
   * As `sendText`, a poll. The secret it returns is kept with the stored poll: peers encrypt
   * their votes with it, and `getPoll` hands it back to decrypt them, after a restart too.
   */
  sendPoll(to: string, poll: Poll, options?: SendOptions): Promise<SentPoll>;
  /** Reacts to a message of a chat; `""` takes our reaction back. */
  react(target: MessageRef, emoji: string): Promise<SendResult>;
  /** Replaces the text of a message we sent. */
  editText(target: MessageRef, text: string): Promise<SendResult>;
  /** Deletes a message we sent, for everyone in the chat. */
  deleteForEveryone(target: MessageRef): Promise<SendResult>;
  /** Sends read receipts for messages others wrote: their senders see them read. */
  markRead(messages: MessageRef[]): Promise<void>;
  /** Shows our presence: to everyone (`available`, `unavailable`) or in one chat (typing, recording, paused). */
  sendPresence(state: PresenceState, chatJid?: string): Promise<void>;
  /**
   * Asks to hear a chat's presence (`presence` events) on this connection; WhatsApp sends a
   * peer's typing and online state only to sessions that asked. Asking again is harmless.
   */
  subscribePresence(chatJid: string): Promise<void>;
  /** Contacts known to the linked account; each change is also emitted as a `contacts` event. */
  getContacts(): Promise<EngineContact[]>;
  /** Numbers, profiles, the blocklist and LID mappings (see account.ts). */
  readonly account: AccountOperations;
  /** Groups: list, create, change, members, invites, leave (see groups.ts). */
  readonly groups: GroupOperations;
}

export interface Engine {
  readonly name: EngineName;
  createSession(ctx: SessionContext): EngineSession;
  /** Releases process-wide resources at shutdown. */
  close?(): Promise<void>;
}
