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
  OutgoingMedia,
  SendOptions,
  SendResult,
  SessionContext,
} from '../engine.js';
import type { GroupEvent } from '../groups.js';
import type { SimulatedProfile } from './account-profile.js';
import { SimulatorAccount } from './account.js';
import { cardsOf, chatEvent, type InboundMessage, type PhoneMessage } from './chat-content.js';
import { ContactBook } from './contact-book.js';
import { LidBook } from './lid-book.js';
import { SimulatorGroups } from './groups.js';
import type { SimulatorNetwork } from './network.js';
import { PresenceBook, type ShownPresence } from './presence-book.js';
import { ReceiptTimers } from './receipts.js';
import { type SimulatorOptions, SimulatorStateError } from './options.js';
import { QrCodes } from './qr-codes.js';
import { isOnWhatsApp, messageId, pairingCode, phoneDigits, userJid } from './wire-format.js';

export { QR_CODES_PER_ATTEMPT } from './qr-codes.js';

const CREDS = { type: 'creds', id: 'creds' } as const;

interface Creds {
  me: { id: string; name: string };
}

export type { ChatContent, InboundMessage, PhoneMessage } from './chat-content.js';

export type SimulatedDisconnect = Extract<CloseReason, 'connection_lost' | 'bad_session' | 'conflict' | 'logged_out'>;

/**
 * One simulated linked device. Unlinked, it shows QR codes until `scan()`; linked, it keeps its
 * identity in the auth store so a restart reconnects without a scan. An idle linked session has
 * no timers at all: only sends schedule their receipts, and `stop()` clears them.
 */
export class SimulatorSession implements EngineSession {
  private running = false;
  private me?: Creds['me'];
  private readonly qrCodes: QrCodes;
  private autoLinkTimer?: NodeJS.Timeout;
  private pairingPhone?: string;
  private failingStarts = 0;
  private readonly receipts: ReceiptTimers;
  readonly groups: SimulatorGroups;
  private readonly contacts: ContactBook;
  private readonly lids: LidBook;
  private readonly presence = new PresenceBook();
  readonly account: SimulatorAccount;

  constructor(
    private readonly ctx: SessionContext,
    private readonly options: SimulatorOptions,
    private readonly network: SimulatorNetwork<SimulatorSession>,
  ) {
    this.receipts = new ReceiptTimers(options);
    this.qrCodes = new QrCodes(
      options.qrRefreshMs,
      (qr) => this.ctx.emit({ type: 'qr', qr }),
      () => {
        this.halt();
        this.ctx.emit({ type: 'closed', reason: 'qr_timeout', message: 'QR refs attempts ended' });
      },
    );
    this.contacts = new ContactBook((event) => ctx.emit(event));
    this.lids = new LidBook(ctx.auth, network);
    this.groups = new SimulatorGroups(network, () => this.requireLinked().id);
    this.account = new SimulatorAccount({
      auth: ctx.auth,
      network,
      contacts: this.contacts,
      lids: this.lids,
      linked: () => this.requireLinked(),
      rename: async (name) => {
        const me = this.requireLinked();
        me.name = name;
        await this.ctx.auth.set({ [CREDS.type]: { [CREDS.id]: JSON.stringify({ me } satisfies Creds) } });
      },
    });
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
    await this.account.load();
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
    this.presence.showed(state, chatJid);
  }

  /** Simulated peers report their presence to every device: there is nothing to ask for. */
  async subscribePresence(): Promise<void> {
    this.requireLinked();
  }

  /** The presence each peer last showed this device, and what this device showed, for the simulator's views. */
  presences(): { seen: Record<string, PresenceState>; shown: ShownPresence } {
    return { seen: this.presence.seenByPeer(), shown: this.presence.shown() };
  }

  async getContacts(): Promise<EngineContact[]> {
    return this.contacts.list();
  }

