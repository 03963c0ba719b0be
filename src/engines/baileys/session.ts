import { randomBytes } from 'node:crypto';
import makeWASocket, {
  jidNormalizedUser,
  makeCacheableSignalKeyStore,
  proto,
  type AuthenticationCreds,
  type BaileysEventMap,
  type BinaryNode,
  type ConnectionState,
  type SignalKeyStore,
  type WAMessage,
  type WASocket,
} from 'baileys';
import type {
  ContactCard,
  EngineContact,
  EngineSession,
  Location,
  MessageRef,
  OutgoingMedia,
  Poll,
  PresenceState,
  SendOptions,
  SendResult,
  SentPoll,
  SessionContext,
} from '../engine.js';
import { BaileysAccount } from './account.js';
import { loadCreds, makeKeyStore, saveCreds } from './auth-state.js';
import { classifyClose } from './close-reason.js';
import { KnownContacts } from './contact-mapper.js';
import { BaileysGroups } from './groups.js';
import { phoneDigits } from './jid.js';
import { ReceiptGate } from './receipt-gate.js';
import { HeldKeyWrites } from './held-key-writes.js';
import { withPhoneAlts } from './lid-keys.js';
import { mapMessage } from './message-mapper.js';
import { readVote } from './poll-votes.js';
import { mapPresence, PresenceSubscriptions } from './presence.js';
import { mapUpdate } from './update-mapper.js';
import { downloadMedia } from './media-download.js';
import type { MediaTrust } from './media-trust.js';
import type { BaileysEngineOptions, BaileysLogger } from './options.js';
import { RecentIds } from './recent-ids.js';
import { createSessionCaches } from './session-caches.js';
import { socketConfig, websocketHost } from './socket-config.js';
import { contactsContent, locationContent, mediaContent, messageKey, pollContent, sendContent } from './send.js';
import { mapMessageUpdate, mapOwnEchoStatus, mapReceiptUpdate } from './status-mapper.js';
import { Waiters } from './waiters.js';

const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
const DEFAULT_RECEIPT_HOLD_MS = 10_000;

/**
 * One instance's Baileys connection. It never reconnects by itself: every close is reported as
 * `closed` and the supervisor calls `start()` again, which reuses the caches kept here.
 */
