import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { downloadContentFromMessage, getContentType, normalizeMessageContent, type proto } from 'baileys';
import { pino } from 'pino';
import { request } from 'undici';
import { type PeerContent, WhatsAppEmulator } from '../../../emulator/emulator.js';
import { createBaileysEngine, type BaileysEngineOptions } from '../../../src/engines/baileys/index.js';
import { mediaTrust, type MediaTrust } from '../../../src/engines/baileys/media-trust.js';
import { mapMessage } from '../../../src/engines/baileys/message-mapper.js';
import { mapUpdate } from '../../../src/engines/baileys/update-mapper.js';
import type { Engine } from '../../../src/engines/engine.js';
import { memoryAuthStore, type MemoryAuthStore } from '../baileys/memory-auth-store.js';
import type { ChatContent, Device, EngineDriver, PeerView } from './driver.js';
import { EventRecorder } from './event-recorder.js';

/** Their LIDs are the emulator's, known once it made the peers. */
const PEER = { phone: '79001234567', jid: '79001234567@s.whatsapp.net', lid: '', name: 'Ivan' };
const LID_PEER = { phone: '79007654321', jid: '79007654321@s.whatsapp.net', lid: '', name: 'Lida' };
/** Numbers ending in 7777 accept group invites only, on the emulator as on the simulator. */
const INVITES_ONLY = '79001237777';

/**
 * The secret and creator of each poll the peer sent or got, by message id: its phone encrypts its
 * votes with them.
 */
const pollSecrets = new Map<string, { secret: Buffer; creatorJid: string }>();

function peerContent(c: ChatContent): PeerContent {
  if ('text' in c) return { text: c.text, mentions: c.mentions };
  if ('contacts' in c) return { contacts: c.contacts };
  if ('poll' in c) return { poll: { ...c.poll, secret: randomBytes(32) } };
  if ('edit' in c) return { edit: { messageId: c.edit.targetMessageId, text: c.edit.text } };
  if ('delete' in c) return { revoke: { messageId: c.delete.targetMessageId } };
  if ('pollVote' in c) {
    const { targetMessageId, options } = c.pollVote;
    const poll = pollSecrets.get(targetMessageId);
    if (!poll) throw new Error(`the peer knows no poll ${targetMessageId}`);
    return { pollVote: { options, pollMsgId: targetMessageId, pollCreatorJid: poll.creatorJid, voterJid: PEER.jid, secret: poll.secret } };
  }
  if ('location' in c) return { location: c.location };
  if ('contact' in c) return { contact: c.contact };
  if ('reaction' in c) return { reaction: { messageId: c.reaction.targetMessageId, emoji: c.reaction.emoji } };
  if ('reply' in c) return { text: c.reply.text, quotedMessageId: c.reply.quotedMessageId };
  const { kind, data, mimeType: mimetype, caption, fileName } = c.media;
  if (kind === 'voice') return { audio: data, ptt: true, mimetype };
  return kind === 'image' ? { image: data, caption, mimetype } : { document: data, fileName, caption, mimetype };
}

