import { readFileSync } from 'node:fs';
import { downloadContentFromMessage, normalizeMessageContent } from 'baileys';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppEmulator } from '../../emulator/emulator.js';
import { mediaTrust } from '../../src/engines/baileys/media-trust.js';
import { createBaileysEngine, type BaileysEngineOptions } from '../../src/engines/baileys/index.js';
import type { AuthStateStore, EngineSession } from '../../src/engines/engine.js';
import { memoryAuthStore } from '../engines/baileys/memory-auth-store.js';
import { EventRecorder } from '../engines/contract/event-recorder.js';

const PEER = '79001234567';
const PEER_JID = `${PEER}@s.whatsapp.net`;
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('Baileys engine against the local WhatsApp emulator', () => {
  let emulator: WhatsAppEmulator;

  beforeAll(async () => {
    emulator = await WhatsAppEmulator.start();
    emulator.addPeer(PEER, 'Ivan');
  });

  function newSession(
    auth: AuthStateStore,
    events: EventRecorder,
    options: Partial<BaileysEngineOptions> = {},
  ): EngineSession {
    const engine = createBaileysEngine({
      logger: pino({ level: 'silent' }),
      browserName: 'Gateway e2e',
      websocketUrl: emulator.url,
      emulatorRootKey: emulator.rootPublicKey,
      // Baileys moves media over https:// only: trust the emulator's self-signed media host there.
      mediaCa: readFileSync(emulator.mediaCaPath, 'utf8'),
      connectTimeoutMs: 5_000,
      queryTimeoutMs: 5_000,
      ...options,
    });
    return engine.createSession({ instanceId: 'e2e', auth, emit: events.emit, logger: pino({ level: 'silent' }) });
  }

  afterAll(async () => {
    await emulator?.close();
  });

  it('pairs, sends, receives, reconnects, survives drops and conflicts, and logs out', async () => {
    const auth = memoryAuthStore();
    const events = new EventRecorder();
    const session = newSession(auth, events);

    // Pairing: QR → phone scans → 515 → start again → connected.
    await session.start();
    const { qr } = await events.next('qr');
    expect(qr).toMatch(/^https:\/\/wa\.me\/settings\/linked_devices#/);
    const deviceJid = await emulator.scanQr(qr);
    expect(await events.next('closed')).toMatchObject({ reason: 'restart_required', code: 515 });
    await session.start();
    const connected = await events.next('connected');
    expect(connected.jid).toBe(`${emulator.defaultPhone}@s.whatsapp.net`);

    // Send: the peer decrypts it, then delivery and read receipts come back.
    const checks = await session.checkNumbers([PEER_JID, '10000000000@s.whatsapp.net']);
    expect(checks).toEqual([
      { input: PEER_JID, jid: PEER_JID, exists: true },
      { input: '10000000000@s.whatsapp.net', jid: '10000000000@s.whatsapp.net', exists: false },
    ]);
    const sent = await session.sendText(PEER_JID, 'hello from the gateway');
    const [got] = await emulator.waitForReceived(PEER, 1);
    expect(got).toMatchObject({ id: sent.messageId, text: 'hello from the gateway' });
    const isSent = (e: { messageId: string }) => e.messageId === sent.messageId;
    expect(await events.next('message_status', (e) => isSent(e) && e.status === 'delivered')).toMatchObject({
      chatJid: PEER_JID,
      fromMe: true,
    });
    await events.next('message_status', (e) => isSent(e) && e.status === 'read');
    expect(events.events.some((e) => e.type === 'message' && e.message.messageId === sent.messageId)).toBe(false);

    // Receive: text, then an image whose bytes must survive the round trip.
    const textId = await emulator.peerSend(PEER, { text: 'hi gateway' });
    const text = await events.next('message', (e) => e.message.messageId === textId);
    expect(text.message).toMatchObject({ chatJid: PEER_JID, fromMe: false, type: 'text', text: 'hi gateway' });
    const image = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
    const imageId = await emulator.peerSend(PEER, { image, caption: 'a picture', mimetype: 'image/png' });
    const imageEvent = await events.next('message', (e) => e.message.messageId === imageId);
    expect(imageEvent.message).toMatchObject({
      type: 'image',
      caption: 'a picture',
      media: { kind: 'image', mimeType: 'image/png', size: image.length },
    });
    expect((await imageEvent.message.media!.download()).equals(image)).toBe(true);

    // Send media: uploaded to the emulator's media host, decryptable by the peer byte for byte.
    const doc = Buffer.from('%PDF-1.4 not really a pdf, just bytes for the round trip');
    const sentDoc = await session.sendMedia(PEER_JID, {
      kind: 'document',
      data: doc,
      mimeType: 'application/pdf',
      fileName: 'contract.pdf',
      caption: 'please sign',
    });
    const peerGot = (await emulator.waitForReceived(PEER, 2)).find((m) => m.id === sentDoc.messageId);
    const docMessage = normalizeMessageContent(peerGot?.message)?.documentMessage;
    expect(docMessage).toMatchObject({ fileName: 'contract.pdf', mimetype: 'application/pdf', caption: 'please sign' });
    const peerTrust = mediaTrust(readFileSync(emulator.mediaCaPath, 'utf8'));
    const stream = await downloadContentFromMessage(docMessage!, 'document', { options: { dispatcher: peerTrust.downloadDispatcher } as RequestInit });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(doc)).toBe(true);
    await peerTrust.close();
    const sentImage = await session.sendMedia(PEER_JID, { kind: 'image', data: PNG_1X1, mimeType: 'image/png', caption: 'dot' });
    const peerImage = (await emulator.waitForReceived(PEER, 3)).find((m) => m.id === sentImage.messageId);
    expect(peerImage?.message.imageMessage).toMatchObject({ mimetype: 'image/png', caption: 'dot' });

    expect(await session.getContacts()).toContainEqual({ jid: PEER_JID, pushName: 'Ivan', isGroup: false });

    // Restart from stored credentials: no QR this time.
    await session.stop();
    expect(await events.next('closed')).toMatchObject({ reason: 'stopped' });
    await session.start();
    await events.next('connected');
    expect(events.events.filter((e) => e.type === 'qr')).toHaveLength(1);

    // The network drops; the supervisor's start() brings it back.
    expect(emulator.dropConnection(deviceJid)).toBe(1);
    expect(await events.next('closed')).toMatchObject({ reason: 'connection_lost' });
    await session.start();
    await events.next('connected');

    // Another client takes over.
    expect(emulator.conflict(deviceJid)).toBe(1);
    expect(await events.next('closed')).toMatchObject({ reason: 'conflict', code: 440 });

    // Logout while stopped: the session connects to tell the phone, then wipes its credentials.
    await session.logout();
    await events.next('connected');
    expect(await events.next('closed')).toMatchObject({ reason: 'logged_out', code: 401 });
    expect(emulator.devices(deviceJid)).toEqual([{ jid: deviceJid, removed: true, online: false }]);
    expect(auth.rows.size).toBe(0);
  }, 60_000);

  it('reports a device unlinked from the phone as logged out, and logout() then wipes the stale creds', async () => {
    const auth = memoryAuthStore();
    const events = new EventRecorder();
    const session = newSession(auth, events);
    await session.start();
    const deviceJid = await emulator.scanQr((await events.next('qr')).qr);
    await events.next('closed', (e) => e.reason === 'restart_required');
    await session.start();
    await events.next('connected');

    expect(emulator.logoutDevice(deviceJid)).toBe(1);
    expect(await events.next('closed')).toMatchObject({ reason: 'logged_out', code: 401 });
    // The stored creds now only get a login failure.
    await session.start();
    expect(await events.next('closed')).toMatchObject({ reason: 'logged_out', code: 401 });
    expect(auth.rows.size).toBeGreaterThan(0);
    await session.logout();
    expect(auth.rows.size).toBe(0);
  }, 30_000);

  it('closes with qr_timeout when every QR expired unscanned', async () => {
    const events = new EventRecorder();
    const session = newSession(memoryAuthStore(), events, { qrTimeoutMs: 30 });
    await session.start();
    expect(await events.next('closed')).toMatchObject({ reason: 'qr_timeout', code: 408 });
    expect(events.events.filter((e) => e.type === 'qr')).toHaveLength(6);
  }, 30_000);

  it('asks for a pairing code after the first QR without persisting the unconfirmed account', async () => {
    const auth = memoryAuthStore();
    const events = new EventRecorder();
    const session = newSession(auth, events);
    const code = await session.requestPairingCode('+1 555 123 4567');
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    await session.stop();
    expect(await events.next('closed')).toMatchObject({ reason: 'stopped' });
    const creds = JSON.parse(auth.rows.get('creds/creds') ?? '{}') as { me?: unknown; pairingCode?: string };
    expect(creds.me).toBeUndefined();

    // With no `me` stored, the next start registers again and shows a QR instead of failing login.
    await session.start();
    await events.next('qr');
    await session.stop();
  }, 30_000);
});
