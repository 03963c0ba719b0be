import { randomInt } from 'node:crypto';
import type { MessageUpdate, NormalizedMessage, PresenceState } from '../engine.js';
import type { SimulatedProfile } from './account-profile.js';
import type { GroupEvent } from '../groups.js';
import { GroupDirectory } from './group-directory.js';

/** What the network needs of a session: a way to hand it a message, or a change to one, from a peer. */
export interface NetworkPeer {
  receive(message: NormalizedMessage): void;
  receiveUpdate(update: MessageUpdate): void;
  /** `from` read these messages the session sent to it. */
  receiveRead(from: string, messageIds: string[]): void;
  /** `from` shows this presence. */
  receivePresence(from: string, state: PresenceState): void;
  /** What the session's account shows others of itself. */
  ownProfile(): SimulatedProfile;
  /** Something happened in a group the session is (or was) in. */
  receiveGroup(event: GroupEvent): void;
}

/**
 * The simulated WhatsApp network of one engine: which simulator sessions are running (so the
 * control API can reach them) and which phone JIDs are online (so two instances can message each
 * other). It holds only running sessions: a stopped session leaves, and its memory goes with it.
 * It is generic in the session type so that it needs nothing from session.ts, which imports it.
 */
export class SimulatorNetwork<Session extends NetworkPeer> {
  private readonly running = new Map<string, Session>();
  private readonly online = new Map<string, Session>();
  /** Profiles of virtual phones, set through the control API; they outlive the sessions. */
  private readonly peerProfiles = new Map<string, SimulatedProfile>();
  /** Every number's LID on this network, phone digits → LID JID, made when first needed. */
  private readonly lids = new Map<string, string>();
  /** The network's groups: kept while the process runs, as WhatsApp's server keeps them. */
  readonly groups = new GroupDirectory();

  join(instanceId: string, session: Session): void {
    this.running.set(instanceId, session);
  }

  leave(instanceId: string, session: Session): void {
    if (this.running.get(instanceId) === session) this.running.delete(instanceId);
    for (const [jid, peer] of this.online) if (peer === session) this.online.delete(jid);
  }

  /** The running session of an instance, for the simulator's control endpoints. */
  session(instanceId: string): Session | undefined {
    return this.running.get(instanceId);
  }

  goOnline(jid: string, session: Session): void {
    this.online.set(jid, session);
  }

  goOffline(jid: string, session: Session): void {
    if (this.online.get(jid) === session) this.online.delete(jid);
  }

  isOnline(jid: string): boolean {
    return this.online.has(jid);
  }

  /** Hands a message to the session linked to `jid`; false when nobody there is online. */
  deliver(jid: string, message: NormalizedMessage): boolean {
    const peer = this.online.get(jid);
    if (!peer) return false;
    peer.receive(message);
    return true;
  }

  /** Hands a reaction, edit or delete to the session linked to `jid`; false when nobody there is online. */
  deliverUpdate(jid: string, update: MessageUpdate): boolean {
    const peer = this.online.get(jid);
    if (!peer) return false;
    peer.receiveUpdate(update);
    return true;
  }

  /** Read receipts from `from` for messages the session linked to `jid` sent it. */
  deliverRead(jid: string, from: string, messageIds: string[]): boolean {
    const peer = this.online.get(jid);
    peer?.receiveRead(from, messageIds);
    return !!peer;
  }

  /** `from`'s presence, to the session linked to `jid`, or to every other session online when none is named. */
  deliverPresence(from: string, state: PresenceState, jid?: string): void {
    const peers = jid ? [this.online.get(jid)] : [...this.online].filter(([other]) => other !== from).map(([, peer]) => peer);
    for (const peer of new Set(peers)) peer?.receivePresence(from, state);
  }

  /** The profile `jid` shows: its online session's own, else the one set for the virtual phone. */
  profileOf(jid: string): SimulatedProfile | undefined {
    return this.online.get(jid)?.ownProfile() ?? this.peerProfiles.get(jid);
  }

  /** Sets what a virtual phone shows of itself; fields not given stay as they were. */
  setPeerProfile(jid: string, profile: SimulatedProfile): SimulatedProfile {
    const given = Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined));
    const next = { ...this.peerProfiles.get(jid), ...given };
    this.peerProfiles.set(jid, next);
    return next;
  }

  /** The LID of a phone number: the one it wrote from, or a new one, as WhatsApp gives every account one. */
  lidOf(phoneDigits: string): string {
    let lid = this.lids.get(phoneDigits);
    if (!lid) {
      lid = `${randomInt(100_000_000, 999_999_999)}${randomInt(100_000, 999_999)}@lid`;
      this.lids.set(phoneDigits, lid);
    }
    return lid;
  }

  /** A peer writes from this LID: it is its number's from now on. */
  assignLid(phoneDigits: string, lid: string): void {
    this.lids.set(phoneDigits, lid);
  }

  /** The phone digits whose LID this is, when the network has seen it. */
  phoneOfLid(lid: string): string | undefined {
    for (const [digits, known] of this.lids) if (known === lid) return digits;
    return undefined;
  }

  /** Tells the session linked to `jid` about a group change; false when nobody there is online. */
  deliverGroup(jid: string, event: GroupEvent): boolean {
    const peer = this.online.get(jid);
    peer?.receiveGroup(event);
    return !!peer;
  }

  /** A phone number nobody online uses, in the spec's example range (+7 900 …). */
  freshPhone(): string {
    for (;;) {
      const digits = `7900${String(randomInt(10_000_000)).padStart(7, '0')}`;
      if (!this.online.has(`${digits}@s.whatsapp.net`)) return digits;
    }
  }
}
