import type { GroupEvent, GroupMetadata } from '../engines/groups.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { InstanceRecord, Repositories } from '../store/store.js';
import type { EventLog } from './event-log.js';
import { applyGroupEvent, groupEventPayload, groupRecord } from './group-records.js';
import type { SessionManager } from './sessions.js';

/**
 * Applies what an engine reports about groups: the stored group changes the way the group did,
 * in the same transaction as the event that announces it (`group_joined`, `group_left`,
 * `group_participants`, `group_updated`).
 */
export class GroupEvents {
  constructor(
    private readonly events: EventLog,
    private readonly sessions: SessionManager,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async onEvent(instance: InstanceRecord, event: GroupEvent): Promise<void> {
    const now = this.clock();
    const [type, data] = groupEventPayload(event);
    const known = await this.events.record(instance.id, async (tx, emit) => {
      const stored = await this.apply(tx, instance, event, now);
      await emit(type, data);
      return stored;
    });
    // A change to a group stored before this gateway knew it: read the whole group once.
    if (!known && (event.kind === 'participants' || event.kind === 'updated')) this.refresh(instance, event.groupId);
  }

  /** Stores a group we just read from WhatsApp (an API call's answer). */
  async store(tx: Repositories, instance: InstanceRecord, metadata: GroupMetadata): Promise<void> {
    const now = this.clock();
    await tx.groups.upsert(groupRecord(instance.id, metadata, instance.phoneJid, now));
    await tx.contacts.upsert(instance.id, metadata.id, { name: metadata.subject, isGroup: true }, now);
  }

  /** Makes the stored groups exactly these: the account's groups as WhatsApp just listed them. */
  async storeAll(tx: Repositories, instance: InstanceRecord, groups: GroupMetadata[]): Promise<void> {
    const now = this.clock();
    await tx.groups.replaceAll(instance.id, groups.map((g) => groupRecord(instance.id, g, instance.phoneJid, now)));
    for (const group of groups) await tx.contacts.upsert(instance.id, group.id, { name: group.subject, isGroup: true }, now);
  }

  /** False when the event changes a group that is not stored. */
  private async apply(tx: Repositories, instance: InstanceRecord, event: GroupEvent, now: number): Promise<boolean> {
    switch (event.kind) {
      case 'joined':
        await this.store(tx, instance, event.group);
        return true;
      case 'left':
        await tx.groups.delete(instance.id, event.groupId);
        return true;
      default: {
        const stored = await tx.groups.find(instance.id, event.groupId);
        if (!stored) return false;
        const next = applyGroupEvent(stored, event, instance.phoneJid, now);
        await tx.groups.upsert(next);
        if (event.kind === 'updated' && event.changes.subject !== undefined) await tx.contacts.upsert(instance.id, next.groupJid, { name: next.subject, isGroup: true }, now);
        return true;
      }
    }
  }

  private refresh(instance: InstanceRecord, groupId: string): void {
    void (async () => {
      const metadata = await this.sessions.connectedSession(instance.id).groups.metadata(groupId);
      await this.events.record(instance.id, (tx) => this.store(tx, instance, metadata));
    })().catch((err: unknown) => this.logger.warn({ err, instanceId: instance.id, groupId }, 'reading a changed group from WhatsApp failed'));
  }
}
