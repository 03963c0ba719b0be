import type { Profile } from '../engines/account.js';
import type { MediaKind, Poll, PresenceState } from '../engines/engine.js';
import { type ChatContent, type ShownPresence, type SimulatedDisconnect, type SimulatorEngine, type SimulatorSession, SimulatorStateError } from '../engines/simulator/index.js';
import { ConflictError, ValidationError } from '../core/errors.js';
import { decodeBase64Media } from './base64-media.js';
import { pictureType } from './profiles.service.js';
import type { UserRecord } from '../store/store.js';
import type { InstancesService } from './instances.service.js';
import { normalizeRecipient } from '../core/phone.js';
import type { MemberAction } from '../engines/simulator/index.js';
import { groupJid } from './groups.service.js';

export interface GroupActionInput {
  by: string;
  action: 'add' | 'remove' | 'promote' | 'demote' | 'update' | 'leave';
  participants?: string[];
  subject?: string;
  description?: string;
  announce?: boolean;
  restrict?: boolean;
}

/** Downloads media by URL under the server's rules (size cap, private-address guard). */
export interface MediaSource {
  fetch(url: string): Promise<{ data: Buffer; contentType?: string }>;
}

export interface InboundInput {
  from: string;
  /** The LID a phone-number `from` writes from. */
  lid?: string;
  /** The sender writes in this group. */
  group?: string;
  pushName?: string;
  text?: string;
  media?: { kind: MediaKind; base64?: string; url?: string; mimeType: string; fileName?: string; caption?: string };
  contact?: Card;
  contacts?: Card[];
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  quotedMessageId?: string;
  poll?: { question: string; options: string[]; multipleAnswers?: boolean };
  mentions?: string[];
  reaction?: { messageId: string; emoji: string };
  edit?: { messageId: string; text: string };
  delete?: { messageId: string };
  pollVote?: { messageId: string; options: string[] };
  presence?: PresenceState;
}

export interface PeerProfileInput {
  name?: string;
  about?: string;
  picture?: { base64: string; mimeType: string };
}

interface Card {
  name: string;
  phone: string;
}

/** What one inbound body may carry: a message of one kind, or one change to an earlier message. */
const KINDS = ['text', 'media', 'contact', 'contacts', 'location', 'poll', 'reaction', 'edit', 'delete', 'pollVote', 'presence'] as const;

/** The simulator's control panel: play the phone that scans, writes and drops the connection. */
export class SimulatorService {
  constructor(
    private readonly instances: InstancesService,
    private readonly engine: SimulatorEngine,
    private readonly options: { maxMediaBytes: number },
    private readonly media?: MediaSource,
  ) {}

  async scan(user: UserRecord, id: string, input: { phone?: string; pushName?: string }): Promise<{ jid: string }> {
    const session = await this.session(user, id);
    const phone = input.phone === undefined ? undefined : phoneNumber(input.phone, 'phone');
    return control(() => session.scan(phone, input.pushName));
  }

