import { proto, type MessageUserReceiptUpdate, type WAMessage, type WAMessageUpdate } from 'baileys';
import type { EngineEvent, MessageStatus } from '../engine.js';
import { lidOf, preferPhoneJid } from './jid.js';

type StatusEvent = Extract<EngineEvent, { type: 'message_status' }>;

const Status = proto.WebMessageInfo.Status;

const STATUS_BY_NUMBER: Record<number, MessageStatus> = {
  [Status.ERROR]: 'failed',
  [Status.PENDING]: 'pending',
  [Status.SERVER_ACK]: 'sent',
  [Status.DELIVERY_ACK]: 'delivered',
  [Status.READ]: 'read',
  [Status.PLAYED]: 'played',
};

export function mapStatusNumber(status: number): MessageStatus | undefined {
  return STATUS_BY_NUMBER[status];
}

/** `messages.update` carries 1:1 receipts and error acks; other updates (edits, stubs) are skipped. */
export function mapMessageUpdate({ key, update }: WAMessageUpdate): StatusEvent | undefined {
  if (!key.id || !key.remoteJid || update.status == null) return undefined;
  const status = mapStatusNumber(update.status);
  if (!status) return undefined;
  const event: StatusEvent = {
    type: 'message_status',
    messageId: key.id,
    chatJid: preferPhoneJid(key.remoteJid, key.remoteJidAlt),
    fromMe: !!key.fromMe,
    status,
  };
  const lid = lidOf(key.remoteJid, key.remoteJidAlt);
  if (lid) event.lid = lid;
  // Baileys puts the server's error code of a bad ack in the stub parameters.
  const error = status === 'failed' ? update.messageStubParameters?.[0] : undefined;
  if (error) event.error = error;
  return event;
}

/** Group and status receipts arrive per recipient; the newest timestamp kind tells how far it got. */
export function mapReceiptUpdate({ key, receipt }: MessageUserReceiptUpdate): StatusEvent | undefined {
  if (!key.id || !key.remoteJid) return undefined;
  const status: MessageStatus | undefined = receipt.playedTimestamp
    ? 'played'
    : receipt.readTimestamp
      ? 'read'
      : receipt.receiptTimestamp
        ? 'delivered'
        : undefined;
  if (!status) return undefined;
  return {
    type: 'message_status',
    messageId: key.id,
    chatJid: preferPhoneJid(key.remoteJid, key.remoteJidAlt),
    fromMe: !!key.fromMe,
    status,
  };
}

/**
 * The echo of our own send normally says PENDING; a later status in it means receipts were
 * consolidated into it by Baileys' event buffer, and nothing else will report them.
 */
export function mapOwnEchoStatus(msg: WAMessage): StatusEvent | undefined {
  if (msg.status == null || msg.status === Status.PENDING) return undefined;
  return mapMessageUpdate({ key: msg.key, update: { status: msg.status } });
}
