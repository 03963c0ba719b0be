import type { EngineEvent, EngineSession, MediaKind, MessageUpdate, NormalizedMessage, OutgoingMedia, SendOptions, SendResult } from '../engines/engine.js';
import { applyChange, changeEventType, changePayload, isRedelivery } from './message-updates.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { InstanceRecord, MessageChanger, MessageRecord, Repositories, Store, UserRecord } from '../store/store.js';
import type { Clock } from '../core/clock.js';
import type { ContactsService } from './contacts.service.js';
import type { Emit, EventLog } from './event-log.js';
import { fromEngine } from './engine-call.js';
import type { InstancesService } from './instances.service.js';
import type { MediaFetcher } from './media-fetch.js';
import { FALLBACK_MIME, resolveMimeType, sanitizeFileName, sanitizeMimeType } from './media-types.js';
import { mediaPathOf } from '../media/media-names.js';
import type { MediaStore } from '../media/media-store.js';
import { kindFor, voiceNote } from './media-kind.js';
import { EarlyStatuses, type HeldStatus, KeyedSerializer, statusAdvances, statusesNotAdvancedBy } from './message-status.js';
import { incomingRow, type MessageMedia, type OutgoingMessage, outgoingRow, receivedPayload, sentPayload, statusPayload } from './message-mapping.js';
import type { Recipient } from '../core/phone.js';
import { resolveRecipient } from './recipients.js';
import type { SessionManager } from './sessions.js';
import type { Logger } from '../core/logger.js';
import { type ReplyAndMentions, sendOptionsFor, sentDetails } from './send-options.js';

/**
 * A check run before anything is sent, after ownership and input validation; it throws to refuse
 * (usage limits register here). It only decides: what was sent is counted from the
 * `message_sent` events. `bytes` is the text's UTF-8 size or the media file's size.
 */
/**
 * Decides whether a send may go ahead (throws to refuse). It may return a release function,
 * called when the send fails before it is recorded, to give back what the guard reserved.
 */
export type SendGuard = (instance: InstanceRecord, send: { kind: 'text' | 'media'; bytes: number }) => Promise<SendRelease | void> | SendRelease | void;
export type SendRelease = () => void;

export interface SendTextInput extends ReplyAndMentions {
  phone: string;
  message: string;
}

export interface SendMediaUrlInput extends ReplyAndMentions {
  phone: string;
  kind?: MediaKind;
  url: string;
  caption?: string;
  filename?: string;
  mimeType?: string;
}

export interface SendFileInput extends ReplyAndMentions {
  phone: string;
  kind?: MediaKind;
  caption?: string;
  data: Buffer;
  filename?: string;
  mimeType?: string;
}

/** A file about to be sent, its name and type already made safe. */
export interface MediaFile {
  data: Buffer;
  mimeType: string;
  fileName: string | null;
  caption?: string;
  /** How to send it; its type decides when absent. */
  kind?: MediaKind;
}

export interface OpenedMedia {
  stream: NodeJS.ReadableStream;
  size: number;
  mimeType: string;
  fileName: string | null;
}

type MessageEvent = Extract<EngineEvent, { type: 'message' | 'message_update' | 'message_status' | 'contacts' }>;
type StatusEvent = Extract<EngineEvent, { type: 'message_status' }>;

export interface MessagingDeps {
  store: Store;
  events: EventLog;
  instances: InstancesService;
  sessions: SessionManager;
  contacts: ContactsService;
  media: MediaStore;
  fetcher: MediaFetcher;
  clock: Clock;
  maxMediaBytes: number;
  /** The ffmpeg that converts audio into voice notes. */
  ffmpegPath: string;
  logger: Logger;
}

/**
 * Sending, receiving and the delivery status of messages. Every message row is written in the
 * same transaction as its event, and per instance one write at a time, so a receipt racing its
 * own send is held (`EarlyStatuses`) and applied when the row lands instead of being lost.
 */
export class MessagingService {
  private readonly guards: SendGuard[] = [];
  private readonly early: EarlyStatuses;
  private readonly serial = new KeyedSerializer();

  constructor(private readonly deps: MessagingDeps) {
    this.early = new EarlyStatuses(deps.clock);
  }

  addSendGuard(guard: SendGuard): void {
    this.guards.push(guard);
  }