  /** Returns the id of the message sent, or nothing for a presence, which is no message. */
  async inbound(user: UserRecord, id: string, input: InboundInput): Promise<string | undefined> {
    const session = await this.session(user, id);
    const { from, lid } = sender(input.from, input.lid);
    const group = input.group === undefined ? undefined : groupJid(input.group);
    const given = KINDS.filter((kind) => input[kind] !== undefined);
    if (given.length !== 1) {
      const problem = given.length === 0 ? `one of ${KINDS.join(', ')} is required` : `give only one of ${given.join(', ')}`;
      throw new ValidationError(problem, [{ field: given[0] ?? 'text', message: problem }]);
    }
    const change = changeOf(input);
    if (change || input.presence) {
      for (const field of ['mentions', 'quotedMessageId'] as const) {
        if (input[field] !== undefined) throw new ValidationError(`${field} goes with a message, not with a change`, [{ field, message: `not allowed with ${given[0]}` }]);
      }
      const { presence } = input;
      if (presence) return control(async () => void session.injectPresence(from, presence));
      return control(async () => session.injectInbound({ from, lid, group, pushName: input.pushName, ...change }));
    }
    if (input.quotedMessageId !== undefined && input.text === undefined) {
      throw new ValidationError('quotedMessageId goes with text', [{ field: 'quotedMessageId', message: 'needs text' }]);
    }
    const cards = input.contacts ?? (input.contact ? [input.contact] : undefined);
    const field = input.contacts ? 'contacts' : 'contact';
    const contacts = cards?.map((c, i) => ({ name: c.name, phone: phoneNumber(c.phone, input.contacts ? `${field}[${i}].phone` : `${field}.phone`) }));
    const poll: Poll | undefined = input.poll && { ...input.poll, multipleAnswers: input.poll.multipleAnswers ?? false };
    if (poll && new Set(poll.options).size !== poll.options.length) throw new ValidationError('poll options must differ', [{ field: 'poll.options', message: 'must not repeat an option' }]);
    const mentions = input.mentions?.map((m, i) => normalizeRecipient(m, `mentions[${i}]`).jid);
    const media = input.media && { ...input.media, data: await this.mediaBytes(input.media) };
    const { text, quotedMessageId, location } = input;
    return control(async () => session.injectInbound({ from, lid, group, pushName: input.pushName, text, quotedMessageId, media, contacts, location, poll, mentions }));
  }

  /** A virtual member creates a group with the instance in it (and the other members named). */
  async createGroup(user: UserRecord, id: string, input: { by: string; subject: string; participants?: string[] }): Promise<{ groupId: string }> {
    const session = await this.session(user, id);
    const by = memberJid(input.by, 'by');
    const members = (input.participants ?? []).map((p, i) => memberJid(p, `participants[${i}]`));
    return { groupId: await control(async () => session.groups.createBy(by, input.subject, members)) };
  }

  /** A virtual member acts in a group: changes its members or settings, or leaves it. */
  async groupAction(user: UserRecord, id: string, groupId: string, input: GroupActionInput): Promise<{ results: Array<{ jid: string; status: string }> }> {
    const session = await this.session(user, id);
    const by = memberJid(input.by, 'by');
    const group = groupJid(groupId);
    const act = memberAction(input);
    return { results: await control(async () => session.groups.actAs(by, group, act)) };
  }

  async disconnect(user: UserRecord, id: string, reason: SimulatedDisconnect, failReconnects = 0): Promise<void> {
    const session = await this.session(user, id);
    await control(() => session.simulateDisconnect(reason, failReconnects));
  }

  /**
   * The presence each peer last showed this instance's virtual phone (typing, online, ...), by
   * JID, and what the instance showed: to everyone, and in each chat, virtual peers' included.
   */
  async presences(user: UserRecord, id: string): Promise<{ presences: Record<string, string>; shown: ShownPresence }> {
    const { seen, shown } = (await this.session(user, id)).presences();
    return { presences: seen, shown };
  }

  /** What a virtual phone shows every simulator account of the network; answers it as the instance sees it. */
  async setPeerProfile(user: UserRecord, id: string, phone: string, input: PeerProfileInput): Promise<Profile> {
    const session = await this.session(user, id);
    const jid = `${phoneNumber(phone, 'phone')}@s.whatsapp.net`;
    const picture = input.picture && {
      mimeType: pictureType(input.picture.mimeType, 'picture.mimeType'),
      data: decodeBase64Media(input.picture.base64, 'picture.base64', this.options.maxMediaBytes),
    };
    this.engine.network.setPeerProfile(jid, { name: input.name, about: input.about, picture });
    return control(() => session.account.getProfile(jid));
  }

  private async session(user: UserRecord, id: string): Promise<SimulatorSession> {
    const instance = await this.instances.getOwned(user, id);
    if (instance.engine !== 'simulator') {
      throw new ConflictError(`Instance ${id} runs on the ${instance.engine} engine; simulator controls work only on simulator instances`);
    }
    const session = this.engine.network.session(id);
    if (!session) {
      const { status } = this.instances.state(instance);
      throw new ConflictError(`Instance ${id} has no running session (status: ${status}); POST /api/instances/${id}/reconnect first`);
    }
    return session;
  }

