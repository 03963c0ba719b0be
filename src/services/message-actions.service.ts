import type { EngineSession, Location, MessageChange, MessageType, MessageUpdate, SendOptions, SendResult } from '../engines/engine.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { InstanceRecord, MessageRecord, Store, UserRecord } from '../store/store.js';
import { fromEngine } from './engine-call.js';
import type { InstancesService } from './instances.service.js';
import { contactsOf, messageRefOf, type OutgoingMessage } from './message-mapping.js';
import type { ChangeMetadata } from './message-updates.js';
import type { MediaStore } from '../media/media-store.js';
import type { MediaFile, MessagingService } from './messaging.service.js';
import type { SessionManager } from './sessions.js';
import { sentDetails } from './send-options.js';

/** WhatsApp lets the sender edit a message for 15 minutes. */
export const EDIT_WINDOW_MS = 15 * 60_000;
/** And delete it for everyone for about two days. */
export const DELETE_WINDOW_MS = 2 * 24 * 60 * 60_000;

export interface MessageActionsDeps {
  store: Store;
  instances: InstancesService;
  sessions: SessionManager;
  messaging: MessagingService;
  media: MediaStore;
  clock: Clock;
}

/**
 * What a user does to a message already in a chat: react to it, edit or delete what they sent,
 * forward it. The change goes to WhatsApp first, then is applied to the stored message and
 * announced exactly as the same change arriving from the phone would be.
 */
export class MessageActionsService {
  constructor(private readonly deps: MessageActionsDeps) {}

  async react(user: UserRecord, instanceId: string, messageId: string, emoji: string): Promise<{ id: string }> {
    const { instance, row } = await this.target(user, instanceId, messageId);
    const sent = await this.call(instance, (session) => session.react(messageRefOf(row, instance.phoneJid), emoji));
    await this.applyOwn(instance, row, { kind: 'reaction', emoji }, sent.timestamp);
    return { id: sent.messageId };
  }

  async edit(user: UserRecord, instanceId: string, messageId: string, text: string): Promise<{ id: string }> {
    const { instance, row } = await this.target(user, instanceId, messageId);
    if (text.trim() === '') throw new ValidationError('message must not be empty', [{ field: 'message', message: 'must not be empty' }]);
    if (!row.fromMe) throw new ForbiddenError(`Message ${messageId} was sent by someone else; only your own messages can be edited`);
    if (row.messageType !== 'text') throw new ConflictError(`Message ${messageId} is a ${row.messageType} message; only text can be edited`);
    this.refuseDeleted(row);
    this.refuseAfter(row, EDIT_WINDOW_MS, 'edited', '15 minutes');
    const sent = await this.call(instance, (session) => session.editText(messageRefOf(row, instance.phoneJid), text));
    await this.applyOwn(instance, row, { kind: 'edit', text }, sent.timestamp);
    return { id: sent.messageId };
  }

  /** For everyone (our own message, within WhatsApp's window), or `forMe`: only marked deleted here. */
  async delete(user: UserRecord, instanceId: string, messageId: string, forMe: boolean): Promise<{ id: string | null }> {
    const { instance, row } = await this.target(user, instanceId, messageId);
    this.refuseDeleted(row);
    if (forMe) {
      const at = this.deps.clock();
      await this.deps.messaging.applyUpdate(instance, this.update(instance, row, { kind: 'delete' }, Math.floor(at / 1000)), (current) => ({
        content: current.content,
        caption: current.caption,
        metadata: { ...current.metadata, deletedAt: at, deletedBy: instance.phoneJid ?? undefined, deletedForMe: true },
      }));
      return { id: null };
    }
    if (!row.fromMe) throw new ForbiddenError(`Message ${messageId} was sent by someone else; delete it with ?forMe=true`);
    this.refuseAfter(row, DELETE_WINDOW_MS, 'deleted for everyone', '2 days; delete it with ?forMe=true');
    const sent = await this.call(instance, (session) => session.deleteForEveryone(messageRefOf(row, instance.phoneJid)));
    await this.applyOwn(instance, row, { kind: 'delete' }, sent.timestamp);
    return { id: sent.messageId };
  }