export class BaileysSession implements EngineSession {
  private sock?: WASocket;
  private gate?: ReceiptGate;
  private starting?: Promise<void>;
  private creds?: AuthenticationCreds;
  private keys: SignalKeyStore;
  private heldKeys!: HeldKeyWrites;
  private readonly caches = createSessionCaches();
  readonly groups: BaileysGroups;
  readonly account = new BaileysAccount({
    socket: () => this.requireSocket(),
    openSocket: () => this.requireOpenSocket(),
    me: () => ({ jid: this.ownJid(), name: this.creds?.me?.name }),
    contact: (jid) => this.contacts.get(jid),
    warn: (err, msg) => this.logger.warn({ err }, msg),
  });
  private readonly logger: BaileysLogger;
  private readonly ownSends = new RecentIds();
  /** Our sends the server has not acknowledged yet, with the chat each went to. */
  private readonly unacked = new RecentIds<string>();
  private readonly contacts = new KnownContacts();
  private readonly presence = new PresenceSubscriptions();
  private readonly qrWaiters = new Waiters<void>();
  private readonly closeWaiters = new Waiters<void>();
  private readonly openWaiters = new Waiters<void>();
  private hasQr = false;
  private isOpen = false;
  /** Upserts wait for LID lookups one batch after another, so messages keep their order. */
  private upserts: Promise<void> = Promise.resolve();
  /** Creds writes are chained so they land in order and can be awaited before a wipe. */
  private persisting: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: SessionContext,
    private readonly options: BaileysEngineOptions,
    private readonly media?: MediaTrust,
  ) {
    this.logger = options.logger.child({ instanceId: ctx.instanceId });
    this.keys = this.makeKeys();
    this.groups = new BaileysGroups(
      () => this.requireOpenSocket(),
      (event) => this.ctx.emit({ type: 'group', event }),
      () => ({ jid: this.creds?.me?.id && jidNormalizedUser(this.creds.me.id), lid: this.creds?.me?.lid && jidNormalizedUser(this.creds.me.lid) }),
      (err, msg) => this.logger.warn({ err }, msg),
    );
  }

  start(): Promise<void> {
    // A second call while the first is still loading creds must not open a second socket.
    this.starting ??= this.open().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async open(): Promise<void> {
    if (this.sock) return;
    const creds = await loadCreds(this.ctx.auth);
    this.creds = creds;
    this.hasQr = false;
    const gate = (this.gate = new ReceiptGate(this.options.receiptHoldMs ?? DEFAULT_RECEIPT_HOLD_MS, this.logger, () => {
      this.heldKeys.flush().catch((err: unknown) => this.logger.error({ err }, 'saving Signal keys failed'));
    }));
    const sock = makeWASocket(
      socketConfig(this.options, {
        auth: { creds, keys: this.keys },
        logger: gate.watch(this.logger),
        browser: [this.options.browserName, 'Chrome', '1.0.0'],
        // Otherwise the phone stops showing notifications while the gateway is connected.
        markOnlineOnConnect: false,
        syncFullHistory: false,
        getMessage: (key) => this.lookupMessage(key.id),
        fetchAgent: this.media?.uploadAgent,
        ...this.caches.caches,
        cachedGroupMetadata: this.groups.cachedGroupMetadata,
      }),
    );
    this.sock = sock;
    gate.attach(sock);
    // Baileys keeps the server's ack of a message to itself (it only reports failed ones), yet it
    // is what `sent` means: WhatsApp's server accepted the message.
    sock.ws.on('CB:ack,class:message', (node: BinaryNode) => this.onServerAck(sock, node));
    sock.ev.process((events) => {
      // Baileys calls this from an event emitter: a throw here would be an unhandled rejection.
      try {
        this.onEvents(sock, events);
      } catch (err) {
        this.logger.error({ err }, 'handling Baileys events failed');
      }
    });
  }

  dispose(): void {
    this.caches.close();
    this.groups.close();
  }

  async stop(): Promise<void> {
    const sock = this.sock;
    if (!sock) return;
    const closed = this.closeWaiters.wait();
    await sock.end(undefined);
    await closed;
  }

  async logout(): Promise<void> {
    await this.connectForLogout();
    const sock = this.sock;
    if (sock) {
      const closed = this.closeWaiters.wait();
      try {
        // Writes remove-companion-device without waiting for an answer, then closes with 401.
        await sock.logout();
      } catch (err) {
        // The write failed (socket not open yet), so Baileys never reached its own close.
        this.logger.warn({ err }, 'logout request failed');
        await sock.end(undefined);
      }
      await closed;
    }
    await this.persisting;
    await this.ctx.auth.clear();
    this.creds = undefined;
    this.contacts.clear();
    // The cached key store would otherwise hand the wiped keys back to the next pairing.
    this.keys = this.makeKeys();
  }

  /**
   * Unlinking needs a live socket to tell the phone. A stopped but linked session connects
   * first; if that fails (the phone already removed it, or no network) the wipe goes on anyway.
   */
  private async connectForLogout(): Promise<void> {
    if (this.sock) {
      if (this.isOpen) return;
    } else {
      const creds = await loadCreds(this.ctx.auth);
      if (!creds.account) return;
      await this.start();
    }
    await this.openWaiters
      .wait(this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS)
      .catch((err: unknown) => this.logger.warn({ err }, 'could not connect to unlink the device'));
  }

  async requestPairingCode(phone: string): Promise<string> {
    await this.start();
    if (this.creds?.account) throw new Error('The device is already linked');
    // Baileys rejects the request until the server has sent its pair-device refs (first QR).
    if (!this.hasQr) {
      await this.qrWaiters.wait(this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    }
    return this.requireSocket().requestPairingCode(phoneDigits(phone));
  }

  async sendText(to: string, text: string, options: SendOptions = {}): Promise<SendResult> {
    return sendContent(await this.sendSocket(to), to, { text }, options, (id) => this.noteOwnSend(id, to));
  }

  async sendMedia(to: string, media: OutgoingMedia, options: SendOptions = {}): Promise<SendResult> {
    return sendContent(await this.sendSocket(to), to, mediaContent(media), options, (id) => this.noteOwnSend(id, to));
  }

  async sendLocation(to: string, location: Location, options: SendOptions = {}): Promise<SendResult> {
    return sendContent(await this.sendSocket(to), to, locationContent(location), options, (id) => this.noteOwnSend(id, to));
  }

  async sendContacts(to: string, cards: ContactCard[], options: SendOptions = {}): Promise<SendResult> {
    return sendContent(await this.sendSocket(to), to, contactsContent(cards), options, (id) => this.noteOwnSend(id, to));
  }

  async sendPoll(to: string, poll: Poll, options: SendOptions = {}): Promise<SentPoll> {
    const secret = randomBytes(32);
    const sent = await sendContent(await this.sendSocket(to), to, pollContent(poll, secret), options, (id) => this.noteOwnSend(id, to));
    return { ...sent, pollSecret: secret.toString('base64') };
  }

  // A reaction, edit or delete has no status of its own to follow: only its echo is recognised.
  async react(target: MessageRef, emoji: string): Promise<SendResult> {
    return sendContent(this.requireOpenSocket(), target.chatJid, { react: { text: emoji, key: messageKey(target) } }, {}, (id) => this.ownSends.add(id, true));
  }

  async editText(target: MessageRef, text: string): Promise<SendResult> {
    return sendContent(this.requireOpenSocket(), target.chatJid, { text, edit: messageKey(target) }, {}, (id) => this.ownSends.add(id, true));
  }

  async deleteForEveryone(target: MessageRef): Promise<SendResult> {
    return sendContent(this.requireOpenSocket(), target.chatJid, { delete: messageKey(target) }, {}, (id) => this.ownSends.add(id, true));
  }

  async markRead(messages: MessageRef[]): Promise<void> {
    await this.requireOpenSocket().readMessages(messages.map(messageKey));
  }

  async sendPresence(state: PresenceState, chatJid?: string): Promise<void> {
    await this.requireOpenSocket().sendPresenceUpdate(state, chatJid);
  }

  async subscribePresence(chatJid: string): Promise<void> {
    await this.presence.ensure(this.requireOpenSocket(), chatJid);
  }

  async getContacts(): Promise<EngineContact[]> {
    return this.contacts.list();
  }

  private ownJid(): string | undefined {
    return this.creds?.me?.id ? jidNormalizedUser(this.creds.me.id) : undefined;
  }

  private makeKeys(): SignalKeyStore {
    this.heldKeys = new HeldKeyWrites(makeKeyStore(this.ctx.auth), () => this.gate?.busy ?? false);
    return makeCacheableSignalKeyStore(this.heldKeys, this.logger);
  }

  private requireSocket(): WASocket {
    if (!this.sock) throw new Error('The session is not connected');
    return this.sock;
  }

  /** A socket that is still connecting or shows a QR code has no account to send from. */
  private requireOpenSocket(): WASocket {
    if (!this.isOpen) throw new Error('The session is not connected');
    return this.requireSocket();
  }

  /** The open socket for a message to `to`, unless the account blocks `to`. */
  private async sendSocket(to: string): Promise<WASocket> {
    await this.account.refuseIfBlocked(to);
    return this.requireOpenSocket();
  }

  private noteOwnSend(messageId: string, to: string): void {
    this.ownSends.add(messageId, true);
    this.unacked.add(messageId, jidNormalizedUser(to));
  }

  private onServerAck(sock: WASocket, node: BinaryNode): void {
    const id = node.attrs.id;
    if (sock !== this.sock || !id || node.attrs.error) return;
    const chatJid = this.unacked.take(id);
    if (chatJid) this.ctx.emit({ type: 'message_status', messageId: id, chatJid, fromMe: true, status: 'sent' });
  }

  private async lookupMessage(id: string | null | undefined): Promise<proto.IMessage | undefined> {
    const text = id ? await this.ctx.getMessageText?.(id) : undefined;
    return text === undefined ? undefined : proto.Message.fromObject({ conversation: text });
  }

  private onEvents(sock: WASocket, events: Partial<BaileysEventMap>): void {
    if (sock !== this.sock) return;
    if (events['creds.update']) this.persistCreds();
    const upserted = events['messages.upsert']?.messages;
    if (upserted) {
      this.upserts = this.upserts
        .then(() => this.onUpsert(sock, upserted))
        .catch((err: unknown) => this.logger.error({ err }, 'handling received messages failed'));
      // Off the chain: later messages need not wait for this store, only their receipts do.
      const stored = this.upserts.then(() => this.ctx.handled?.());
      stored.then(() => this.gate?.confirm(upserted.flatMap((msg) => msg.key.id ?? [])), () => undefined);
    }
    for (const update of events['messages.update'] ?? []) {
      const event = mapMessageUpdate(update);
      if (event) this.ctx.emit(event);
    }
    for (const receipt of events['message-receipt.update'] ?? []) {
      const event = mapReceiptUpdate(receipt);
      if (event) this.ctx.emit(event);
    }
    const contacts = this.contacts.merge([...(events['contacts.upsert'] ?? []), ...(events['contacts.update'] ?? [])]);
    if (contacts.length > 0) this.ctx.emit({ type: 'contacts', contacts });
    if (events['presence.update']) for (const presence of mapPresence(events['presence.update'])) this.ctx.emit({ type: 'presence', presence });
    this.groups.onEvents(events);
    this.account.onEvents(sock, events);
    if (events['connection.update']) this.onConnection(sock, events['connection.update']);
  }

  private onConnection(sock: WASocket, update: Partial<ConnectionState>): void {
    if (update.qr) {
      this.hasQr = true;
      this.qrWaiters.resolveAll();
      this.ctx.emit({ type: 'qr', qr: update.qr });
    }
    if (update.connection === 'open') {
      this.isOpen = true;
      this.presence.reset();
      this.openWaiters.resolveAll();
      const me = sock.user ?? this.creds?.me;
      this.ctx.emit({
        type: 'connected',
        jid: jidNormalizedUser(me?.id),
        pushName: me?.name && me.name !== '~' ? me.name : undefined,
      });
    }
    if (update.connection === 'close') {
      this.sock = undefined;
      this.isOpen = false;
      const error = update.lastDisconnect?.error;
      const close = classifyClose(error, websocketHost(this.options));
      if (close.reason === 'engine_error') this.logger.error({ err: error }, 'the Baileys socket failed with an unexpected exception');
      const closedError = new Error(`Connection closed (${close.reason})`);
      this.qrWaiters.rejectAll(closedError);
      this.openWaiters.rejectAll(closedError);
      this.ctx.emit({ type: 'closed', ...close });
      this.closeWaiters.resolveAll();
    }
  }

  private async onUpsert(sock: WASocket, upserted: WAMessage[]): Promise<void> {
    const ownJid = this.ownJid();
    const lookup = sock.signalRepository.lidMapping;
    // In place: a copy of a proto object would lose the defaults its prototype holds.
    for (const msg of upserted) msg.key = await withPhoneAlts(msg.key, lookup);
    for (const msg of upserted) {
      // Not forgotten at the first echo: Baileys can hand us our own message again (a resend
      // after a retry receipt), and that copy is no more news than the first.
      if (msg.key.fromMe && msg.key.id && this.ownSends.get(msg.key.id)) {
        // The service already recorded what it sent; but while Baileys buffers events it folds
        // receipts into this echo instead of emitting messages.update, so pass its status on.
        const status = mapOwnEchoStatus(msg);
        if (status) this.ctx.emit(status);
        continue;
      }
      const update = mapUpdate(msg, ownJid);
      if (update?.kind === 'update') this.ctx.emit({ type: 'message_update', update: update.update });
      else if (update?.kind === 'vote') readVote(this.ctx, update.vote, ownJid);
      const message = update ? undefined : mapMessage(msg, { ownJid, download: (m) => () => downloadMedia(m, this.logger, () => this.requireSocket(), this.media) });
      if (message) this.ctx.emit({ type: 'message', message });
      // A peer who writes is likely to type next: its chat's presence is asked for then.
      if (message && !message.fromMe) this.presence.ask(this.isOpen ? this.sock : undefined, message.chatJid, this.logger);
    }
  }

  private persistCreds(): void {
    const creds = this.creds;
    if (!creds) return;
    this.persisting = this.persisting
      .then(() => saveCreds(this.ctx.auth, creds))
      .catch((err: unknown) => this.logger.error({ err }, 'saving credentials failed'));
  }
}