  async sendText(user: UserRecord, instanceId: string, input: SendTextInput): Promise<{ id: string }> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const to = await this.recipientOf(instance, input.phone);
    const { message } = input;
    if (message.trim() === '') throw new ValidationError('message must not be empty', [{ field: 'message', message: 'must not be empty' }]);
    const options = await sendOptionsFor(this.deps.store, instance, to.jid, input);
    const sent = await this.guarded(instance, 'text', Buffer.byteLength(message), (session) =>
      fromEngine('WhatsApp did not accept the message', () => session.sendText(to.jid, message, options), 'phone'),
    );
    await this.recordSent(instance, { messageId: sent.messageId, chatJid: to.jid, type: 'text', text: message, details: sentDetails(options, to), timestamp: sent.timestamp });
    return { id: sent.messageId };
  }

  /** The chat `phone` names; a LID with a known phone number is that number's chat (recipients.ts). */
  recipientOf(instance: InstanceRecord, phone: string, field = 'phone'): Promise<Recipient> {
    return resolveRecipient(this.deps.sessions, instance.id, phone, field);
  }

  async sendMediaUrl(user: UserRecord, instanceId: string, input: SendMediaUrlInput): Promise<{ id: string }> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const to = await this.recipientOf(instance, input.phone);
    this.deps.fetcher.check(input.url);
    const options = await sendOptionsFor(this.deps.store, instance, to.jid, input);
    // Fail before downloading what could not be sent anyway.
    this.deps.sessions.connectedSession(instance.id);
    const fetched = await this.deps.fetcher.fetch(input.url);
    const fileName = sanitizeFileName(input.filename) ?? sanitizeFileName(fetched.urlFileName);
    const mimeType = resolveMimeType(input.mimeType ?? fetched.contentType, input.filename, fetched.urlFileName);
    return this.sendMediaFile(instance, to, { data: fetched.data, mimeType, fileName, caption: input.caption, kind: input.kind }, options);
  }

  /** `read` parses the upload; it runs after the ownership check, so nobody uploads to another's instance. */
  async sendFile(user: UserRecord, instanceId: string, read: () => Promise<SendFileInput>): Promise<{ id: string }> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const input = await read();
    const to = await this.recipientOf(instance, input.phone);
    if (input.data.length === 0) throw new ValidationError('file is empty', [{ field: 'file', message: 'is empty' }]);
    const options = await sendOptionsFor(this.deps.store, instance, to.jid, input);
    const fileName = sanitizeFileName(input.filename);
    const mimeType = resolveMimeType(input.mimeType, input.filename);
    return this.sendMediaFile(instance, to, { data: input.data, mimeType, fileName, caption: input.caption, kind: input.kind }, options);
  }

  /**
   * For the services of the other kinds of message (locations, cards, polls): sends through the
   * guards as one text message and stores it with its `message_sent` event, like a text.
   */
  async sendRecorded<T extends SendResult>(instance: InstanceRecord, bytes: number, send: (session: EngineSession) => Promise<T>, row: (sent: T) => OutgoingMessage): Promise<{ id: string }> {
    const sent = await this.guarded(instance, 'text', bytes, (session) => fromEngine('WhatsApp did not accept the message', () => send(session), 'phone'));
    await this.recordSent(instance, row(sent));
    return { id: sent.messageId };
  }

  /** A stored media file, for its instance's owner; the name in the URL is only ever one we made. */
  async openMedia(user: UserRecord, instanceId: string, file: string): Promise<OpenedMedia> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const gone = () => new NotFoundError(`Media ${file} not found`);
    const storedPath = mediaPathOf(instance.id, file);
    if (!storedPath) throw gone();
    const message = await this.deps.store.messages.findByMediaPath(instance.id, storedPath);
    if (!message) throw gone();
    const opened = await this.deps.media.open(storedPath);
    if (!opened) throw gone();
    // Sanitized again on the way out: rows stored before types were sanitized on the way in.
    return { ...opened, mimeType: sanitizeMimeType(message.mimeType) ?? FALLBACK_MIME, fileName: message.fileName };
  }

  async onEngineEvent(instance: InstanceRecord, event: MessageEvent): Promise<void> {
    if (event.type === 'message') return this.onMessage(instance, event.message);
    if (event.type === 'message_update') return this.onUpdate(instance, event.update);
    if (event.type === 'message_status') return this.onStatus(instance, event);
    await this.deps.contacts.absorb(instance, event.contacts);
  }

  /** Runs the guards, then `send` on the connected session; a failed send gives back what the guards reserved. */
  private async guarded<T>(instance: InstanceRecord, kind: 'text' | 'media', bytes: number, send: (session: EngineSession) => Promise<T>): Promise<T> {
    const releases: SendRelease[] = [];
    try {
      for (const guard of this.guards) {
        const release = await guard(instance, { kind, bytes });
        if (release) releases.push(release);
      }
      return await send(this.deps.sessions.connectedSession(instance.id));
    } catch (error) {
      for (const release of releases) release();
      throw error;
    }
  }

  /** Sends a file already checked and named (an upload, a download, a stored file forwarded). */
  async sendMediaFile(instance: InstanceRecord, to: Recipient, file: MediaFile, options: SendOptions): Promise<{ id: string }> {
    const { fileName } = file;
    const caption = file.caption || undefined;
    const kind = kindFor(file.kind, file.mimeType);
    const { data, mimeType } = kind === 'voice' ? await voiceNote(file.data, file.mimeType, this.deps.ffmpegPath) : file;
    const outgoing: OutgoingMedia = { kind, data, mimeType, fileName: fileName ?? undefined, caption };
    const sent = await this.guarded(instance, 'media', data.length, (session) =>
      fromEngine('WhatsApp did not accept the message', () => session.sendMedia(to.jid, outgoing, options), 'phone'),
    );
    const media = await this.keepSent(instance.id, data, mimeType, fileName);
    const row = { messageId: sent.messageId, chatJid: to.jid, type: kind, caption, media, details: sentDetails(options, to), timestamp: sent.timestamp };
    const inserted = await this.recordSent(instance, row);
    if (!inserted && media.stored) await this.deps.media.remove(media.stored.path);
    return { id: sent.messageId };
  }

  /**
   * Keeps our copy of a file WhatsApp already took. A media store that fails (a bucket out of
   * reach) costs the copy, noted on the message, never the record of the message.
   */
  private async keepSent(instanceId: string, data: Buffer, mimeType: string, fileName: string | null): Promise<MessageMedia> {
    try {
      return { stored: await this.deps.media.save(instanceId, { data, mimeType, originalName: fileName }), mimeType, fileName };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.deps.logger.warn({ instanceId, err: reason }, 'sent media not stored');
      return { mimeType, fileName, error: `media not stored: ${reason}` };
    }
  }

  /** Stores an API send with its `message_sent` event; false when the engine's echo got there first. */
  private async recordSent(instance: InstanceRecord, message: OutgoingMessage): Promise<boolean> {
    const now = this.deps.clock();
    const row = outgoingRow(instance.id, message, instance.phoneJid, now);
    const inserted = await this.serial.run(instance.id, () =>
      this.deps.events.record(instance.id, async (tx, emit) => {
        if (!(await tx.messages.insert(row))) return false;
        await emit('message_sent', sentPayload(row));
        await this.touch(tx, row, typeof row.metadata.lid === 'string' ? { lid: row.metadata.lid } : {}, now);
        await this.applyHeld(tx, emit, row, now);
        return true;
      }),
    );
    // Engine traffic moves the session's last activity itself; an API send is news to it.
    await this.deps.sessions.noteActivity(instance.id, now);
    return inserted;
  }

  private async onMessage(instance: InstanceRecord, message: NormalizedMessage): Promise<void> {
    // The engine may deliver a message again (reconnects, history sync). The insert below skips
    // a message already stored; one with media is looked for first, to skip its download too.
    if (message.media && (await this.deps.store.messages.findByMessageId(instance.id, message.messageId))) return;
    const media = message.media ? await this.receiveMedia(instance.id, message) : undefined;
    const now = this.deps.clock();
    const row = incomingRow(instance.id, message, media, now);
    const inserted = await this.serial.run(instance.id, () =>
      this.deps.events.record(instance.id, async (tx, emit) => {
        if (!(await tx.messages.insert(row))) return false;
        await emit(row.fromMe ? 'message_sent' : 'message_received', row.fromMe ? sentPayload(row) : receivedPayload(row));
        const inOneToOne = !row.remoteJid.endsWith('@g.us');
        const pushName = inOneToOne && !row.fromMe && message.pushName ? { pushName: message.pushName } : {};
        // In a 1:1 chat the message's LID is the chat's; in a group it is the author's.
        await this.touch(tx, row, { ...pushName, ...(inOneToOne && message.lid ? { lid: message.lid } : {}) }, now);
        if (!row.fromMe && message.senderJid && message.senderJid !== row.remoteJid && message.pushName) {
          await tx.contacts.upsert(instance.id, message.senderJid, { pushName: message.pushName, lastActivity: now }, now);
        }
        await this.applyHeld(tx, emit, row, now);
        return true;
      }),
    );
    if (!inserted && media?.stored) await this.deps.media.remove(media.stored.path);
  }

  /** Downloads and stores incoming media; a failure is noted on the message, never dropping it. */
  private async receiveMedia(instanceId: string, message: NormalizedMessage): Promise<MessageMedia> {
    const info = message.media!;
    const fileName = sanitizeFileName(info.fileName);
    const mimeType = resolveMimeType(info.mimeType, info.fileName);
    const limit = this.deps.maxMediaBytes;
    const tooLarge = (size: number) => ({ mimeType, fileName, error: `media of ${size} bytes exceeds the ${limit}-byte limit (MEDIA_MAX_BYTES); not downloaded` });
    if (info.size !== undefined && info.size > limit) return tooLarge(info.size);
    try {
      const data = await info.download();
      if (data.length > limit) return tooLarge(data.length);
      return { stored: await this.deps.media.save(instanceId, { data, mimeType, originalName: fileName }), mimeType, fileName };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.deps.logger.warn({ instanceId, messageId: message.messageId, err: reason }, 'media download failed');
      return { mimeType, fileName, error: `media download failed: ${reason}` };
    }
  }

  /**
   * A reaction, edit, delete or vote: changes the message it targets and is announced. One
   * whose target is not stored (older than this gateway's history, or not yet arrived) is still
   * announced, so it is not lost.
   */
  private async onUpdate(instance: InstanceRecord, update: MessageUpdate): Promise<void> {
    await this.applyUpdate(instance, update);
  }

  /**
   * Applies a change to a stored message and announces it: one an engine reported, or one we
   * made ourselves (message-actions.service.ts), which `changer` may apply its own way.
   */
  applyUpdate(instance: InstanceRecord, update: MessageUpdate, changer?: MessageChanger): Promise<boolean> {
    const now = this.deps.clock();
    return this.serial.run(instance.id, () =>
      this.deps.events.record(instance.id, async (tx, emit) => {
        // Set by the last run of the changer, which the store may run again after a conflict.
        let redelivered = false;
        const reported: MessageChanger = (row) => {
          redelivered = isRedelivery(row, update);
          return redelivered ? undefined : applyChange(row, update, now);
        };
        const changed = await tx.messages.change(instance.id, update.targetMessageId, changer ?? reported, now);
        if (!changed) this.deps.logger.debug({ instanceId: instance.id, messageId: update.targetMessageId, change: update.change.kind }, 'change to a message not stored');
        if (!redelivered) await emit(changeEventType(update.change), changePayload(update));
        return !!changed;
      }),
    );
  }

  private onStatus(instance: InstanceRecord, event: StatusEvent): Promise<void> {
    const now = this.deps.clock();
    const held: HeldStatus = { status: event.status, error: event.error };
    const unless = statusesNotAdvancedBy(event.status);
    return this.serial.run(instance.id, () =>
      this.deps.events.record(instance.id, async (tx, emit) => {
        // The usual receipt moves its message forward: one conditional update, no read first.
        const advanced = unless && (await tx.messages.advanceStatus(instance.id, event.messageId, event.status, unless, now));
        if (advanced) {
          await this.emitStatus(emit, advanced, held);
          return;
        }
        const row = await tx.messages.findByMessageId(instance.id, event.messageId);
        if (!row) {
          this.early.hold(instance.id, event.messageId, held);
          return;
        }
        await this.applyStatus(tx, emit, row, held, now);
      }),
    );
  }

  private async applyHeld(tx: Repositories, emit: Emit, row: MessageRecord, now: number): Promise<void> {
    let current = row;
    for (const held of this.early.take(row.instanceId, row.messageId)) current = await this.applyStatus(tx, emit, current, held, now);
  }

  private async applyStatus(tx: Repositories, emit: Emit, row: MessageRecord, held: HeldStatus, now: number): Promise<MessageRecord> {
    if (!statusAdvances(row.status, held.status)) return row;
    const updated = (await tx.messages.updateStatus(row.instanceId, row.messageId, held.status, now)) ?? { ...row, status: held.status, statusUpdatedAt: now };
    await this.emitStatus(emit, row, held);
    return updated;
  }

  private async emitStatus(emit: Emit, row: MessageRecord, held: HeldStatus): Promise<void> {
    await emit('message_status', statusPayload(row, held.status, held.error));
  }

  /**
   * A message stored in a chat: the chat's contact was active now, and the chat (the
   * conversation list) has a new last message and, if inbound, one more unread. The instance's
   * own last activity is the session's (SessionManager.noteActivity), stored at most once a
   * minute: writing it with every message cost a statement and dropped the cached instance row.
   */
  private async touch(tx: Repositories, row: MessageRecord, patch: { pushName?: string; lid?: string }, now: number): Promise<void> {
    await tx.contacts.upsert(row.instanceId, row.remoteJid, { ...patch, lastActivity: now }, now);
    await tx.chats.noteMessage(row, now);
  }
}
