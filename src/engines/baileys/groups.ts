import NodeCache from '@cacheable/node-cache';
import { isLidUser, jidNormalizedUser, type BaileysEventMap, type GroupMetadata as BaileysGroup, type WASocket } from 'baileys';
import {
  GroupError,
  type GroupEvent,
  type GroupInvitePreview,
  type GroupMetadata,
  type GroupOperations,
  type GroupPicture,
  type GroupRefusal,
  type GroupSettings,
  type ParticipantAction,
  type ParticipantResult,
} from '../groups.js';
import { mapGroupMetadata, mapGroupNotification, mapGroupUpsert, mapParticipantResult, mapParticipantsUpdate } from './group-mapper.js';

/** Enough for an account in many groups; the oldest drop out first once it is full. */
const MAX_CACHED_GROUPS = 2_000;
const CACHE_TTL_SECONDS = 10 * 60;

type GroupEvents = Pick<Partial<BaileysEventMap>, 'groups.upsert' | 'groups.update' | 'group-participants.update' | 'messages.upsert'>;

/**
 * Groups through Baileys' group API. Metadata is cached (Baileys' `cachedGroupMetadata`), so a
 * send to a group does not ask WhatsApp for its members every time; every group notification
 * drops the group's entry, so the next send reads the members again.
 */
export class BaileysGroups implements GroupOperations {
  // No maxKeys: NodeCache refuses (throws) a set when full rather than evicting; remember bounds it.
  private readonly cache = new NodeCache<BaileysGroup>({ stdTTL: CACHE_TTL_SECONDS, useClones: false });

  constructor(
    private readonly socket: () => WASocket,
    private readonly emit: (event: GroupEvent) => void,
    private readonly own: () => { jid?: string; lid?: string },
    private readonly warn: (err: unknown, msg: string) => void,
  ) {}

  /** Empties the cache and stops its sweep timer, which would keep it alive after the session. */
  close(): void {
    this.cache.flushAll();
    this.cache.close();
  }

  /** For the socket config: Baileys reads members from here before it asks WhatsApp. */
  readonly cachedGroupMetadata = async (jid: string): Promise<BaileysGroup | undefined> => this.cache.get(jid);

  async list(): Promise<GroupMetadata[]> {
    const groups = await refused(() => this.socket().groupFetchAllParticipating());
    return Object.values(groups).map((g) => mapGroupMetadata(this.remember(g)));
  }

  async create(subject: string, participants: string[]): Promise<{ group: GroupMetadata; results: ParticipantResult[] }> {
    const sock = this.socket();
    // onWhatsApp takes phone numbers only; a LID is an account on WhatsApp by definition.
    const found = await sock.onWhatsApp(...participants.filter((jid) => !isLidUser(jid)));
    const onWhatsApp = new Set([...participants.filter((jid) => isLidUser(jid)), ...(found ?? []).filter((f) => f.exists).map((f) => jidNormalizedUser(f.jid))]);
    const created = this.remember(await refused(() => sock.groupCreate(subject, participants.filter((jid) => onWhatsApp.has(jid)))));
    const group = mapGroupMetadata(created);
    const members = new Set(group.participants.flatMap((p) => [p.jid, p.lid]));
    // WhatsApp's create answer lists who got in: someone on WhatsApp left out accepts invites only.
    const results = participants.map((jid): ParticipantResult => ({ jid, status: !onWhatsApp.has(jid) ? 'not_on_whatsapp' : members.has(jid) ? 'ok' : 'privacy' }));
    return { group, results };
  }

  async metadata(groupId: string): Promise<GroupMetadata> {
    return mapGroupMetadata(this.remember(await refused(() => this.socket().groupMetadata(groupId))));
  }

  async update(groupId: string, changes: GroupSettings): Promise<void> {
    const sock = this.socket();
    await refused(async () => {
      if (changes.subject !== undefined) await sock.groupUpdateSubject(groupId, changes.subject);
      if (changes.description !== undefined) await sock.groupUpdateDescription(groupId, changes.description || undefined);
      if (changes.announce !== undefined) await sock.groupSettingUpdate(groupId, changes.announce ? 'announcement' : 'not_announcement');
      if (changes.restrict !== undefined) await sock.groupSettingUpdate(groupId, changes.restrict ? 'locked' : 'unlocked');
      if (changes.ephemeralSeconds !== undefined) await sock.groupToggleEphemeral(groupId, changes.ephemeralSeconds);
    });
    this.cache.del(groupId);
  }

