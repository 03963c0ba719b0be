import { randomInt } from 'node:crypto';
import { jidDecode } from 'baileys';
import type { ClientConnection } from './client-connection.js';
import type { MediaHost } from './media-host.js';
import { GroupRegistry } from './groups.js';
import { ProfileDirectory } from './profile-directory.js';
import { SenderKeys } from './sender-keys.js';
import { SignalPeer } from './signal-peer.js';
import { newAccount, type Account, type CompanionDevice } from './state.js';

export interface ReceivedMessage {
  id: string;
  /** The companion device that sent it (`phone:device@s.whatsapp.net`). */
  from: string;
  message: import('baileys').proto.IMessage;
  /** The group it was written to, for a group message. */
  group?: string;
  /** `conversation` or `extendedTextMessage.text`, for quick assertions. */
  text?: string;
}

/** What a companion shows a peer besides messages: read receipts, and its presence or typing. */
export type PeerSignal = { kind: 'read'; messageIds: string[] } | { kind: 'presence'; state: string };

export type Logger = (msg: string, extra?: object) => void;

/** Everything the emulated server knows: the phone's accounts, simulated peers, live sockets. */
export class EmulatorCore {
  readonly accounts = new Map<string, Account>();
  readonly peers = new Map<string, SignalPeer>();
  readonly connections = new Set<ClientConnection>();
  readonly received = new Map<string, ReceivedMessage[]>();
  readonly profiles = new ProfileDirectory();
  readonly groups = new GroupRegistry();
  readonly senderKeys = new SenderKeys();
  /** The Signal identity of each account's own phone (device 0), made when it first sends. */
  private readonly phones = new Map<Account, SignalPeer>();
  private readonly receivedListeners = new Set<() => void>();

  constructor(
    readonly media: MediaHost,
    readonly log: Logger,
  ) {}

  addPeer(phone: string, name = `Peer ${phone}`): SignalPeer {
    const digits = phone.replace(/\D/g, '');
    const existing = this.peers.get(digits);
    if (existing) return existing;
    const peer = new SignalPeer(digits, this.newLidUser(), name);
    this.peers.set(digits, peer);
    return peer;
  }

  account(phone: string, name = 'Emulated Phone'): Account {
    const digits = phone.replace(/\D/g, '');
    let account = this.accounts.get(digits);
    if (!account) {
      account = newAccount(digits, this.newLidUser(), name);
      this.accounts.set(digits, account);
    }
    return account;
  }

  phoneOf(account: Account): SignalPeer {
    let phone = this.phones.get(account);
    if (!phone) {
      phone = new SignalPeer(account.phone, account.lidUser, account.name);
      this.phones.set(account, phone);
    }
    return phone;
  }

  /** A peer by phone-number or LID JID (any device), or by bare number. */
  findPeer(jid: string): SignalPeer | undefined {
    const user = jidDecode(jid)?.user ?? jid.replace(/\D/g, '');
    return this.peers.get(user) ?? [...this.peers.values()].find((p) => p.lidUser === user);
  }

  findAccount(jid: string): Account | undefined {
    const user = jidDecode(jid)?.user ?? jid.replace(/\D/g, '');
    return this.accounts.get(user) ?? [...this.accounts.values()].find((a) => a.lidUser === user);
  }

  /** Devices named by a JID: one device when it has a device part, else all of the account's. */
  devicesFor(jid: string): CompanionDevice[] {
    const account = this.findAccount(jid);
    if (!account) return [];
    const device = jidDecode(jid)?.device;
    const all = [...account.devices.values()];
    return device ? all.filter((d) => d.deviceId === device) : all;
  }

  connectionFor(device: CompanionDevice): ClientConnection | undefined {
    return [...this.connections].find((c) => c.device === device && c.isOpen);
  }

  /**
   * The peers each companion connection asked presence of (`<presence type="subscribe">`): the
   * server sends a peer's typing and online state only to those. A new connection asks anew.
   */
  readonly presenceAsked = new WeakMap<ClientConnection, Set<string>>();

  askPresence(conn: ClientConnection, peer: SignalPeer): void {
    const asked = this.presenceAsked.get(conn) ?? new Set<string>();
    asked.add(peer.phone);
    this.presenceAsked.set(conn, asked);
    for (const listener of this.receivedListeners) listener();
  }

  /** Read receipts and presence the peer was shown, oldest first. */
  readonly signals = new Map<string, PeerSignal[]>();

  signal(peer: SignalPeer, signal: PeerSignal): void {
    this.signals.set(peer.phone, [...(this.signals.get(peer.phone) ?? []), signal]);
    for (const listener of this.receivedListeners) listener();
  }

  record(peer: SignalPeer, message: ReceivedMessage): void {
    const list = this.received.get(peer.phone) ?? [];
    list.push(message);
    this.received.set(peer.phone, list);
    for (const listener of this.receivedListeners) listener();
  }

  onReceived(listener: () => void): () => void {
    this.receivedListeners.add(listener);
    return () => this.receivedListeners.delete(listener);
  }

  private newLidUser(): string {
    return String(randomInt(100_000_000, 999_999_999)) + String(randomInt(100_000, 999_999));
  }
}