  /** Sends the message's content again to `phone`, labelled forwarded; a new sent message, counted like any. */
  async forward(user: UserRecord, instanceId: string, messageId: string, phone: string): Promise<{ id: string }> {
    const { instance, row } = await this.target(user, instanceId, messageId);
    const to = await this.deps.messaging.recipientOf(instance, phone);
    this.refuseDeleted(row);
    const options: SendOptions = { forwarded: true };
    const { messaging } = this.deps;
    if (row.hasMedia) return messaging.sendMediaFile(instance, to, await this.storedFile(row), options);
    const meta = row.metadata as ChangeMetadata & { location?: Location };
    const bytes = Buffer.byteLength(row.content ?? '');
    const stored = (type: MessageType, details: Record<string, unknown>) => (sent: SendResult): OutgoingMessage => ({
      ...sent,
      chatJid: to.jid,
      type,
      text: row.content ?? undefined,
      details: { ...sentDetails(options, to), ...details },
    });
    const { content } = row;
    if (row.messageType === 'text' && content !== null) {
      return messaging.sendRecorded(instance, bytes, (session) => session.sendText(to.jid, content, options), stored('text', {}));
    }
    const { location, poll } = meta;
    if (location) return messaging.sendRecorded(instance, bytes, (session) => session.sendLocation(to.jid, location, options), stored('location', { location }));
    const cards = contactsOf(row.metadata);
    if (cards) return messaging.sendRecorded(instance, bytes, (session) => session.sendContacts(to.jid, cards, options), stored('contact', { contacts: cards }));
    if (poll) {
      // A forwarded poll is a new poll, with its own secret.
      return messaging.sendRecorded(instance, bytes, (session) => session.sendPoll(to.jid, poll, options), ({ pollSecret, ...sent }) =>
        stored('poll', { poll, ...(pollSecret ? { pollSecret } : {}) })(sent),
      );
    }
    throw new ConflictError(`Message ${messageId} has nothing this gateway can forward (a ${row.messageType} message)`);
  }

  private async target(user: UserRecord, instanceId: string, messageId: string): Promise<{ instance: InstanceRecord; row: MessageRecord }> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const row = await this.deps.store.messages.findByMessageId(instance.id, messageId);
    if (!row) throw new NotFoundError(`Message ${messageId} not found in instance ${instance.id}`, [{ field: 'messageId', message: 'is not a stored message of this instance' }]);
    return { instance, row };
  }

  private refuseDeleted(row: MessageRecord): void {
    if ((row.metadata as ChangeMetadata).deletedAt !== undefined) throw new ConflictError(`Message ${row.messageId} is deleted`);
  }

  private refuseAfter(row: MessageRecord, windowMs: number, what: string, window: string): void {
    if (this.deps.clock() - row.timestamp > windowMs) {
      throw new ConflictError(`Message ${row.messageId} is too old to be ${what}: WhatsApp allows it within ${window}`);
    }
  }

  private update(instance: InstanceRecord, row: MessageRecord, change: MessageChange, timestamp: number): MessageUpdate {
    return { targetMessageId: row.messageId, chatJid: row.remoteJid, fromJid: instance.phoneJid ?? '', fromMe: true, change, timestamp };
  }

  private async applyOwn(instance: InstanceRecord, row: MessageRecord, change: MessageChange, timestamp: number): Promise<void> {
    await this.deps.messaging.applyUpdate(instance, this.update(instance, row, change, timestamp));
  }

  private call<T>(instance: InstanceRecord, action: (session: EngineSession) => Promise<T>): Promise<T> {
    const session = this.deps.sessions.connectedSession(instance.id);
    return fromEngine('WhatsApp did not accept the change', () => action(session));
  }

  private async storedFile(row: MessageRecord): Promise<MediaFile> {
    const opened = row.mediaPath ? await this.deps.media.open(row.mediaPath) : undefined;
    if (!opened) throw new ConflictError(`Message ${row.messageId} has no stored media to forward (${(row.metadata.mediaError as string | undefined) ?? 'not downloaded'})`);
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    // A voice note or sticker stays one; anything else goes by its type.
    const kind = row.messageType === 'voice' || row.messageType === 'sticker' ? row.messageType : undefined;
    return { data: Buffer.concat(chunks), mimeType: row.mimeType ?? 'application/octet-stream', fileName: row.fileName, caption: row.caption ?? undefined, kind };
  }
}

