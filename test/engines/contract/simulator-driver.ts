import { createSimulatorEngine, type SimulatorEngine, type SimulatorSession } from '../../../src/engines/simulator/index.js';
import type { ChatContent as SimulatorContent } from '../../../src/engines/simulator/session.js';
import { silentLogger } from '../../support/logger.js';
import { memoryAuthStore, type MemoryAuthStore } from '../baileys/memory-auth-store.js';
import type { ChatContent, Device, EngineDriver, PeerView } from './driver.js';
import { EventRecorder } from './event-recorder.js';
import type { Linked } from './steps.js';

const OPTIONS = { qrRefreshMs: 1_000, autoLinkMs: 0, ackDelayMs: 1, deliveryDelayMs: 5, readDelayMs: 10 };
const PEER = { phone: '79001234567', jid: '79001234567@s.whatsapp.net', lid: '100000000000001@lid', name: 'Ivan' };
const LID_PEER = { phone: '79007654321', jid: '79007654321@s.whatsapp.net', lid: '100000000000002@lid', name: 'Lida' };
const ACCOUNT_NAME = 'Simulated Phone';

function content(c: ChatContent): SimulatorContent {
  if ('text' in c) return { text: c.text, mentions: c.mentions };
  if ('media' in c) return { media: c.media };
  if ('location' in c) return { location: c.location };
  if ('contact' in c) return { contact: c.contact };
  if ('reaction' in c) return { reaction: c.reaction };
  if ('contacts' in c) return { contacts: c.contacts };
  if ('poll' in c) return { poll: c.poll };
  if ('edit' in c) return { edit: c.edit };
  if ('delete' in c) return { delete: c.delete };
  if ('pollVote' in c) return { pollVote: c.pollVote };
  return { text: c.reply.text, quotedMessageId: c.reply.quotedMessageId };
}

/**
 * The in-process simulator. The peer is a second simulator session of the same network, linked
 * as the peer's number, so what we send really reaches another device.
 */
export function simulatorDriver(): EngineDriver {
  let engine: SimulatorEngine;
  let peer: Device;
  let count = 0;
  const instanceIds = new Map<Device, string>();
  const open: Device[] = [];
  const sim = (device: Device) => device.session as SimulatorSession;

  function deviceFor(instanceId: string, auth: MemoryAuthStore, on: SimulatorEngine = engine): Device {
    const events = new EventRecorder();
    const session = on.createSession({ instanceId, auth, emit: events.emit, logger: silentLogger });
    const device = { session, events, auth };
    instanceIds.set(device, instanceId);
    open.push(device);
    return device;
  }

  return {
    name: 'simulator',
    capabilities: { keepsCredentialsUnlinkedByPhone: false, reportsPausedAsAvailable: false },
    peer: PEER,
    lidPeer: LID_PEER,
    stranger: '79001230000@s.whatsapp.net',
    invitesOnly: '79001237777@s.whatsapp.net',
    accountName: ACCOUNT_NAME,
    async setup() {
      engine = createSimulatorEngine(OPTIONS);
      engine.network.assignLid(PEER.phone, PEER.lid);
      peer = deviceFor('peer', memoryAuthStore());
      await peer.session.start();
      await sim(peer).scan(PEER.phone, PEER.name);
      await peer.session.start();
      await peer.events.next('connected');
    },
    async teardown() {
      await Promise.all(open.map((d) => d.session.stop()));
    },
    newDevice(options = {}) {
      const on = options.qrRefreshMs ? createSimulatorEngine({ ...OPTIONS, qrRefreshMs: options.qrRefreshMs }) : engine;
      return deviceFor(`device-${++count}`, memoryAuthStore(), on);
    },
    reopen: (device) => deviceFor(instanceIds.get(device)!, device.auth),
    scanQr: async (device) => (await sim(device).scan(undefined, ACCOUNT_NAME)).jid,
    confirmPairingCode: async (device) => (await sim(device).scan(undefined, ACCOUNT_NAME)).jid,
    peerSends: async (device, c) => sim(device).injectInbound({ from: PEER.phone, pushName: PEER.name, ...content(c) }),
    lidPeerSends: (device, text, withPhone) =>
      sim(device).injectInbound(withPhone ? { from: LID_PEER.phone, lid: LID_PEER.lid, pushName: LID_PEER.name, text } : { from: LID_PEER.lid, pushName: LID_PEER.name, text }),
    phoneSends: async (device, c) => sim(device).injectFromPhone({ to: PEER.phone, ...content(c) }),
    async peerReceived(_device, messageId): Promise<PeerView> {
      const { message } = await peer.events.find('message', (e) => e.message.messageId === messageId);
      return {
        text: message.text,
        caption: message.caption,
        mimeType: message.media?.mimeType,
        fileName: message.media?.fileName,
        data: await message.media?.download(),
        quotedMessageId: message.quotedMessageId,
        mentions: message.mentions,
        location: message.location,
        contacts: message.contacts,
        poll: message.poll,
        forwarded: message.forwarded,
        kind: message.media?.kind,
      };
    },
    async peerSawRead(_device, messageId) {
      await peer.events.find('message_status', (e) => e.messageId === messageId && e.status === 'read');
    },
    async peerShowsPresence(device, state) {
      const inChat = state !== 'available' && state !== 'unavailable';
      await peer.session.sendPresence(state, inChat ? (device as Linked).jid : undefined);
    },
    async peerSawPresence(device, state) {
      const { jid } = device as Linked;
      for (let waited = 0; sim(peer).presences().seen[jid] !== state; waited += 10) {
        if (waited > 5000) throw new Error(`the peer never saw ${jid} ${state}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async peerGotChange(_device, targetMessageId, kind) {
      const { update } = await peer.events.find('message_update', (e) => e.update.targetMessageId === targetMessageId && e.update.change.kind === kind);
      return update.change;
    },
    peerSendsToGroup: async (device, groupId, c) => sim(device).injectInbound({ from: PEER.phone, group: groupId, pushName: PEER.name, ...content(c) }),
    async peerActsInGroup(_device, groupId, act) {
      if (act.action === 'leave') await peer.session.groups.leave(groupId);
      else if (act.action === 'update') await peer.session.groups.update(groupId, act.changes);
      else await peer.session.groups.participants(groupId, act.action, act.participants);
    },
    setPeerProfile: ({ about, picture }) => peer.session.account.updateProfile({ about, picture: { data: picture, mimeType: 'image/png' } }),
    // The simulator has no picture host: its pictures are data: URLs.
    downloadPicture: async (url) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'),
    async accountProfile(device) {
      const { name, about, picture } = sim(device).ownProfile();
      return { name, about, picture: picture?.data };
    },
    unlinkFromPhone: (device) => sim(device).simulateDisconnect('logged_out'),
    dropConnection: (device) => sim(device).simulateDisconnect('connection_lost'),
    takeOver: (device) => sim(device).simulateDisconnect('conflict'),
  };
}
