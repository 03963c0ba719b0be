import { once } from 'node:events';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Curve, type BinaryNode } from 'baileys';
import { WebSocketServer } from 'ws';
import { CertificateAuthority } from './cert.js';
import { ClientConnection } from './client-connection.js';
import { EmulatorCore, type Logger, type PeerSignal, type ReceivedMessage } from './core.js';
import { onHello } from './hello.js';
import { handleIq } from './iq-handlers.js';
import { MediaHost } from './media-host.js';
import { peerGroupSend } from './group-messages.js';
import { onClientMessage, type PeerAddressing, peerSend, phoneSend } from './messages.js';
import { linkDevice, parseQr } from './pairing.js';
import { confirmCode } from './pairing-code.js';
import { peerMessage, type PeerContent } from './peer-content.js';
import { groupView, peerCreateGroup, peerGroupAct, type GroupView, type PeerGroupAct } from './peer-groups.js';
import { onDeviceAck, unackedMessages } from './offline-queue.js';
import { onClientSignal } from './signals.js';
import { type PeerPresenceState, peerPresenceNode } from './presence.js';

export type { ReceivedMessage } from './core.js';
export type { PeerContent } from './peer-content.js';
export type { PeerPresenceState } from './presence.js';
export type { PeerAddressing } from './messages.js';
export type { GroupView, PeerGroupAct } from './peer-groups.js';

export interface EmulatorOptions {
  /** Loopback by default; the emulator is a test fixture, not a server for a network. */
  host?: string;
  port?: number;
  mediaPort?: number;
  /** Phone number of the account that scans QR codes when `scanQr` is given none. */
  phone?: string;
  /**
   * Serve the WebSocket over TLS with this certificate, as WhatsApp does (`wss://`): with a
   * certificate for web.whatsapp.com and a hosts file pointing there, the client's own address works.
   */
  tls?: { key: string; cert: string };
  log?: Logger;
}

export const DEFAULT_PHONE = '15550001000';

/**
 * A local stand-in for WhatsApp's chat server that the unmodified Baileys client accepts once
 * the process trusts `rootPublicKey`. Peers are simulated phones with real Signal sessions.
 */
