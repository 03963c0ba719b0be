import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engines/engine.js';
import { createSimulatorEngine, type SimulatorEngine, type SimulatorSession } from '../../../src/engines/simulator/index.js';
import { QR_CODES_PER_ATTEMPT } from '../../../src/engines/simulator/session.js';
import { eventually } from '../../support/app.js';
import { type MemoryAuthStore, memoryAuthStore } from '../baileys/memory-auth-store.js';
import { silentLogger } from '../../support/logger.js';

const OPTIONS = { qrRefreshMs: 20, autoLinkMs: 0, ackDelayMs: 1, deliveryDelayMs: 2, readDelayMs: 3 };

interface Harness {
  session: SimulatorSession;
  events: EngineEvent[];
  auth: MemoryAuthStore;
}

const started: SimulatorSession[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

function harness(engine: SimulatorEngine, instanceId: string, auth: MemoryAuthStore = memoryAuthStore()): Harness {
  const events: EngineEvent[] = [];
  const session = engine.createSession({ instanceId, auth, emit: (e) => events.push(e), logger: silentLogger }) as SimulatorSession;
  started.push(session);
  return { session, events, auth };
}

const types = (events: EngineEvent[]) => events.map((e) => (e.type === 'closed' ? `closed:${e.reason}` : e.type));

async function linked(engine: SimulatorEngine, instanceId: string, phone?: string): Promise<Harness> {
  const h = harness(engine, instanceId);
  await h.session.start();
  await h.session.scan(phone, `Name ${instanceId}`);
  await h.session.start();
  return h;
}

describe('simulator session', () => {
  it('shows WhatsApp-format QR codes, refreshes them and times out after six', async () => {
    const h = harness(createSimulatorEngine(OPTIONS), 'a');
    await h.session.start();
    await eventually(() => h.events.some((e) => e.type === 'closed'), 2000);
    expect(types(h.events)).toEqual([...Array(QR_CODES_PER_ATTEMPT).fill('qr'), 'closed:qr_timeout']);
    const qrs = h.events.flatMap((e) => (e.type === 'qr' ? [e.qr] : []));
    for (const qr of qrs) expect(qr).toMatch(/^2@[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]{44},[A-Za-z0-9+/=]{44},[A-Za-z0-9+/=]{44}$/);
    expect(new Set(qrs).size).toBe(qrs.length);
    // The keys stay, only the ref changes between refreshes.
    expect(new Set(qrs.map((qr) => qr.split(',').slice(1).join(','))).size).toBe(1);
  });

  it('links the number scanned with, stores it as its credentials, and refuses a second scan', async () => {
    const engine = createSimulatorEngine(OPTIONS);
    const h = harness(engine, 'a');
    await h.session.start();
    const { jid } = await h.session.scan('+7 900 111 22 33', 'Alice');
    expect(jid).toBe('79001112233@s.whatsapp.net');
    expect(JSON.parse(h.auth.rows.get('creds/creds') ?? '{}')).toEqual({ me: { id: jid, name: 'Alice' } });

    const again = harness(engine, 'a', h.auth);
    await again.session.start();
    await expect(again.session.scan()).rejects.toThrow(/already linked/);
  });

  it('gives its own ids; a number not on WhatsApp only gets the server ack; sends add contacts', async () => {
    const { session, events } = await linked(createSimulatorEngine(OPTIONS), 'a');
    const sent = await session.sendText('79001234567', 'hi');
    expect(sent.messageId).toMatch(/^3EB0[0-9A-F]{16}$/);
    const lost = await session.sendText('79001230000', 'hello?');
    await eventually(() => events.filter((e) => e.type === 'message_status').length === 4, 2000);
    const statuses = (id: string) => events.flatMap((e) => (e.type === 'message_status' && e.messageId === id ? [e.status] : []));
    expect(statuses(lost.messageId)).toEqual(['sent']);
    expect(await session.account.checkNumbers(['79001230000', 'nonsense'])).toEqual([
      { input: '79001230000', jid: '79001230000@s.whatsapp.net', exists: false },
      { input: 'nonsense', jid: 'nonsense', exists: false },
    ]);
    expect((await session.getContacts()).map((c) => c.jid).sort()).toEqual(['79001230000@s.whatsapp.net', '79001234567@s.whatsapp.net']);
  });

  it('carries messages between two linked sessions of one network', async () => {
    const engine = createSimulatorEngine(OPTIONS);
    const alice = await linked(engine, 'alice', '79000000001');
    const bob = await linked(engine, 'bob', '79000000002');
    await alice.session.sendMedia('79000000002', { kind: 'image', data: Buffer.from('png!'), mimeType: 'image/png', caption: 'look' });
    const received = await eventually(() => bob.events.find((e) => e.type === 'message'), 2000);
    if (received.type !== 'message') throw new Error('unreachable');
    expect(received.message).toMatchObject({ chatJid: '79000000001@s.whatsapp.net', fromMe: false, pushName: 'Name alice', type: 'image', caption: 'look' });
    expect(await received.message.media?.download()).toEqual(Buffer.from('png!'));
    expect((await bob.session.getContacts())[0]).toMatchObject({ jid: '79000000001@s.whatsapp.net', pushName: 'Name alice' });
  });

  it('injects an inbound contact card, learning both the sender and the card as contacts', async () => {
    const { session, events } = await linked(createSimulatorEngine(OPTIONS), 'a');
    const id = await session.injectInbound({ from: '79005550000', pushName: 'Bob', contact: { name: 'Carol', phone: '+7 900 555 11 11' } });
    const message = events.at(-1);
    expect(message).toMatchObject({ type: 'message', message: { messageId: id, type: 'contact', contacts: [{ name: 'Carol', phone: '79005551111' }] } });
    if (message?.type === 'message') expect(message.message.contacts?.[0].vcard).toContain('waid=79005551111');
    expect(events.at(-2)).toEqual({
      type: 'contacts',
      contacts: [
        { jid: '79005550000@s.whatsapp.net', name: undefined, pushName: 'Bob', isGroup: false },
        { jid: '79005551111@s.whatsapp.net', name: 'Carol', pushName: undefined, isGroup: false },
      ],
    });
    expect((await session.getContacts()).map((c) => c.name ?? c.pushName).sort()).toEqual(['Bob', 'Carol']);
    // Nothing new learned, nothing reported.
    await session.injectInbound({ from: '79005550000', pushName: 'Bob', text: 'again' });
    expect(events.filter((e) => e.type === 'contacts')).toHaveLength(1);
    await expect(session.injectInbound({ from: '79005550000' })).rejects.toThrow(/exactly one of text, media, contact, contacts, location, poll, reaction, edit, delete, pollVote/);
    await expect(session.injectInbound({ from: '79005550000', text: 'hi', location: { latitude: 1, longitude: 2 } })).rejects.toThrow(/exactly one/);
  });

  it('simulates a dropped connection whose restarts keep failing', async () => {
    const { session, events } = await linked(createSimulatorEngine(OPTIONS), 'a');
    await session.simulateDisconnect('connection_lost', 2);
    await session.start();
    await session.start();
    expect(types(events).slice(-3)).toEqual(['closed:connection_lost', 'closed:connection_lost', 'closed:connection_lost']);
    await session.start();
    expect(types(events).at(-1)).toBe('connected');
  });

  it('hands out pairing codes split 4-4 the way the phone shows them', async () => {
    const h = harness(createSimulatorEngine(OPTIONS), 'a');
    expect(await h.session.requestPairingCode('79007778899')).toMatch(/^[1-9A-HJ-NP-TV-Z]{4}-[1-9A-HJ-NP-TV-Z]{4}$/);
  });

  it('leaves the network and fires nothing after stop', async () => {
    const engine = createSimulatorEngine({ ...OPTIONS, ackDelayMs: 30, deliveryDelayMs: 30, readDelayMs: 30 });
    const { session, events } = await linked(engine, 'a');
    await session.sendText('79001234567', 'never acked');
    await session.stop();
    expect(engine.network.session('a')).toBeUndefined();
    const count = events.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(events.length).toBe(count);
    expect(types(events).at(-1)).toBe('closed:stopped');
  });
});
