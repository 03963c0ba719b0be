import type { GroupMetadata, GroupOperations, GroupSettings, ParticipantAction, ParticipantStatus } from '../engines/groups.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { normalizeRecipient } from '../core/phone.js';
import type { GroupRecord } from '../store/groups.js';
import type { InstanceRecord, Store, UserRecord } from '../store/store.js';
import { fromEngine } from './engine-call.js';
import type { EventLog } from './event-log.js';
import type { GroupEvents } from './group-events.js';
import type { InstancesService } from './instances.service.js';
import type { MediaFetcher } from './media-fetch.js';
import type { MessagingService } from './messaging.service.js';
import type { SessionManager } from './sessions.js';

/** WhatsApp's cap on a group's members. */
export const MAX_PARTICIPANTS = 1024;
const INVITE_LINK = 'https://chat.whatsapp.com/';
const PICTURE_TYPES = new Set(['image/jpeg', 'image/png']);

export interface ParticipantOutcome {
  phone: string;
  jid: string;
  status: ParticipantStatus;
  /** A `privacy` person was sent the invite link instead (inviteOnPrivacy). */
  invited?: boolean;
}

export interface GroupUpdateInput extends GroupSettings {
  picture?: { url: string } | { base64: string; mimeType: string };
}

export interface Invite {
  code: string;
  link: string;
}

export interface GroupsDeps {
  store: Store;
  events: EventLog;
  instances: InstancesService;
  sessions: SessionManager;
  messaging: MessagingService;
  groupEvents: GroupEvents;
  fetcher: MediaFetcher;
}

/**
 * Group management for an instance's owner: the groups are kept in the store and refreshed from
 * WhatsApp on demand and on every group event; changes go to WhatsApp, whose notifications then
 * update the store and announce the change.
 */
export class GroupsService {
  constructor(private readonly deps: GroupsDeps) {}

