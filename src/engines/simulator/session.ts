import type {
  CloseReason,
  ContactCard,
  Location,
  MessageChange,
  MessageRef,
  MessageUpdate,
  Poll,
  PresenceState,
  SentPoll,
  EngineContact,
  EngineSession,
  NormalizedMessage,
  NumberCheck,
  OutgoingMedia,
  SendOptions,
  SendResult,
  SessionContext,
} from '../engine.js';
import type { GroupEvent } from '../groups.js';
import { ContactBook } from './contact-book.js';
import { SimulatorGroups } from './groups.js';
import { cardsOf, type ChatContent, chatEvent } from './chat-content.js';
import type { SimulatorNetwork } from './network.js';
import { ReceiptTimers } from './receipts.js';
import { type SimulatorOptions, SimulatorStateError } from './options.js';
import { messageId, newQrKeys, pairingCode, phoneDigits, type QrKeys, qrString, userJid } from './wire-format.js';

/** WhatsApp hands out six QR refs per pairing attempt, then closes the connection. */
export const QR_CODES_PER_ATTEMPT = 6;

/**
 * Numbers ending in 0000 are "not on WhatsApp", so that path can be tested with numbers that
 * still pass phone-number validation (e.g. 79001230000).
 */
const NOT_ON_WHATSAPP = /0000$/;

const CREDS = { type: 'creds', id: 'creds' } as const;

interface Creds {
  me: { id: string; name: string };
}

export type { ChatContent } from './chat-content.js';

export interface InboundMessage extends ChatContent {
  /** Phone number or JID of the virtual sender. */
  from: string;
  /** The group JID when the sender writes in a group rather than to us. */
  group?: string;
  pushName?: string;
}

export interface PhoneMessage extends ChatContent {
  /** Phone number or JID of the chat the account's own phone writes to. */
  to: string;
}

export type SimulatedDisconnect = Extract<CloseReason, 'connection_lost' | 'bad_session' | 'conflict' | 'logged_out'>;

/**
 * One simulated linked device. Unlinked, it shows QR codes until `scan()`; linked, it keeps its
 * identity in the auth store so a restart reconnects without a scan. An idle linked session has
 * no timers at all: only sends schedule their receipts, and `stop()` clears them.
 */
export class SimulatorSession implements EngineSession {
  private running = false;
  private me?: Creds['me'];
  private qrKeys?: QrKeys;
  private qrCount = 0;
  private qrTimer?: NodeJS.Timeout;
  private autoLinkTimer?: NodeJS.Timeout;
  private pairingPhone?: string;
  private failingStarts = 0;
  private readonly receipts: ReceiptTimers;
  readonly groups: SimulatorGroups;
  private readonly contacts = new ContactBook();
  private seenPresence?: Map<string, PresenceState>;

  constructor(
    private readonly ctx: SessionContext,
    private readonly options: SimulatorOptions,
    private readonly network: SimulatorNetwork<SimulatorSession>,
  ) {
    this.receipts = new ReceiptTimers(options);
    this.groups = new SimulatorGroups(network, () => this.requireLinked().id);
  }

  get jid(): string | undefined {
    return this.me?.id;
  }

  async start(): Promise<void> {
    if (this.running) return;
    if (this.failingStarts > 0) {
      this.failingStarts -= 1;
      this.ctx.emit({ type: 'closed', reason: 'connection_lost', message: 'Simulated connection failure' });
      return;
    }
    this.running = true;
    this.network.join(this.ctx.instanceId, this);
    const creds = await this.loadCreds();
    if (!this.running) return;
    if (creds) this.connect(creds.me);
    else this.showQr();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.halt();
    this.ctx.emit({ type: 'closed', reason: 'stopped' });
  }

  async logout(): Promise<void> {
    const wasRunning = this.running;
    this.halt();
    this.contacts.clear();
    this.pairingPhone = undefined;
    await this.ctx.auth.clear();
    if (wasRunning) this.ctx.emit({ type: 'closed', reason: 'logged_out', message: 'Logged out' });
  }

