import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PeerAddressing, PeerContent, PeerGroupAct, PeerPresenceState, WhatsAppEmulator } from './emulator.js';
import { GroupRefusal } from './groups.js';

type Body = Record<string, unknown>;
type Route = (emulator: WhatsAppEmulator, params: string[], body: Body) => Promise<unknown> | unknown;

const str = (v: unknown, name: string): string => {
  if (typeof v !== 'string' || !v) throw new HttpError(400, `"${name}" must be a non-empty string`);
  return v;
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const optional = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const ADDRESSINGS: PeerAddressing[] = ['pn', 'lid', 'lid-only'];
const addressing = (v: unknown): PeerAddressing => {
  if (v === undefined) return 'pn';
  if (!ADDRESSINGS.includes(v as PeerAddressing)) throw new HttpError(400, `addressing must be one of ${ADDRESSINGS.join(', ')}`);
  return v as PeerAddressing;
};

function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new HttpError(400, `"${name}" must be a number`);
  return v;
}

/** One kind of content per body, named by its field: text, imageBase64, documentBase64, audioBase64, location, contact, reaction, edit or revoke. */
function peerContent(body: Body): PeerContent {
  if (typeof body.text === 'string') {
    const mentions = Array.isArray(body.mentions) ? body.mentions.map((m, i) => str(m, `mentions[${i}]`)) : undefined;
    return { text: body.text, quotedMessageId: optional(body.quotedMessageId), mentions };
  }
  if (body.location && typeof body.location === 'object') {
    const { latitude, longitude, name } = body.location as Body;
    return { location: { latitude: num(latitude, 'location.latitude'), longitude: num(longitude, 'location.longitude'), name: optional(name) } };
  }
  if (body.contact && typeof body.contact === 'object') {
    const { name, phone } = body.contact as Body;
    return { contact: { name: str(name, 'contact.name'), phone: str(phone, 'contact.phone') } };
  }
  if (body.reaction && typeof body.reaction === 'object') {
    const { messageId, emoji } = body.reaction as Body;
    return { reaction: { messageId: str(messageId, 'reaction.messageId'), emoji: str(emoji, 'reaction.emoji') } };
  }
  if (body.edit && typeof body.edit === 'object') {
    const { messageId, text } = body.edit as Body;
    return { edit: { messageId: str(messageId, 'edit.messageId'), text: str(text, 'edit.text') } };
  }
  if (body.revoke && typeof body.revoke === 'object') return { revoke: { messageId: str((body.revoke as Body).messageId, 'revoke.messageId') } };
  const caption = optional(body.caption);
  const mimetype = optional(body.mimetype);
  if (typeof body.audioBase64 === 'string') return { audio: Buffer.from(str(body.audioBase64, 'audioBase64'), 'base64'), ptt: body.ptt === true, mimetype };
  if (typeof body.documentBase64 === 'string') {
    return { document: Buffer.from(str(body.documentBase64, 'documentBase64'), 'base64'), fileName: optional(body.fileName), caption, mimetype };
  }
  if (typeof body.imageBase64 !== 'string') {
    throw new HttpError(400, 'give one of "text", "imageBase64", "documentBase64", "audioBase64", "location", "contact", "reaction", "edit" or "revoke"');
  }
  return { image: Buffer.from(str(body.imageBase64, 'imageBase64'), 'base64'), caption, mimetype };
}

const PRESENCE_STATES: readonly PeerPresenceState[] = ['available', 'unavailable', 'composing', 'recording', 'paused'];

function presenceState(v: unknown): PeerPresenceState {
  if (!PRESENCE_STATES.includes(v as PeerPresenceState)) throw new HttpError(400, `"state" must be one of ${PRESENCE_STATES.join(', ')}`);
  return v as PeerPresenceState;
}

const MEMBER_ACTIONS = ['add', 'remove', 'promote', 'demote'] as const;
const strings = (v: unknown, name: string): string[] => {
  if (!Array.isArray(v) || v.length === 0) throw new HttpError(400, `"${name}" must be a non-empty array of strings`);
  return v.map((item, i) => str(item, `${name}[${i}]`));
};
const flag = (v: unknown, name: string): boolean | undefined => {
  if (v !== undefined && typeof v !== 'boolean') throw new HttpError(400, `"${name}" must be true or false`);
  return v;
};

/** `{action, participants?, subject?, description?, announce?, restrict?}`, as the simulator's group events route takes it. */
function groupAct(body: Body): PeerGroupAct {
  const action = body.action;
  if (action === 'leave') return { action };
  if (action === 'update') {
    return { action, subject: optional(body.subject), description: optional(body.description), announce: flag(body.announce, 'announce'), restrict: flag(body.restrict, 'restrict') };
  }
  const member = MEMBER_ACTIONS.find((a) => a === action);
  if (!member) throw new HttpError(400, `"action" must be one of ${[...MEMBER_ACTIONS, 'update', 'leave'].join(', ')}`);
  return { action: member, participants: strings(body.participants, 'participants') };
}