  ownProfile(): SimulatedProfile {
    return this.account.shown(this.me?.name);
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
  async injectInbound(input: InboundMessage): Promise<string> {
    this.requireLinked();
    const { jid, lid } = await this.lids.sender(input.from, input.lid);
    if (this.account.blocks(jid)) throw new SimulatorStateError(`The account blocks ${jid}: WhatsApp delivers nothing from it`);
    if (input.group) this.groups.requireMember(input.group, jid);
    const id = messageId();
    const envelope = { messageId: id, chatJid: input.group ?? jid, senderJid: jid, ...(lid ? { lid } : {}), fromMe: false, pushName: input.pushName, timestamp: nowSeconds() };
    const event = chatEvent(envelope, input);
    const learned: Array<[string, { name?: string; pushName?: string; lid?: string }]> = [[jid, { pushName: input.pushName, lid }]];
    for (const card of cardsOf(input)) {
      const contactDigits = phoneDigits(card.phone);
      if (contactDigits) learned.push([userJid(contactDigits), { name: card.name }]);
    }
    this.contacts.learn(learned);
    this.ctx.emit(event);
    // As a phone's message stays WhatsApp's until the device acknowledges it: answered once stored.
    await this.ctx.handled?.();
    return id;
  }

  /** A virtual phone shows its presence to this device: typing in their chat, or online. */
  injectPresence(from: string, state: PresenceState): void {
    this.requireLinked();
    this.receivePresence(this.chatJid(from), state);
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
    if (!this.me || this.account.blocks(message.chatJid)) return;
    this.contacts.learn([[message.senderJid ?? message.chatJid, { pushName: message.pushName }]]);
    this.ctx.emit({ type: 'message', message });
  }

  /** A peer read what we sent it: its phone's read receipts. */
  receiveRead(from: string, messageIds: string[]): void {
    if (!this.me) return;
    for (const messageId of messageIds) this.ctx.emit({ type: 'message_status', messageId, chatJid: from, fromMe: true, status: 'read' });
  }

  /** A peer shows its presence: in its chat with us (typing, ...) or to everyone (online, offline). */
  receivePresence(from: string, state: PresenceState): void {
    this.presence.saw(from, state);
    if (this.me) this.ctx.emit({ type: 'presence', presence: { chatJid: from, fromJid: from, state } });
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

  private async send(to: string, options: SendOptions, build: (base: Omit<NormalizedMessage, 'type'>) => NormalizedMessage): Promise<SendResult> {
    const me = this.requireLinked();
    const group = to.endsWith('@g.us');
    if (group) this.groups.checkSend(to);
    const digits = group ? undefined : await this.lids.recipientDigits(to);
    const result: SendResult = { messageId: messageId(), timestamp: nowSeconds() };
    const chatJid = digits && !to.endsWith('@lid') ? userJid(digits) : to;
    this.account.refuseIfBlocked(chatJid);
    this.contacts.remember(chatJid, {});
    const exists = group || isOnWhatsApp(digits);
    const forPeer = build({ messageId: result.messageId, chatJid: group ? to : me.id, senderJid: me.id, fromMe: false, pushName: me.name, timestamp: result.timestamp });
    if (options.quoted) forPeer.quotedMessageId = options.quoted.messageId;
    if (options.mentions?.length) forPeer.mentions = [...options.mentions];
    if (options.forwarded) forPeer.forwarded = true;
    this.receipts.schedule(
      exists,
      () => (group ? this.groups.fanOut(to, forPeer) : this.network.deliver(digits ? userJid(digits) : chatJid, forPeer)),
      (status) => this.ctx.emit({ type: 'message_status', messageId: result.messageId, chatJid, fromMe: true, status }),
    );
    return result;
  }

  private connect(me: Creds['me']): void {
    this.me = me;
    this.qrCodes.stop();
    this.network.goOnline(me.id, this);
    this.ctx.emit({ type: 'connected', jid: me.id, pushName: me.name });
  }

  private showQr(): void {
    this.qrCodes.start();
    if (this.options.autoLinkMs > 0) {
      this.autoLinkTimer = setTimeout(() => {
        this.scan().catch((err: unknown) => this.ctx.logger.warn({ err, instanceId: this.ctx.instanceId }, 'simulated auto-link failed'));
      }, this.options.autoLinkMs).unref();
    }
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
    this.qrCodes.stop();
    clearTimeout(this.autoLinkTimer);
    this.autoLinkTimer = undefined;
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