  async requestPairingCode(phone: string): Promise<string> {
    await this.start();
    if (this.me) throw new SimulatorStateError('The device is already linked');
    const digits = phoneDigits(phone);
    if (!digits) throw new SimulatorStateError(`${phone} is not a phone number`);
    this.pairingPhone = digits;
    return pairingCode();
  }

  async sendText(to: string, text: string, options: SendOptions = {}): Promise<SendResult> {
    return this.send(to, options, (base) => ({ ...base, type: 'text', text }));
  }

  async sendMedia(to: string, media: OutgoingMedia, options: SendOptions = {}): Promise<SendResult> {
    const data = Buffer.from(media.data);
    return this.send(to, options, (base) => ({
      ...base,
      type: media.kind,
      caption: media.caption,
      media: { kind: media.kind, mimeType: media.mimeType, fileName: media.fileName, size: data.length, download: async () => data },
    }));
  }

  async sendLocation(to: string, location: Location, options: SendOptions = {}): Promise<SendResult> {
    return this.send(to, options, (base) => ({ ...base, type: 'location', location: { ...location } }));
  }

  async sendContacts(to: string, cards: ContactCard[], options: SendOptions = {}): Promise<SendResult> {
    return this.send(to, options, (base) => ({ ...base, type: 'contact', contacts: cards.map((card) => ({ ...card })) }));
  }

  /** Simulated votes travel in the clear: the simulator's polls need no secret. */
  async sendPoll(to: string, poll: Poll, options: SendOptions = {}): Promise<SentPoll> {
    return this.send(to, options, (base) => ({ ...base, type: 'poll', poll: { ...poll, options: [...poll.options] } }));
  }

  async react(target: MessageRef, emoji: string): Promise<SendResult> {
    return this.change(target, { kind: 'reaction', emoji });
  }

  async editText(target: MessageRef, text: string): Promise<SendResult> {
    return this.change(target, { kind: 'edit', text });
  }

  async deleteForEveryone(target: MessageRef): Promise<SendResult> {
    return this.change(target, { kind: 'delete' });
  }

  async markRead(messages: MessageRef[]): Promise<void> {
    const me = this.requireLinked();
    const byChat = new Map<string, string[]>();
    for (const m of messages.filter((m) => !m.fromMe)) byChat.set(m.chatJid, [...(byChat.get(m.chatJid) ?? []), m.messageId]);
    for (const [chatJid, ids] of byChat) this.network.deliverRead(chatJid, me.id, ids);
  }

  async sendPresence(state: PresenceState, chatJid?: string): Promise<void> {
    this.network.deliverPresence(this.requireLinked().id, state, chatJid);
  }

  /** The presence each peer last showed this device, for the simulator's views. */
  presences(): Record<string, PresenceState> {
    return Object.fromEntries(this.seenPresence ?? []);
  }

  async getContacts(): Promise<EngineContact[]> {
    return this.contacts.all();
  }

  async checkNumbers(jids: string[]): Promise<NumberCheck[]> {
    return jids.map((input) => {
      const digits = phoneDigits(input);
      return { input, jid: digits ? userJid(digits) : input, exists: !!digits && !NOT_ON_WHATSAPP.test(digits) };
    });
  }

  /** The phone scans the QR code (or confirms the pairing code): the device becomes linked. */
  async scan(phone?: string, pushName?: string): Promise<{ jid: string }> {
    if (!this.running) throw new SimulatorStateError('The session is not running; reconnect the instance first');
    if (this.me) throw new SimulatorStateError('The device is already linked');
    const digits = phone ? phoneDigits(phone) : (this.pairingPhone ?? this.network.freshPhone());
    if (!digits) throw new SimulatorStateError(`${phone} is not a phone number`);
    const jid = userJid(digits);
    if (this.network.isOnline(jid)) throw new SimulatorStateError(`${jid} is already linked to another running simulator instance`);
    const creds: Creds = { me: { id: jid, name: pushName ?? `Simulator ${digits.slice(-4)}` } };
    this.clearLinkTimers();
    await this.ctx.auth.set({ [CREDS.type]: { [CREDS.id]: JSON.stringify(creds) } });
    if (!this.running) return { jid };
    // Like WhatsApp after pairing: the server closes the stream and the client reconnects.
    this.halt();
    this.ctx.emit({ type: 'closed', reason: 'restart_required', message: 'Pairing complete' });
    return { jid };
  }