  async list(user: UserRecord, instanceId: string, query: { limit: number; skip: number; search?: string; refresh?: boolean }): Promise<{ items: GroupRecord[]; total: number }> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    if (query.refresh) {
      const groups = await this.call(instance, 'WhatsApp did not list the groups', (g) => g.list());
      await this.deps.events.record(instance.id, (tx) => this.deps.groupEvents.storeAll(tx, instance, groups));
    }
    return this.deps.store.groups.list({ instanceId: instance.id, search: query.search || undefined, limit: query.limit, skip: query.skip });
  }

  async create(user: UserRecord, instanceId: string, input: { subject: string; participants: string[]; description?: string }): Promise<{ group: GroupRecord; results: ParticipantOutcome[] }> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const jids = this.phones(input.participants);
    const created = await this.call(instance, 'WhatsApp did not create the group', (g) => g.create(input.subject, jids));
    let metadata = created.group;
    if (input.description) {
      await this.call(instance, 'WhatsApp did not set the description', (g) => g.update(metadata.id, { description: input.description }));
      metadata = { ...metadata, description: input.description };
    }
    const group = await this.remember(instance, metadata);
    return { group, results: created.results.map((r, i) => ({ phone: input.participants[i], jid: r.jid, status: r.status })) };
  }

  /** The stored group; read from WhatsApp when it is not stored yet or `refresh` asks. */
  async get(user: UserRecord, instanceId: string, groupId: string, refresh = false): Promise<GroupRecord> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const jid = groupJid(groupId);
    const stored = refresh ? undefined : await this.deps.store.groups.find(instance.id, jid);
    return stored ?? this.fetch(instance, jid);
  }

  async update(user: UserRecord, instanceId: string, groupId: string, input: GroupUpdateInput): Promise<GroupRecord> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const jid = groupJid(groupId);
    const { picture, ...settings } = input;
    if (picture === undefined && Object.keys(settings).length === 0) {
      throw new ValidationError('Nothing to change: give subject, description, announce, restrict, ephemeralSeconds or picture', [{ message: 'no field to change' }]);
    }
    const image = picture && (await this.picture(picture));
    if (Object.keys(settings).length > 0) await this.call(instance, 'WhatsApp did not change the group', (g) => g.update(jid, settings));
    if (image) await this.call(instance, 'WhatsApp did not take the picture', (g) => g.setPicture(jid, image));
    return this.fetch(instance, jid);
  }

  async participants(user: UserRecord, instanceId: string, groupId: string, input: { action: ParticipantAction; participants: string[]; inviteOnPrivacy?: boolean }): Promise<{ results: ParticipantOutcome[] }> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const jid = groupJid(groupId);
    const jids = this.phones(input.participants);
    const answers = await this.call(instance, `WhatsApp did not ${input.action} the participants`, (g) => g.participants(jid, input.action, jids));
    const results: ParticipantOutcome[] = answers.map((r, i) => ({ phone: input.participants[i], jid: r.jid, status: r.status }));
    const refused = results.filter((r) => r.status === 'privacy');
    if (input.inviteOnPrivacy && refused.length > 0) {
      const invite = await this.invite(user, instanceId, groupId);
      const group = await this.deps.store.groups.find(instance.id, jid);
      const text = `You are invited to join the WhatsApp group${group ? ` "${group.subject}"` : ''}: ${invite.link}`;
      for (const result of refused) {
        await this.deps.messaging.sendRecorded(
          instance,
          Buffer.byteLength(text),
          (session) => session.sendText(result.jid, text),
          (sent) => ({ ...sent, chatJid: result.jid, type: 'text', text, details: { groupInvite: { groupId: jid, code: invite.code } } }),
        );
        result.invited = true;
      }
    }
    return { results };
  }

  async invite(user: UserRecord, instanceId: string, groupId: string): Promise<Invite> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const jid = groupJid(groupId);
    return inviteOf(await this.call(instance, 'WhatsApp did not give the invite code', (g) => g.inviteCode(jid)));
  }

  async revokeInvite(user: UserRecord, instanceId: string, groupId: string): Promise<Invite> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const jid = groupJid(groupId);
    return inviteOf(await this.call(instance, 'WhatsApp did not revoke the invite code', (g) => g.revokeInvite(jid)));
  }

  async preview(user: UserRecord, instanceId: string, code: string): Promise<{ id: string; subject: string; description: string | null; size: number }> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const preview = await this.call(instance, 'WhatsApp did not read the invite', (g) => g.invitePreview(inviteCode(code, 'code')));
    return { id: preview.id, subject: preview.subject, description: preview.description ?? null, size: preview.size };
  }

  async join(user: UserRecord, instanceId: string, input: { code?: string; link?: string }): Promise<GroupRecord> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    if ((input.code === undefined) === (input.link === undefined)) {
      throw new ValidationError('Give exactly one of code or link', [{ field: 'code', message: 'give exactly one of code or link' }]);
    }
    const code = input.code !== undefined ? inviteCode(input.code, 'code') : inviteCode(input.link ?? '', 'link');
    const joined = await this.call(instance, 'WhatsApp did not join the group', (g) => g.join(code));
    return this.fetch(instance, joined);
  }

  async leave(user: UserRecord, instanceId: string, groupId: string): Promise<{ success: true }> {
    const instance = await this.deps.instances.getOwned(user, instanceId);
    const jid = groupJid(groupId);
    await this.call(instance, 'WhatsApp did not let the account leave', (g) => g.leave(jid));
    await this.deps.store.groups.delete(instance.id, jid);
    return { success: true };
  }

  private async fetch(instance: InstanceRecord, jid: string): Promise<GroupRecord> {
    return this.remember(instance, await this.call(instance, 'WhatsApp did not give the group', (g) => g.metadata(jid)));
  }

  private async remember(instance: InstanceRecord, metadata: GroupMetadata): Promise<GroupRecord> {
    await this.deps.events.record(instance.id, (tx) => this.deps.groupEvents.store(tx, instance, metadata));
    const stored = await this.deps.store.groups.find(instance.id, metadata.id);
    if (!stored) throw new NotFoundError(`Group ${metadata.id} not found`);
    return stored;
  }

  private call<T>(instance: InstanceRecord, what: string, op: (groups: GroupOperations) => Promise<T>): Promise<T> {
    const session = this.deps.sessions.connectedSession(instance.id);
    return fromEngine(what, () => op(session.groups));
  }

  /** Participants are people: phone numbers or their JIDs, never groups. */
  private phones(participants: string[]): string[] {
    return participants.map((phone, i) => {
      const field = `participants[${i}]`;
      const recipient = normalizeRecipient(phone, field);
      if (recipient.isGroup) throw new ValidationError(`${field} must be a phone number, not a group`, [{ field, message: 'must be a phone number' }]);
      return recipient.jid;
    });
  }

  private async picture(picture: NonNullable<GroupUpdateInput['picture']>): Promise<{ data: Buffer; mimeType: string }> {
    const fetched = 'url' in picture ? await this.deps.fetcher.fetch(picture.url) : undefined;
    const mimeType = (fetched ? fetched.contentType : 'mimeType' in picture ? picture.mimeType : undefined)?.split(';')[0]?.trim().toLowerCase();
    if (!mimeType || !PICTURE_TYPES.has(mimeType)) {
      throw new ValidationError('picture must be a JPEG or PNG image', [{ field: 'picture', message: `is ${mimeType ?? 'of unknown type'}; allowed: image/jpeg, image/png` }]);
    }
    const data = fetched ? fetched.data : Buffer.from('base64' in picture ? picture.base64 : '', 'base64');
    if (data.length === 0) throw new ValidationError('picture is empty', [{ field: 'picture', message: 'is empty' }]);
    return { data, mimeType };
  }
}

/** `:groupId` is a group JID or its bare id. */
export function groupJid(groupId: string): string {
  const raw = groupId.trim();
  const recipient = normalizeRecipient(raw.includes('@') ? raw : `${raw}@g.us`, 'groupId');
  if (!recipient.isGroup) throw new ValidationError('groupId must be a group JID (…@g.us) or its bare id', [{ field: 'groupId', message: 'is not a group' }]);
  return recipient.jid;
}

/** The code alone, from a code or a `https://chat.whatsapp.com/<code>` link. */
function inviteCode(input: string, field: string): string {
  const code = input.trim().replace(/^(https?:\/\/)?chat\.whatsapp\.com\//i, '');
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(code)) {
    throw new ValidationError(`${field} is not a WhatsApp group invite`, [{ field, message: 'expected an invite code or https://chat.whatsapp.com/<code>' }]);
  }
  return code;
}

function inviteOf(code: string): Invite {
  return { code, link: `${INVITE_LINK}${code}` };
}
