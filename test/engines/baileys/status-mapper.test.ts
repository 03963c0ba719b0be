import { proto } from 'baileys';
import { describe, expect, it } from 'vitest';
import {
  mapMessageUpdate,
  mapReceiptUpdate,
  mapStatusNumber,
} from '../../../src/engines/baileys/status-mapper.js';

const PEER = '79001234567@s.whatsapp.net';
const Status = proto.WebMessageInfo.Status;

describe('status mapping', () => {
  it.each([
    [Status.ERROR, 'failed'],
    [Status.PENDING, 'pending'],
    [Status.SERVER_ACK, 'sent'],
    [Status.DELIVERY_ACK, 'delivered'],
    [Status.READ, 'read'],
    [Status.PLAYED, 'played'],
  ] as const)('maps Baileys status %i to %s', (n, status) => {
    expect(mapStatusNumber(n)).toBe(status);
  });

  it('maps a 1:1 receipt update', () => {
    expect(mapMessageUpdate({ key: { remoteJid: PEER, id: 'A', fromMe: true }, update: { status: Status.READ } }))
      .toEqual({ type: 'message_status', messageId: 'A', chatJid: PEER, fromMe: true, status: 'read' });
  });

  it('names a receipt from a LID by the phone number, with the LID', () => {
    const key = { remoteJid: '123456789012345@lid', remoteJidAlt: PEER, id: 'A', fromMe: true };
    expect(mapMessageUpdate({ key, update: { status: Status.DELIVERY_ACK } }))
      .toEqual({ type: 'message_status', messageId: 'A', chatJid: PEER, lid: '123456789012345@lid', fromMe: true, status: 'delivered' });
  });

  it('carries the error code of a failed send', () => {
    const event = mapMessageUpdate({
      key: { remoteJid: PEER, id: 'A', fromMe: true },
      update: { status: Status.ERROR, messageStubParameters: ['479'] },
    });
    expect(event).toMatchObject({ status: 'failed', error: '479' });
  });

  it('skips updates that carry no status', () => {
    expect(mapMessageUpdate({ key: { remoteJid: PEER, id: 'A' }, update: { starred: true } })).toBeUndefined();
  });

  it('maps group receipts by their furthest timestamp', () => {
    const key = { remoteJid: '120363000000000000@g.us', id: 'G', fromMe: true };
    expect(mapReceiptUpdate({ key, receipt: { userJid: PEER, receiptTimestamp: 1 } })?.status).toBe('delivered');
    expect(mapReceiptUpdate({ key, receipt: { userJid: PEER, receiptTimestamp: 1, readTimestamp: 2 } })?.status)
      .toBe('read');
    expect(mapReceiptUpdate({ key, receipt: { userJid: PEER, playedTimestamp: 3 } })?.status).toBe('played');
    expect(mapReceiptUpdate({ key, receipt: { userJid: PEER } })).toBeUndefined();
  });
});