  /**
   * A virtual phone sends this device a message, or changes one of the chat (reacts, edits,
   * deletes, votes); returns the id of the message that carried it.
   */
  injectInbound(input: InboundMessage): string {
    this.requireLinked();
    const jid = this.chatJid(input.from);
    if (input.group) this.groups.requireMember(input.group, jid);
    const id = messageId();
    const event = chatEvent({ messageId: id, chatJid: input.group ?? jid, senderJid: jid, fromMe: false, pushName: input.pushName, timestamp: nowSeconds() }, input);
    const learned: Array<[string, { name?: string; pushName?: string }]> = [[jid, { pushName: input.pushName }]];
    for (const card of cardsOf(input)) {
      const contactDigits = phoneDigits(card.phone);
      if (contactDigits) learned.push([userJid(contactDigits), { name: card.name }]);
    }
    this.learn(learned);
    this.ctx.emit(event);
    return id;
  }

  /** The account's own phone writes in a chat: its linked devices see the message as fromMe. */
  injectFromPhone(input: PhoneMessage): string {
    const me = this.requireLinked();
    const id = messageId();
    const chatJid = this.chatJid(input.to);
    const event = chatEvent({ messageId: id, chatJid, senderJid: me.id, fromMe: true, pushName: me.name, timestamp: nowSeconds() }, input);
    this.contacts.remember(chatJid, {});
    this.ctx.emit(event);
    return id;
  }

  /** The connection drops the way `reason` says; the next `failReconnects` starts fail too. */
  async simulateDisconnect(reason: SimulatedDisconnect, failReconnects = 0): Promise<void> {
    if (!this.running) throw new SimulatorStateError('The session is not running');
    this.halt();
    this.failingStarts = failReconnects;
    if (reason === 'logged_out') {
      this.contacts.clear();
      await this.ctx.auth.clear();
    }
    this.ctx.emit({ type: 'closed', reason, message: `Simulated ${reason}` });
  }

  addContact(phone: string, name: string): EngineContact {
    return this.contacts.remember(this.chatJid(phone), { name });
  }

  /** A message from another simulator session of the network. */
  receive(message: NormalizedMessage): void {
    if (!this.me) return;
    this.learn([[message.senderJid ?? message.chatJid, { pushName: message.pushName }]]);
    this.ctx.emit({ type: 'message', message });
  }

  /** A peer read what we sent it: its phone's read receipts. */
  receiveRead(from: string, messageIds: string[]): void {
    if (!this.me) return;
    for (const messageId of messageIds) this.ctx.emit({ type: 'message_status', messageId, chatJid: from, fromMe: true, status: 'read' });
  }

  receivePresence(from: string, state: PresenceState): void {
    (this.seenPresence ??= new Map()).set(from, state);
  }

  receiveGroup(event: GroupEvent): void {
    if (this.me) this.ctx.emit({ type: 'group', event });
  }

  /** A reaction, edit or delete from another simulator session of the network. */
  receiveUpdate(update: MessageUpdate): void {
    if (this.me) this.ctx.emit({ type: 'message_update', update });
  }

  /** Our change to a message of a chat, seen by the peer as a change from us to that message. */
  private async change(target: MessageRef, change: MessageChange): Promise<SendResult> {
    const me = this.requireLinked();
    const result: SendResult = { messageId: messageId(), timestamp: nowSeconds() };
    const digits = phoneDigits(target.chatJid);
    // In the peer's chat with us, a message it wrote is not fromMe there, and ours is its peer's.
    const update: MessageUpdate = { targetMessageId: target.messageId, chatJid: me.id, fromJid: me.id, fromMe: false, change, timestamp: result.timestamp };
    if (digits) this.network.deliverUpdate(userJid(digits), update);
    return result;
  }