async function download(media: proto.Message.IImageMessage | proto.Message.IDocumentMessage, kind: 'image' | 'document', trust: MediaTrust): Promise<Buffer> {
  // Node's fetch takes undici's `dispatcher`, which the DOM RequestInit type doesn't list.
  const stream = await downloadContentFromMessage(media, kind, { options: { dispatcher: trust.downloadDispatcher } as RequestInit });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The reply and mentions a message carries in its content's contextInfo, as the peer's phone reads them. */
function replyAndMentions(message: proto.IMessage): Pick<PeerView, 'quotedMessageId' | 'mentions'> {
  const content = message[getContentType(message)!];
  const context = typeof content === 'object' && content && 'contextInfo' in content ? content.contextInfo : undefined;
  const view: Pick<PeerView, 'quotedMessageId' | 'mentions'> = {};
  if (context?.stanzaId) view.quotedMessageId = context.stanzaId;
  if (context?.mentionedJid?.length) view.mentions = context.mentionedJid;
  return view;
}

export interface BaileysDriver extends EngineDriver {
  /** The emulator, for Baileys-only tests: faults and what the phone sees. */
  readonly emulator: WhatsAppEmulator;
  /** The device JID (`phone:device@s.whatsapp.net`) the phone gave a linked device. */
  deviceJid(device: Device): string;
  /** A new engine over the same emulator with other options (shorter QR timeouts, ...). */
  engineWith(options: Partial<BaileysEngineOptions>): Engine;
  /** A new device on an engine `engineWith` made. */
  newDeviceOn(on: Engine): Device;
}

/**
 * The real Baileys engine against the WhatsApp emulator on loopback. The emulator plays the
 * server, the account's phone (scans, confirms codes, unlinks, writes from itself) and the peer.
 */
export function baileysDriver(): BaileysDriver {
  let emulator: WhatsAppEmulator;
  let engine: Engine;
  let peerTrust: MediaTrust;
  let mediaCa: string;
  const engines: Engine[] = [];
  let count = 0;
  const deviceJids = new Map<MemoryAuthStore, string>();
  const instanceIds = new Map<Device, string>();
  const open: Device[] = [];

  function deviceFor(instanceId: string, auth: MemoryAuthStore, on = engine): Device {
    const events = new EventRecorder();
    const session = on.createSession({ instanceId, auth, emit: events.emit, handled: events.handled, logger: pino({ level: 'silent' }), getPoll: async (id) => events.poll(id) });
    const device = { session, events, auth };
    instanceIds.set(device, instanceId);
    open.push(device);
    return device;
  }

  const deviceJid = (device: Device) => {
    const jid = deviceJids.get(device.auth);
    if (!jid) throw new Error('the device was never linked');
    return jid;
  };
  const accountJid = (jid: string) => `${jid.split(':')[0]}@s.whatsapp.net`;

  return {
    name: 'baileys',
    capabilities: { keepsCredentialsUnlinkedByPhone: true, reportsPausedAsAvailable: true },
    peer: PEER,
    lidPeer: LID_PEER,
    stranger: '79001230000@s.whatsapp.net',
    invitesOnly: `${INVITES_ONLY}@s.whatsapp.net`,
    // The phone sends its push name through app-state sync; the emulator keeps no patches to hand it back.
    accountName: undefined,
    async setup() {
      emulator = await WhatsAppEmulator.start();
      PEER.lid = emulator.addPeer(PEER.phone, PEER.name).lid;
      LID_PEER.lid = emulator.addPeer(LID_PEER.phone, LID_PEER.name).lid;
      emulator.addPeer(INVITES_ONLY, 'Priya');
      mediaCa = readFileSync(emulator.mediaCaPath, 'utf8');
      peerTrust = mediaTrust(mediaCa);
      engine = this.engineWith({});
    },
    get emulator() {
      return emulator;
    },
    deviceJid,
    engineWith(options) {
      const made = createBaileysEngine({
        logger: pino({ level: 'silent' }),
        browserName: 'Gateway contract',
        websocketUrl: emulator.url,
        emulatorRootKey: emulator.rootPublicKey,
        // Baileys moves media over https:// only: trust the emulator's self-signed media host there.
        mediaCa,
        connectTimeoutMs: 5_000,
        queryTimeoutMs: 5_000,
        ...options,
      });
      engines.push(made);
      return made;
    },
    async teardown() {
      await Promise.all(open.map((d) => d.session.stop()));
      await Promise.all(engines.map((e) => e.close?.()));
      await peerTrust?.close();
      await emulator?.close();
    },
    newDevice(options = {}) {
      // Baileys' qrTimeout is how long each QR code lives.
      const on = options.qrRefreshMs ? this.engineWith({ qrTimeoutMs: options.qrRefreshMs }) : engine;
      return deviceFor(`device-${++count}`, memoryAuthStore(), on);
    },
    newDeviceOn: (on) => deviceFor(`device-${++count}`, memoryAuthStore(), on),
    reopen: (device) => deviceFor(instanceIds.get(device)!, device.auth),
    async scanQr(device, qr) {
      const jid = await emulator.scanQr(qr);
      deviceJids.set(device.auth, jid);
      return accountJid(jid);
    },
    async confirmPairingCode(device, phone, code) {
      const jid = await emulator.confirmPairingCode(phone, code);
      deviceJids.set(device.auth, jid);
      return accountJid(jid);
    },
    async peerSends(_device, c) {
      const content = peerContent(c);
      const id = await emulator.peerSend(PEER.phone, content);
      if ('poll' in content) pollSecrets.set(id, { secret: content.poll.secret, creatorJid: PEER.jid });
      return id;
    },
    lidPeerSends: (_device, text, withPhone) => emulator.peerSend(LID_PEER.phone, { text }, undefined, withPhone ? 'lid' : 'lid-only'),
    phoneSends: (_device, c) => emulator.phoneSend(PEER.phone, peerContent(c)),
    async peerReceived(_device, messageId): Promise<PeerView> {
      let got = emulator.received(PEER.phone).find((m) => m.id === messageId);
      for (let n = 1; !got; n++) got = (await emulator.waitForReceived(PEER.phone, n)).find((m) => m.id === messageId);
      const message = normalizeMessageContent(got.message) ?? {};
      const context = replyAndMentions(message);
      const secret = got.message.messageContextInfo?.messageSecret;
      if (secret?.length) pollSecrets.set(messageId, { secret: Buffer.from(secret), creatorJid: accountJid(got.from) });
      if (message.imageMessage) {
        const { caption, mimetype } = message.imageMessage;
        return { ...context, caption: caption ?? undefined, mimeType: mimetype ?? undefined, data: await download(message.imageMessage, 'image', peerTrust) };
      }
      if (message.documentMessage) {
        const { caption, mimetype, fileName } = message.documentMessage;
        const data = await download(message.documentMessage, 'document', peerTrust);
        return { ...context, caption: caption ?? undefined, mimeType: mimetype ?? undefined, fileName: fileName ?? undefined, data };
      }
      // The gateway's own mapper reads locations, cards and polls as the peer's phone shows them.
      const mapped = mapMessage({ key: { id: got.id, remoteJid: got.from, fromMe: false }, message: got.message }, { download: () => async () => Buffer.alloc(0) });
      return { ...context, text: got.text, location: mapped?.location, contacts: mapped?.contacts, poll: mapped?.poll, forwarded: mapped?.forwarded, kind: mapped?.media?.kind, mimeType: mapped?.media?.mimeType };
    },
    async peerSawRead(_device, messageId) {
      await emulator.waitForSignal(PEER.phone, (s) => s.kind === 'read' && s.messageIds.includes(messageId));
    },
    async peerShowsPresence(_device, state) {
      if ((await emulator.peerPresence(PEER.phone, state)) === 0) throw new Error('no device subscribed to the peer');
    },
    async peerSawPresence(_device, state) {
      await emulator.waitForSignal(PEER.phone, (s) => s.kind === 'presence' && s.state === state);
    },
    async peerGotChange(_device, targetMessageId, kind) {
      for (let n = 1; ; n++) {
        const got = await emulator.waitForReceived(PEER.phone, n);
        // The gateway's own update mapper reads reactions, edits and deletes as the peer's phone does.
        for (const m of got) {
          const mapped = mapUpdate({ key: { id: m.id, remoteJid: accountJid(m.from), fromMe: false }, message: m.message }, PEER.jid);
          if (mapped?.kind === 'update' && mapped.update.targetMessageId === targetMessageId && mapped.update.change.kind === kind) return mapped.update.change;
        }
      }
    },
    peerSendsToGroup: (_device, groupId, c) => emulator.peerGroupSend(PEER.phone, groupId, peerContent(c)),
    async peerActsInGroup(_device, groupId, act) {
      emulator.peerGroupAct(PEER.phone, groupId, act.action === 'update' ? { action: 'update', ...act.changes } : act);
    },
    setPeerProfile: async (profile) => emulator.setPeerProfile(PEER.phone, profile),
    async downloadPicture(url) {
      const response = await request(url, { dispatcher: peerTrust.downloadDispatcher });
      return Buffer.from(await response.body.arrayBuffer());
    },
    accountProfile: async (device) => emulator.accountProfile(deviceJid(device).split(':')[0]),
    async unlinkFromPhone(device) {
      if (emulator.logoutDevice(deviceJid(device)) !== 1) throw new Error('the device was not online to be unlinked');
    },
    async dropConnection(device) {
      if (emulator.dropConnection(deviceJid(device)) !== 1) throw new Error('the device was not online to drop');
    },
    async takeOver(device) {
      if (emulator.conflict(deviceJid(device)) !== 1) throw new Error('the device was not online to take over');
    },
  };
}
