import { ConflictError, ValidationError } from '../core/errors.js';
import type { ActivityRecord, Store, UserRecord } from '../store/store.js';
import type { InstancesService } from './instances.service.js';
import { normalizeRecipient } from '../core/phone.js';
import type { ReconnectOutcome } from './sessions.js';
import type { Supervisor } from './supervisor/supervisor.js';

export type QrAnswer = { qrCode: string } | { generating: true };

export interface ActivityFilter {
  limit: number;
  skip: number;
  /** Comma-separated action names. */
  actions?: string;
  startDate?: string;
  endDate?: string;
}

export interface ReconnectAnswer {
  /** `failed` with reason `engine_error` is a bug of ours, the other failures WhatsApp's side. */
  outcome: ReconnectOutcome['kind'] | 'engine_error';
  success: boolean;
  message: string;
}

/** How long a reconnect request waits for a QR code, a connection or a failure. */
const RECONNECT_WAIT_MS = 10_000;

/** Statuses from which a QR code is on its way. */
const QR_PENDING = new Set(['connecting', 'qr', 'reconnecting']);

/** What a user does with an instance's connection: reconnect, log out, link, read its activity. */
export class LifecycleService {
  constructor(
    private readonly instances: InstancesService,
    private readonly supervisor: Supervisor,
    private readonly store: Store,
  ) {}

  /** Restarts the connection and says truthfully, after at most a few seconds, how it went. */
  async reconnect(user: UserRecord, id: string): Promise<ReconnectAnswer> {
    const outcome = await this.supervisor.reconnect(await this.instances.getOwned(user, id), RECONNECT_WAIT_MS);
    const kind = outcome.kind === 'failed' && outcome.reason === 'engine_error' ? 'engine_error' : outcome.kind;
    return { outcome: kind, success: outcome.kind === 'connected' || outcome.kind === 'qr', message: reconnectMessage(id, outcome) };
  }

  async logout(user: UserRecord, id: string): Promise<void> {
    await this.supervisor.logout(await this.instances.getOwned(user, id));
  }

  async qr(user: UserRecord, id: string): Promise<QrAnswer> {
    const instance = await this.instances.getOwned(user, id);
    const qrCode = this.supervisor.qrCode(id);
    if (qrCode) return { qrCode };
    const { status } = this.supervisor.state(instance);
    if (status === 'connected') throw new ConflictError(`Instance ${id} is already connected; no QR code is needed`);
    if (QR_PENDING.has(status)) return { generating: true };
    throw new ConflictError(`Instance ${id} shows no QR code (status: ${status}); POST /api/instances/${id}/reconnect to get a new one`);
  }

  /** A code to type on the phone (Linked devices → Link with phone number) instead of scanning. */
  async pairingCode(user: UserRecord, id: string, phone: string): Promise<string> {
    const instance = await this.instances.getOwned(user, id);
    const { number } = normalizeRecipient(phone, 'phone');
    const code = (await this.supervisor.pairingCode(instance, number)).replace(/-/g, '');
    return `${code.slice(0, 4)}-${code.slice(4)}`;
  }

  async activity(user: UserRecord, id: string, filter: ActivityFilter): Promise<{ items: ActivityRecord[]; total: number }> {
    const instance = await this.instances.getOwned(user, id);
    const actions = filter.actions
      ?.split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '');
    const from = parseDate(filter.startDate, 'startDate');
    const to = parseDate(filter.endDate, 'endDate');
    if (from !== undefined && to !== undefined && from > to) {
      throw new ValidationError('startDate must not be after endDate', [{ field: 'startDate', message: 'must not be after endDate' }]);
    }
    return this.store.activity.list({ instanceId: instance.id, actions, from, to, limit: filter.limit, skip: filter.skip });
  }
}

function parseDate(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new ValidationError(`${field} must be an ISO 8601 date`, [{ field, message: 'must be an ISO 8601 date, e.g. 2024-01-31T12:00:00Z' }]);
  return ms;
}

function reconnectMessage(id: string, outcome: ReconnectOutcome): string {
  switch (outcome.kind) {
    case 'connected':
    case 'qr':
      return `Instance ${id} reconnected`;
    case 'pending':
      return `Instance ${id} is still connecting after ${RECONNECT_WAIT_MS / 1000} s (status: ${outcome.status}); GET /api/instances/${id}/status shows the outcome`;
    case 'failed': {
      const why = outcome.message ?? outcome.reason;
      if (outcome.reason === 'engine_error') {
        return `Instance ${id} did not reconnect: internal engine error (${why}); the server log has its stack. POST /api/instances/${id}/reconnect tries again`;
      }
      const next = outcome.status === 'reconnecting' ? 'it keeps retrying with backoff' : `status: ${outcome.status}`;
      return `Instance ${id} did not reconnect: ${why} (${outcome.reason}; ${next})`;
    }
  }
}