export class WhatsAppEmulator {
  private readonly ca = new CertificateAuthority();
  private readonly serverStatic = Curve.generateKeyPair();
  private accepted = 0;

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly core: EmulatorCore,
    private readonly phone: string,
    private readonly https?: HttpsServer,
  ) {
    wss.on('connection', (ws) => {
      this.accepted += 1;
      const conn = new ClientConnection(ws, this.serverStatic, this.ca, {
        onHello: (c, payload, clientStatic) => onHello(core, c, payload, clientStatic),
        onNode: (c, node) => this.onNode(c, node),
        onClose: (c) => core.connections.delete(c),
        log: core.log,
      });
      core.connections.add(conn);
    });
  }

  static async start(options: EmulatorOptions = {}): Promise<WhatsAppEmulator> {
    const host = options.host ?? '127.0.0.1';
    const media = await MediaHost.start(host, options.mediaPort);
    const core = new EmulatorCore(media, options.log ?? (() => undefined));
    if (options.tls) {
      const https = createHttpsServer(options.tls);
      https.listen(options.port ?? 0, host);
      await once(https, 'listening');
      return new WhatsAppEmulator(new WebSocketServer({ server: https }), core, options.phone ?? DEFAULT_PHONE, https);
    }
    const wss = new WebSocketServer({ host, port: options.port ?? 0 });
    await once(wss, 'listening');
    return new WhatsAppEmulator(wss, core, options.phone ?? DEFAULT_PHONE);
  }

  /** The `websocketUrl` to give the engine. */
  get url(): string {
    const { address, port } = (this.https ?? this.wss).address() as AddressInfo;
    return `${this.https ? 'wss' : 'ws'}://${address}:${port}/ws/chat`;
  }

  /** WebSocket connections the emulator accepted so far. */
  get connectionCount(): number {
    return this.accepted;
  }

  /** Base64 root key to pass as the engine's `emulatorRootKey`. */
  get rootPublicKey(): string {
    return this.ca.publicKeyB64;
  }

  /** PEM file of the media host's certificate, for `NODE_EXTRA_CA_CERTS`. */
  get mediaCaPath(): string {
    return this.core.media.caPath;
  }

  get mediaHost(): string {
    return this.core.media.hostname;
  }

  /** The phone number of the account `scanQr` links to by default. */
  get defaultPhone(): string {
    return this.phone;
  }

  addPeer(phone: string, name?: string): { jid: string; lid: string } {
    const peer = this.core.addPeer(phone, name);
    return { jid: peer.pnJid, lid: peer.lidJid };
  }

  /**
   * The phone scans a QR string shown by a companion: the companion gets pair-success, signs
   * it, and is told to restart (515). Resolves with the new device's JID once it signed.
   */
  async scanQr(qr: string, phone = this.phone): Promise<string> {
    const parsed = parseQr(qr);
    const conn = [...this.core.connections].find(
      (c) => c.isOpen && c.registration?.noiseKey.equals(parsed.noiseKey),
    );
    if (!conn?.registration) throw new Error('no connected companion shows this QR');
    return linkDevice(this.core, conn, phone, parsed);
  }

  /**
   * The user types the pairing code a companion showed into the phone of `phone` (the number
   * the companion asked for). Resolves with the new device's JID, as `scanQr` does.
   */
  async confirmPairingCode(phone: string, code: string): Promise<string> {
    const digits = phone.replace(/\D/g, '');
    const waiting = () => [...this.core.connections].reverse().find((c) => c.isOpen && c.linkCode?.phone === digits);
    // The companion's request may still be on its way when the user types the code.
    const deadline = Date.now() + 5000;
    while (!waiting() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const conn = waiting();
    if (!conn?.linkCode || !conn.registration) throw new Error(`no connected companion waits for a pairing code for ${digits}`);
    const link = await confirmCode(conn.linkCode, code, (node) => conn.send(node));
    const ref = conn.linkCode.ref.toString('base64');
    return linkDevice(this.core, conn, digits, { ref, noiseKey: conn.registration.noiseKey, ...link, platformId: '' });
  }

  /**
   * A simulated peer sends to every linked device of `toPhone` (default: the scanning phone),
   * addressed from its phone number or, as WhatsApp does more and more, from its LID.
   */
  async peerSend(peerPhone: string, content: PeerContent, toPhone = this.phone, addressing: PeerAddressing = 'pn'): Promise<string> {
    const peer = this.core.findPeer(peerPhone);
    const account = this.core.findAccount(toPhone);
    if (!peer) throw new Error(`unknown peer ${peerPhone}`);
    if (!account) throw new Error(`no linked account ${toPhone}`);
    const message = await peerMessage(this.core.media, content, `${account.phone}@s.whatsapp.net`);
    return peerSend(this.core, peer, account, message, addressing);
  }

  /**
   * The peer shows the linked devices of `toPhone` its presence: typing, recording or paused in
   * their chat, or online/offline. As on WhatsApp, only a connection that subscribed to the peer
   * gets it; this waits up to `timeoutMs` for one to, and resolves with how many got it.
   */
  async peerPresence(peerPhone: string, state: PeerPresenceState, toPhone = this.phone, timeoutMs = 5000): Promise<number> {
    const peer = this.core.findPeer(peerPhone);
    const account = this.core.findAccount(toPhone);
    if (!peer) throw new Error(`unknown peer ${peerPhone}`);
    if (!account) throw new Error(`no linked account ${toPhone}`);
    const asking = () =>
      [...account.devices.values()].flatMap((device) => {
        const conn = this.core.connectionFor(device);
        return conn && this.core.presenceAsked.get(conn)?.has(peer.phone) ? [conn] : [];
      });
    if (asking().length === 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`no device of ${toPhone} subscribed to the presence of ${peerPhone}`));
        }, timeoutMs);
        const off = this.core.onReceived(() => {
          if (asking().length === 0) return;
          clearTimeout(timer);
          off();
          resolve();
        });
      });
    }
    const conns = asking();
    for (const conn of conns) conn.send(peerPresenceNode(peer, state));
    return conns.length;
  }

  /** The phone of `fromPhone` itself sends to a peer; its linked devices get the copy (fromMe). */
  async phoneSend(peerPhone: string, content: PeerContent, fromPhone = this.phone): Promise<string> {
    const peer = this.core.findPeer(peerPhone);
    const account = this.core.findAccount(fromPhone);
    if (!peer) throw new Error(`unknown peer ${peerPhone}`);
    if (!account) throw new Error(`no linked account ${fromPhone}`);
    const message = await peerMessage(this.core.media, content, peer.pnJid);
    return phoneSend(this.core, this.core.phoneOf(account), account, peer, message);
  }

  /** What a simulated peer shows of itself: push name, about text, picture (fields not given stay). */
  setPeerProfile(phone: string, profile: { name?: string; about?: string; picture?: Buffer }): void {
    const peer = this.core.findPeer(phone);
    if (!peer) throw new Error(`unknown peer ${phone}`);
    if (profile.name !== undefined) peer.name = profile.name;
    if (profile.about !== undefined) this.core.profiles.setAbout(peer.phone, profile.about);
    if (profile.picture) this.core.profiles.setPicture(this.core.media, peer.phone, profile.picture);
  }

  /** What an account set of itself through its companion: push name, about text, picture bytes. */
  accountProfile(phone = this.phone): { name: string; about?: string; picture?: Buffer } {
    const account = this.core.findAccount(phone);
    if (!account) throw new Error(`no linked account ${phone}`);
    const { about, picture } = this.core.profiles.get(account.phone);
    return { name: account.name, about, picture: picture?.data };
  }

  /** The phone JIDs an account blocks. */
  blocklist(phone = this.phone): string[] {
    const account = this.core.findAccount(phone);
    return account ? [...this.core.profiles.blocklist(account.phone).values()] : [];
  }

  /** A simulated peer creates a group with these members (numbers or JIDs); resolves with its JID. */
  peerCreateGroup(peerPhone: string, subject: string, participants: string[]): string {
    return peerCreateGroup(this.core, peerPhone, subject, participants);
  }

  /** A simulated peer changes a group's members or settings, or leaves it; members are notified. */
  peerGroupAct(peerPhone: string, groupId: string, act: PeerGroupAct): Array<{ jid: string; code: number }> {
    return peerGroupAct(this.core, peerPhone, groupId, act);
  }

  /**
   * A simulated peer writes to a group it is a member of: every linked device of each account in
   * it gets the message under the peer's sender key (the key itself the first time).
   */
  async peerGroupSend(peerPhone: string, groupId: string, content: PeerContent): Promise<string> {
    const peer = this.core.findPeer(peerPhone);
    if (!peer) throw new Error(`unknown peer ${peerPhone}`);
    const groupJid = groupId.includes('@') ? groupId : `${groupId}@g.us`;
    return peerGroupSend(this.core, peer, groupJid, await peerMessage(this.core.media, content, groupJid));
  }

  /** A group as the server keeps it (JID or bare id). */
  group(groupId: string): GroupView | undefined {
    return groupView(this.core, groupId);
  }

  /** Messages the peer decrypted, oldest first. */
  received(peerPhone: string): ReceivedMessage[] {
    const peer = this.core.findPeer(peerPhone);
    return peer ? [...(this.core.received.get(peer.phone) ?? [])] : [];
  }

  async waitForReceived(peerPhone: string, count: number, timeoutMs = 5000): Promise<ReceivedMessage[]> {
    const done = () => this.received(peerPhone).length >= count;
    if (done()) return this.received(peerPhone);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`peer ${peerPhone} got ${this.received(peerPhone).length} of ${count} messages`));
      }, timeoutMs);
      const off = this.core.onReceived(() => {
        if (!done()) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
    return this.received(peerPhone);
  }

  /** Waits until the peer was shown a read receipt or presence that `match` accepts. */
  async waitForSignal(peerPhone: string, match: (signal: PeerSignal) => boolean, timeoutMs = 5000): Promise<PeerSignal> {
    const peer = this.core.findPeer(peerPhone);
    const found = () => (peer ? this.core.signals.get(peer.phone)?.find(match) : undefined);
    const now = found();
    if (now) return now;
    return new Promise<PeerSignal>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`peer ${peerPhone} was shown no such signal; got ${JSON.stringify(peer ? this.core.signals.get(peer.phone) : [])}`));
      }, timeoutMs);
      const off = this.core.onReceived(() => {
        const signal = found();
        if (!signal) return;
        clearTimeout(timer);
        off();
        resolve(signal);
      });
    });
  }

  /** Kills the sockets of a device (or all of an account's) without any goodbye: a lost network. */
  dropConnection(jid: string): number {
    return this.forConnections(jid, (c) => c.terminate());
  }

  /** Another client took over the session: `<stream:error><conflict type=replaced/>` (440). */
  conflict(jid: string): number {
    return this.forConnections(jid, (c) => c.streamError(undefined, { tag: 'conflict', attrs: { type: 'replaced' } }));
  }

  /** The phone unlinks the device: it is removed and its socket gets stream error 401. */
  logoutDevice(jid: string): number {
    for (const device of this.core.devicesFor(jid)) device.removed = true;
    return this.forConnections(jid, (c) => c.streamError(401, { tag: 'conflict', attrs: { type: 'device_removed' } }));
  }

  /** Linked devices of an account or the device a JID names, with whether the phone removed them. */
  devices(jid: string): { jid: string; removed: boolean; online: boolean }[] {
    return this.core.devicesFor(jid).map((d) => ({
      jid: `${d.account.phone}:${d.deviceId}@s.whatsapp.net`,
      removed: d.removed,
      online: !!this.core.connectionFor(d),
    }));
  }

  /** Messages handed to a device (a JID naming one) that it has not acknowledged yet, oldest first. */
  unacked(deviceJid: string): string[] {
    return this.core.devicesFor(deviceJid).flatMap(unackedMessages);
  }

  async close(): Promise<void> {
    for (const conn of this.core.connections) conn.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    if (this.https) await new Promise<void>((resolve) => this.https?.close(() => resolve()));
    await this.core.media.close();
  }

  private forConnections(jid: string, act: (c: ClientConnection) => void): number {
    const devices = new Set(this.core.devicesFor(jid));
    const conns = [...this.core.connections].filter((c) => c.isOpen && c.device && devices.has(c.device));
    conns.forEach(act);
    return conns.length;
  }

  private async onNode(conn: ClientConnection, node: BinaryNode): Promise<void> {
    if (node.tag === 'iq') handleIq(this.core, conn, node);
    else if (node.tag === 'message') await onClientMessage(this.core, conn, node);
    else {
      await onDeviceAck(conn, node);
      onClientSignal(this.core, conn, node);
    }
  }
}