  async setPicture(groupId: string, picture: GroupPicture): Promise<void> {
    await refused(() => this.socket().updateProfilePicture(groupId, picture.data));
  }

  async participants(groupId: string, action: ParticipantAction, jids: string[]): Promise<ParticipantResult[]> {
    const answers = await refused(() => this.socket().groupParticipantsUpdate(groupId, jids, action));
    this.cache.del(groupId);
    const byJid = new Map(answers.filter((a) => a.jid).map((a) => [jidNormalizedUser(a.jid), a]));
    // Answers name members by phone JID or LID: by name when it matches, else in the order asked.
    return jids.map((asked, i) => mapParticipantResult(byJid.get(asked) ?? answers[i] ?? { status: 'error', jid: asked }, action, asked));
  }

  async inviteCode(groupId: string): Promise<string> {
    return required(await refused(() => this.socket().groupInviteCode(groupId)), 'WhatsApp answered no invite code');
  }

  async revokeInvite(groupId: string): Promise<string> {
    return required(await refused(() => this.socket().groupRevokeInvite(groupId)), 'WhatsApp answered no new invite code');
  }

  async invitePreview(code: string): Promise<GroupInvitePreview> {
    const group = await refused(() => this.socket().groupGetInviteInfo(code), true);
    const preview: GroupInvitePreview = { id: group.id, subject: group.subject, size: group.size ?? group.participants.length };
    if (group.desc) preview.description = group.desc;
    return preview;
  }

  async join(code: string): Promise<string> {
    return required(await refused(() => this.socket().groupAcceptInvite(code), true), 'WhatsApp answered no group for the invite');
  }

  async leave(groupId: string): Promise<void> {
    await refused(() => this.socket().groupLeave(groupId));
    this.cache.del(groupId);
  }

  /** Maps the group notifications of one Baileys event batch to the port's events. */
  onEvents(events: GroupEvents): void {
    for (const group of events['groups.upsert'] ?? []) this.emit(mapGroupUpsert(this.remember(group)));
    for (const update of events['groups.update'] ?? []) if (update.id) this.cache.del(update.id);
    for (const message of events['messages.upsert']?.messages ?? []) {
      const event = mapGroupNotification(message);
      if (!event) continue;
      this.cache.del(event.groupId);
      this.emit(event);
    }
    const participants = events['group-participants.update'];
    if (!participants) return;
    this.cache.del(participants.id);
    const { event, joinedGroupId } = mapParticipantsUpdate(participants, this.own());
    if (event) this.emit(event);
    if (joinedGroupId) {
      // Being added says only which group: its subject and members come from WhatsApp.
      this.metadata(joinedGroupId).then(
        (group) => this.emit({ kind: 'joined', group, ...(participants.authorPn || participants.author ? { by: participants.authorPn ?? participants.author } : {}) }),
        (err: unknown) => this.warn(err, 'reading the metadata of a group we were added to failed'),
      );
    }
  }

  private remember(group: BaileysGroup): BaileysGroup {
    // Deleted first, so a refreshed group counts as the newest and is the last to be dropped.
    this.cache.del(group.id);
    if (this.cache.getStats().keys >= MAX_CACHED_GROUPS) this.cache.del(this.cache.keys()[0]);
    this.cache.set(group.id, group);
    return group;
  }
}

/** WhatsApp's error codes for group IQs: 401 not an admin, 403 not a member, 404 no such group. */
const REFUSALS: Record<number, GroupRefusal> = { 401: 'not_admin', 403: 'not_member', 404: 'not_found' };
/** For invite codes: 404, 406 and 410 all mean the code leads nowhere. */
const INVITE_REFUSALS = new Set([400, 404, 406, 410]);

async function refused<T>(call: () => Promise<T>, invite = false): Promise<T> {
  try {
    return await call();
  } catch (error) {
    // A refused iq carries WhatsApp's code in `data` (Baileys' assertNodeErrorFree); other failures in the Boom status.
    const boom = error as { data?: unknown; output?: { statusCode?: number } };
    const status = typeof boom.data === 'number' ? boom.data : boom.output?.statusCode;
    const message = error instanceof Error ? error.message : String(error);
    if (status !== undefined && invite && INVITE_REFUSALS.has(status)) throw new GroupError('invalid_invite', `The invite code is not valid: ${message}`);
    const reason = status === undefined ? undefined : REFUSALS[status];
    if (reason) throw new GroupError(reason, message);
    throw error;
  }
}

function required(value: string | undefined, problem: string): string {
  if (!value) throw new Error(problem);
  return value;
}
