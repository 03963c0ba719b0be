import { ValidationError } from '../core/errors.js';
import type { EventRecord, MessageRecord, Store, UserRecord } from '../store/store.js';
import { EVENT_TYPES } from './event-log.js';
import type { InstancesService } from './instances.service.js';
import { resolveRecipient } from './recipients.js';
import type { SessionManager } from './sessions.js';

export interface ChatHistoryQuery {
  limit: number;
  skip: number;
  startDate?: string;
  endDate?: string;
}

export interface EventsQuery {
  since?: string;
  limit: number;
  /** Comma-separated event types. */
  types?: string;
}

/** An ISO 8601 time (or a date) as epoch ms; anything else is a 400 naming the parameter. */
export function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  const ms = /^\d{4}-\d{2}-\d{2}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ValidationError(`${field} must be an ISO 8601 date or time, e.g. 2023-01-01T12:00:00.000Z`, [{ field, message: 'must be an ISO 8601 date or time' }]);
  }
  return ms;
}

/** Reading what happened: a chat's messages and the instance's event log. */
export class HistoryService {
  constructor(
    private readonly store: Store,
    private readonly instances: InstancesService,
    private readonly sessions: SessionManager,
  ) {}

  /** Newest first. `chatId` is a phone number or any JID, normalized like a recipient; a LID with a known number reads that number's chat. */
  async chatMessages(user: UserRecord, instanceId: string, chatId: string, query: ChatHistoryQuery): Promise<{ items: MessageRecord[]; total: number }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const chat = await resolveRecipient(this.sessions, instance.id, chatId, 'chatId');
    const from = parseTime(query.startDate, 'startDate');
    const to = parseTime(query.endDate, 'endDate');
    if (from !== undefined && to !== undefined && from > to) {
      throw new ValidationError('startDate must not be after endDate', [{ field: 'startDate', message: 'is after endDate' }]);
    }
    return this.store.messages.listChat({ instanceId: instance.id, remoteJid: chat.jid, from, to, limit: query.limit, skip: query.skip });
  }

  /**
   * Events after `since`, oldest first, or the newest `limit` without it. Event times are strictly
   * increasing per instance, so polling with `since = latestTimestamp` sees each event once.
   */
  async events(user: UserRecord, instanceId: string, query: EventsQuery): Promise<{ items: EventRecord[]; hasMore: boolean; since?: number }> {
    const instance = await this.instances.getOwned(user, instanceId);
    const since = parseTime(query.since, 'since');
    const types = query.types
      ?.split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const unknown = types?.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t)) ?? [];
    if (unknown.length) {
      const message = `lists unknown event types (${unknown.join(', ')}); known: ${EVENT_TYPES.join(', ')}`;
      throw new ValidationError(`types ${message}`, [{ field: 'types', message }]);
    }
    const page = await this.store.events.list({ instanceId: instance.id, since, types: types?.length ? types : undefined, limit: query.limit });
    return { ...page, since };
  }
}
