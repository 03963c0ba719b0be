import type { EngineSession, MessageChange, PresenceState } from '../../../src/engines/engine.js';
import type { GroupSettings, ParticipantAction } from '../../../src/engines/groups.js';
import type { MemoryAuthStore } from '../baileys/memory-auth-store.js';
import type { EventRecorder } from './event-recorder.js';

/** One session under test, with everything it emitted and the credentials it stored. */
export interface Device {
  session: EngineSession;
  events: EventRecorder;
  auth: MemoryAuthStore;
}

export interface MediaContent {
  /** `voice`: a voice note (push-to-talk). */
  kind: 'image' | 'document' | 'voice';
  data: Buffer;
  mimeType: string;
  fileName?: string;
  caption?: string;
}

/** What a peer (or the account's own phone) can send into a chat. */
export type ChatContent =
  | { text: string; mentions?: string[] }
  | { media: MediaContent }
  | { location: { latitude: number; longitude: number; name?: string } }
  | { contact: { name: string; phone: string } }
  | { reaction: { targetMessageId: string; emoji: string } }
  | { reply: { text: string; quotedMessageId: string } }
  | { contacts: Array<{ name: string; phone: string }> }
  | { poll: { question: string; options: string[]; multipleAnswers: boolean } }
  /** Changes to a message the sender wrote earlier in the chat. */
  | { edit: { targetMessageId: string; text: string } }
  | { delete: { targetMessageId: string } }
  | { pollVote: { targetMessageId: string; options: string[] } };

/** What the peer's phone shows for a message we sent: the decrypted content, bytes included. */
export interface PeerView {
  text?: string;
  caption?: string;
  mimeType?: string;
  fileName?: string;
  data?: Buffer;
  /** The id of the message it replies to. */
  quotedMessageId?: string;
  /** JIDs it mentions. */
  mentions?: string[];
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  contacts?: Array<{ name: string; phone?: string; vcard: string }>;
  poll?: { question: string; options: string[]; multipleAnswers: boolean };
  /** WhatsApp labels it forwarded. */
  forwarded?: boolean;
  /** The kind of media it is, as the peer's phone shows it (a voice note, a sticker, ...). */
  kind?: string;
}

/** What the peer does in a group it is a member of (changing members or settings needs an admin). */
export type PeerGroupAct =
  | { action: ParticipantAction; participants: string[] }
  | { action: 'update'; changes: Pick<GroupSettings, 'subject' | 'description' | 'announce' | 'restrict'> }
  | { action: 'leave' };

/**
 * Behaviour that differs between engines by nature, not by bug. Each flag is named for the
 * behaviour so a test states which way an engine goes instead of skipping it.
 */
export interface Capabilities {
  /**
   * A device the phone unlinked cannot tell that from a connection refused for other reasons
   * until it logs in again, so it keeps its stale credentials until `logout()` wipes them.
   */
  keepsCredentialsUnlinkedByPhone: boolean;
  /**
   * A peer that stops typing (`paused`) is reported as `available`: Baileys folds WhatsApp's
   * paused chat state into it, and its event cannot tell the two apart.
   */
  reportsPausedAsAvailable: boolean;
}

/**
 * How one engine is linked and how "the other side" (WhatsApp's server, the account's phone, a
 * peer's phone) acts on it. The contract suite drives every engine through this and asserts
 * only on what the engine port shows.
 */
export interface EngineDriver {
  readonly name: string;
  readonly capabilities: Capabilities;
  /** A WhatsApp account that talks to us; its phone number, JID, LID and push name. */
  readonly peer: { phone: string; jid: string; lid: string; name: string };
  /** Another account, which writes from its LID, as WhatsApp addresses many chats now. */
  readonly lidPeer: { phone: string; jid: string; lid: string; name: string };
  /** A JID that is not on WhatsApp. */
  readonly stranger: string;
  /** An account on WhatsApp that accepts group invites only: adding it answers `privacy`. */
  readonly invitesOnly: string;
  /** The push name `connected` reports for a device linked by `scanQr`, when the engine learns it. */
  readonly accountName: string | undefined;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /**
   * A new, unlinked session with an empty credential store. `qrRefreshMs` shortens how long each
   * QR code waits for a scan, for tests of what happens when nobody scans.
   */
  newDevice(options?: { qrRefreshMs?: number }): Device;
  /** A session over the credentials of `device` (a process restart). */
  reopen(device: Device): Device;
  /** The phone scans this QR code; resolves with the account JID the device is linked to. */
  scanQr(device: Device, qr: string): Promise<string>;
  /** The user types the code on the phone of `phone`; resolves with the linked account JID. */
  confirmPairingCode(device: Device, phone: string, code: string): Promise<string>;
  /** The peer sends `content` to the account of the linked device; resolves with its message id. */
  peerSends(device: Device, content: ChatContent): Promise<string>;
  /**
   * `lidPeer` sends a text from its LID; `withPhone` says whether WhatsApp names its phone number
   * beside it (`sender_pn`), as it does until the account has been told the number.
   */
  lidPeerSends(device: Device, text: string, withPhone: boolean): Promise<string>;
  /** The account's own phone sends `content` to the peer; its linked devices see it as fromMe. */
  phoneSends(device: Device, content: ChatContent): Promise<string>;
  /** What the peer's phone shows for the message `messageId` we sent it. */
  peerReceived(device: Device, messageId: string): Promise<PeerView>;
  /** The change of kind `kind` we made to the message `targetMessageId`, as the peer's phone got it. */
  peerGotChange(device: Device, targetMessageId: string, kind: MessageChange['kind']): Promise<MessageChange>;
  /** Resolves once the peer's phone was told we read its message `messageId`. */
  peerSawRead(device: Device, messageId: string): Promise<void>;
  /** Resolves once the peer's phone shows the account in presence `state` (typing, online, ...). */
  peerSawPresence(device: Device, state: PresenceState): Promise<void>;
  /** The peer shows the account a presence: typing, recording or paused in their chat, or online/offline. */
  peerShowsPresence(device: Device, state: PresenceState): Promise<void>;
  /** The peer writes `content` in a group it is a member of; resolves with its message id. */
  peerSendsToGroup(device: Device, groupId: string, content: ChatContent): Promise<string>;
  /** The peer acts in a group as a member; changes are told to every member. */
  peerActsInGroup(device: Device, groupId: string, act: PeerGroupAct): Promise<void>;
  /** The peer shows this about text and picture (PNG bytes) on its profile. */
  setPeerProfile(profile: { about: string; picture: Buffer }): Promise<void>;
  /** The bytes a profile's `pictureUrl` serves. */
  downloadPicture(url: string): Promise<Buffer>;
  /** What WhatsApp keeps of the linked account's own profile: its push name, about text and picture. */
  accountProfile(device: Device): Promise<{ name?: string; about?: string; picture?: Buffer }>;
  /** The phone removes the linked device. */
  unlinkFromPhone(device: Device): Promise<void>;
  /** The network drops the device's connection without a goodbye. */
  dropConnection(device: Device): Promise<void>;
  /** Another client opens a session with the same credentials and takes over. */
  takeOver(device: Device): Promise<void>;
}