  private chatJid(phone: string): string {
    const digits = phoneDigits(phone);
    if (!digits) throw new SimulatorStateError(`${phone} is not a phone number`);
    return userJid(digits);
  }

  private learn(entries: Array<[string, { name?: string; pushName?: string }]>): void {
    const changed = this.contacts.learn(entries);
    if (changed.length > 0) this.ctx.emit({ type: 'contacts', contacts: changed });
  }

  private async send(to: string, options: SendOptions, build: (base: Omit<NormalizedMessage, 'type'>) => NormalizedMessage): Promise<SendResult> {
    const me = this.requireLinked();
    const digits = phoneDigits(to);
    const group = to.endsWith('@g.us');
    if (group) this.groups.checkSend(to);
    const result: SendResult = { messageId: messageId(), timestamp: nowSeconds() };
    const chatJid = digits ? userJid(digits) : to;
    this.contacts.remember(chatJid, {});
    const exists = group || (!!digits && !NOT_ON_WHATSAPP.test(digits));
    const forPeer = build({ messageId: result.messageId, chatJid: group ? to : me.id, senderJid: me.id, fromMe: false, pushName: me.name, timestamp: result.timestamp });
    if (options.quoted) forPeer.quotedMessageId = options.quoted.messageId;
    if (options.mentions?.length) forPeer.mentions = [...options.mentions];
    if (options.forwarded) forPeer.forwarded = true;
    this.receipts.schedule(
      exists,
      () => (group ? this.groups.fanOut(to, forPeer) : this.network.deliver(chatJid, forPeer)),
      (status) => this.ctx.emit({ type: 'message_status', messageId: result.messageId, chatJid, fromMe: true, status }),
    );
    return result;
  }

  private connect(me: Creds['me']): void {
    this.me = me;
    this.qrKeys = undefined;
    this.network.goOnline(me.id, this);
    this.ctx.emit({ type: 'connected', jid: me.id, pushName: me.name });
  }

  private showQr(): void {
    this.qrKeys = newQrKeys();
    this.qrCount = 0;
    this.nextQr();
    this.qrTimer = setInterval(() => this.nextQr(), this.options.qrRefreshMs).unref();
    if (this.options.autoLinkMs > 0) {
      this.autoLinkTimer = setTimeout(() => {
        this.scan().catch((err: unknown) => this.ctx.logger.warn({ err, instanceId: this.ctx.instanceId }, 'simulated auto-link failed'));
      }, this.options.autoLinkMs).unref();
    }
  }

  private nextQr(): void {
    if (!this.qrKeys) return;
    if (this.qrCount >= QR_CODES_PER_ATTEMPT) {
      this.halt();
      this.ctx.emit({ type: 'closed', reason: 'qr_timeout', message: 'QR refs attempts ended' });
      return;
    }
    this.qrCount += 1;
    this.ctx.emit({ type: 'qr', qr: qrString(this.qrKeys) });
  }

  private loadCreds(): Promise<Creds | undefined> {
    return this.ctx.auth.get(CREDS.type, [CREDS.id]).then((values) => {
      const raw = values[CREDS.id];
      return raw === undefined ? undefined : (JSON.parse(raw) as Creds);
    });
  }

  private requireLinked(): Creds['me'] {
    if (!this.running || !this.me) throw new SimulatorStateError('The session is not connected');
    return this.me;
  }

  private clearLinkTimers(): void {
    clearInterval(this.qrTimer);
    clearTimeout(this.autoLinkTimer);
    this.qrTimer = undefined;
    this.autoLinkTimer = undefined;
    this.qrKeys = undefined;
  }

  /** Leaves the network and drops every timer, so nothing fires for a session that is gone. */
  private halt(): void {
    this.running = false;
    this.clearLinkTimers();
    this.receipts.clear();
    this.me = undefined;
    this.network.leave(this.ctx.instanceId, this);
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