  private async mediaBytes(media: NonNullable<InboundInput['media']>): Promise<Buffer> {
    if ((media.base64 === undefined) === (media.url === undefined)) {
      throw new ValidationError('media needs exactly one of base64 or url', [{ field: 'media.base64', message: 'give exactly one of base64 or url' }]);
    }
    if (media.url !== undefined) {
      if (!this.media) throw new ValidationError('media.url is not supported on this server; send base64', [{ field: 'media.url', message: 'not supported' }]);
      return (await this.media.fetch(media.url)).data;
    }
    return decodeBase64Media(media.base64 ?? '', 'media.base64', this.options.maxMediaBytes);
  }
}

/** The HTTP body names the changed message `messageId`, as history shows it. */
function changeOf(input: InboundInput): Partial<Pick<ChatContent, 'reaction' | 'edit' | 'delete' | 'pollVote'>> | undefined {
  if (input.reaction) return { reaction: { targetMessageId: input.reaction.messageId, emoji: input.reaction.emoji } };
  if (input.edit) return { edit: { targetMessageId: input.edit.messageId, text: input.edit.text } };
  if (input.delete) return { delete: { targetMessageId: input.delete.messageId } };
  if (input.pollVote) return { pollVote: { targetMessageId: input.pollVote.messageId, options: input.pollVote.options } };
  return undefined;
}

/** A virtual sender: a phone number, optionally writing from its LID, or a bare LID. */
function sender(from: string, lid: string | undefined): { from: string; lid?: string } {
  const recipient = normalizeRecipient(from, 'from');
  const isLid = recipient.jid.endsWith('@lid');
  if (recipient.isGroup) throw new ValidationError('from must be a phone number or a LID', [{ field: 'from', message: 'must be a phone number or a LID' }]);
  if (lid === undefined) return { from: isLid ? recipient.jid : recipient.number };
  if (isLid) throw new ValidationError('lid goes with a phone-number from; from is already a LID', [{ field: 'lid', message: 'not allowed when from is a LID' }]);
  const given = normalizeRecipient(lid, 'lid');
  if (!given.jid.endsWith('@lid')) throw new ValidationError('lid must be a LID (digits@lid)', [{ field: 'lid', message: 'must be a LID (digits@lid)' }]);
  return { from: recipient.number, lid: given.jid };
}

function memberJid(input: string, field: string): string {
  return `${phoneNumber(input, field)}@s.whatsapp.net`;
}

function memberAction(input: GroupActionInput): MemberAction {
  if (input.action === 'leave' || input.action === 'update') {
    if (input.participants !== undefined) throw new ValidationError(`participants go with add, remove, promote or demote, not ${input.action}`, [{ field: 'participants', message: `not allowed with ${input.action}` }]);
  }
  if (input.action === 'leave') return { action: 'leave' };
  if (input.action === 'update') {
    const { subject, description, announce, restrict } = input;
    const changes = Object.fromEntries(Object.entries({ subject, description, announce, restrict }).filter(([, v]) => v !== undefined));
    if (Object.keys(changes).length === 0) throw new ValidationError('update needs subject, description, announce or restrict', [{ field: 'subject', message: 'nothing to change' }]);
    return { action: 'update', changes };
  }
  if (!input.participants) throw new ValidationError(`${input.action} needs participants`, [{ field: 'participants', message: 'is required' }]);
  return { action: input.action, participants: input.participants.map((p, i) => memberJid(p, `participants[${i}]`)) };
}

function phoneNumber(input: string, field: string): string {
  const recipient = normalizeRecipient(input, field);
  if (recipient.isGroup || recipient.jid.endsWith('@lid')) throw new ValidationError(`${field} must be a phone number`, [{ field, message: 'must be a phone number' }]);
  return recipient.number;
}

async function control<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof SimulatorStateError) throw new ConflictError(err.message);
    throw err;
  }
}