const ROUTES: [string, RegExp, Route][] = [
  ['GET', /^\/$/, (e) => ({ url: e.url, rootPublicKey: e.rootPublicKey, mediaCaPath: e.mediaCaPath, phone: e.defaultPhone, connections: e.connectionCount })],
  ['POST', /^\/peers$/, (e, _, b) => e.addPeer(str(b.phone, 'phone'), typeof b.name === 'string' ? b.name : undefined)],
  ['POST', /^\/scan$/, async (e, _, b) => ({ jid: await e.scanQr(str(b.qr, 'qr'), typeof b.phone === 'string' ? b.phone : undefined) })],
  ['POST', /^\/pairing-code$/, async (e, _, b) => ({ jid: await e.confirmPairingCode(str(b.phone, 'phone'), str(b.code, 'code')) })],
  ['POST', /^\/peers\/([^/]+)\/send$/, async (e, [peer], b) => ({ id: await e.peerSend(peer!, peerContent(b), undefined, addressing(b.addressing)) })],
  ['POST', /^\/phone\/send-to\/([^/]+)$/, async (e, [peer], b) => ({ id: await e.phoneSend(peer!, peerContent(b), optional(b.phone)) })],
  ['POST', /^\/peers\/([^/]+)\/presence$/, async (e, [peer], b) => ({ delivered: await e.peerPresence(peer!, presenceState(b.state), optional(b.phone)) })],
  ['GET', /^\/peers\/([^/]+)\/received$/, (e, [peer]) => e.received(peer!).map(({ id, from, text }) => ({ id, from, text }))],
  ['PUT', /^\/peers\/([^/]+)\/profile$/, (e, [peer], b) => e.setPeerProfile(peer!, { name: optional(b.name), about: optional(b.about), picture: typeof b.pictureBase64 === 'string' ? Buffer.from(b.pictureBase64, 'base64') : undefined })],
  ['GET', /^\/accounts\/([^/]+)\/profile$/, (e, [phone]) => {
    const { picture, ...rest } = e.accountProfile(phone!);
    return { ...rest, pictureBase64: picture?.toString('base64') };
  }],
  ['GET', /^\/accounts\/([^/]+)\/blocklist$/, (e, [phone]) => ({ blocked: e.blocklist(phone!) })],
  ['POST', /^\/groups$/, (e, _, b) => ({ groupId: e.peerCreateGroup(str(b.by, 'by'), str(b.subject, 'subject'), b.participants === undefined ? [] : strings(b.participants, 'participants')) })],
  ['GET', /^\/groups\/([^/]+)$/, (e, [id]) => {
    const group = e.group(id!);
    if (!group) throw new HttpError(404, `no group ${id}`);
    return group;
  }],
  ['POST', /^\/groups\/([^/]+)\/events$/, (e, [id], b) => ({ results: e.peerGroupAct(str(b.by, 'by'), id!, groupAct(b)) })],
  ['GET', /^\/devices\/([^/]+)$/, (e, [jid]) => e.devices(jid!)],
  ['POST', /^\/devices\/([^/]+)\/drop$/, (e, [jid]) => ({ closed: e.dropConnection(jid!) })],
  ['POST', /^\/devices\/([^/]+)\/conflict$/, (e, [jid]) => ({ closed: e.conflict(jid!) })],
  ['POST', /^\/devices\/([^/]+)\/logout$/, (e, [jid]) => ({ closed: e.logoutDevice(jid!) })],
];

async function readBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString());
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
  if (!parsed || typeof parsed !== 'object') throw new HttpError(400, 'body must be a JSON object');
  return parsed as Body;
}

async function handle(emulator: WhatsAppEmulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://control').pathname;
  for (const [method, pattern, route] of ROUTES) {
    const match = pattern.exec(path);
    if (!match || req.method !== method) continue;
    const params = match.slice(1).map(decodeURIComponent);
    const result = await route(emulator, params, await readBody(req));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result ?? {}));
    return;
  }
  throw new HttpError(404, `no route ${req.method} ${path}`);
}

/**
 * A developer's remote control for a running emulator (loopback only): the same operations as
 * the class methods, as JSON over HTTP. Tests call the methods directly.
 */
export async function startControlServer(emulator: WhatsAppEmulator, port: number | string = 0, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    handle(emulator, req, res).catch((err: unknown) => {
      // A member acting without the right is refused, as the simulator's control API refuses it.
      const status = err instanceof HttpError ? err.status : err instanceof GroupRefusal ? 409 : 500;
      const message = err instanceof Error ? err.message : String(err);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: message }));
    });
  });
  // A string is a Unix socket path: reachable from another network namespace.
  if (typeof port === 'string') server.listen(port);
  else server.listen(port, host);
  await once(server, 'listening');
  return server;
}

export function controlUrl(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address}:${port}`;
}
