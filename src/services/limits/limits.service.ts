import type { Logger } from '../../core/logger.js';
import { ForbiddenError, LimitExceededError, NotFoundError, QuotaExceededError, ValidationError } from '../../core/errors.js';
import type { EventRecord, InstanceRecord, Store, UserRecord } from '../../store/store.js';
import { LIMIT_NAMES, LIMIT_WINDOWS, type LimitName, type LimitScope, type LimitsRecord, type LimitWindow } from '../../store/usage.js';
import type { Clock } from '../../core/clock.js';
import type { EventLog } from '../event-log.js';
import type { InstancesService } from '../instances.service.js';
import type { SendRelease } from '../messaging.service.js';
import type { StatsService } from '../stats.service.js';
import { limitWindow } from '../usage-windows.js';
import { type ApiCall, apiCallPolicy } from './api-call-policy.js';
import { COUNTER_LIMITS, type CounterLimit } from './counter-limits.js';
import { type LimitHit, LimitNotices } from './notices.js';
import { Reservations } from './reservations.js';
import { type EffectiveLimits, resolveLimits, windowOf } from './resolution.js';

export type LimitValues = Partial<Record<LimitName, number | null>>;

export interface LimitsInput extends LimitValues {
  window?: LimitWindow | null;
}

export interface LimitsView {
  scope: LimitScope;
  /** What this level sets; a limit left out inherits from the level above. */
  limits: Partial<Record<LimitName, number>>;
  window: LimitWindow;
  /** What applies at this level after inheritance. */
  effective: EffectiveLimits;
  updatedAt: string | null;
}

export type WebhookSendDecision = { allowed: true } | { allowed: false; retryAt: number };

/** Instances whose resolved limits are kept; past it they are all resolved afresh. */
const MAX_RESOLVED = 10_000;

/**
 * Usage limits at three levels (default, user, instance; see resolution.ts) and their
 * enforcement. Counter limits apply to each instance's own usage in the window of the level that
 * set them. A check and its reservation run as one admission (see reservations.ts), and a
 * reservation holds its place until the send's event is counted, so ten concurrent sends under a
 * limit of three let exactly three through on one node.
 */
export class LimitsService {
  private readonly reservations: Reservations;
  private readonly notices: LimitNotices;
  /** instanceId → the limits last resolved for it, and the level records they came from. */
  private readonly resolved = new Map<string, { levels: Array<LimitsRecord | undefined>; limits: EffectiveLimits }>();

  constructor(
    private readonly store: Store,
    events: EventLog,
    private readonly stats: StatsService,
    private readonly instances: InstancesService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.reservations = new Reservations(clock);
    this.notices = new LimitNotices(events, clock);
    events.subscribe((event) => this.onCommitted(event));
  }

  async getDefault(): Promise<LimitsView> {
    return this.view('default', '', []);
  }

  async putDefault(input: LimitsInput): Promise<LimitsView> {
    await this.put('default', '', input);
    return this.getDefault();
  }

  /** A user's own limits, for that user or an admin. */
  async getForUser(actor: UserRecord, userId: string): Promise<LimitsView> {
    if (actor.id !== userId && actor.role !== 'admin') throw new ForbiddenError('Admin role required to read another user\'s limits');
    if (!(await this.store.users.findById(userId))) throw new NotFoundError(`User ${userId} not found`);
    return this.view('user', userId, [await this.store.limits.find('default', '')]);
  }

  async putForUser(actor: UserRecord, userId: string, input: LimitsInput): Promise<LimitsView> {
    if (!(await this.store.users.findById(userId))) throw new NotFoundError(`User ${userId} not found`);
    await this.put('user', userId, input);
    return this.getForUser(actor, userId);
  }

  async getForInstance(actor: UserRecord, instanceId: string): Promise<LimitsView> {
    const instance = await this.instances.getOwned(actor, instanceId);
    const [byDefault, byUser] = await Promise.all([this.store.limits.find('default', ''), this.store.limits.find('user', instance.userId)]);
    return this.view('instance', instance.id, [byDefault, byUser]);
  }

  async putForInstance(actor: UserRecord, instanceId: string, input: LimitsInput): Promise<LimitsView> {
    const instance = await this.instances.getOwned(actor, instanceId);
    if (input.maxInstances !== undefined && input.maxInstances !== null) {
      throw new ValidationError('maxInstances is a per-user limit; set it on the user or the default', [{ field: 'maxInstances', message: 'cannot be set on an instance' }]);
    }
    await this.put('instance', instance.id, input);
    return this.getForInstance(actor, instance.id);
  }

  /** For InstancesService.addCreateGuard: refuses a new instance past `maxInstances`. */
  readonly createGuard = async (user: UserRecord): Promise<void> => {
    const limits = resolveLimits([await this.store.limits.find('default', ''), await this.store.limits.find('user', user.id)]);
    const max = limits.maxInstances.value;
    if (max === null) return;
    const count = await this.store.instances.countByUser(user.id);
    if (count >= max) throw new QuotaExceededError(403, 'maxInstances', max, count);
  };

  /** For MessagingService.addSendGuard: size, media and message limits, then a reserved place. */
  readonly sendGuard = (instance: InstanceRecord, send: { kind: 'text' | 'media'; bytes: number }): Promise<SendRelease | void> =>
    this.reservations.admit(instance.id, async () => {
      const limits = await this.effectiveFor(instance);
      const now = this.clock();
      const maxSize = limits.maxMediaSize.value;
      if (send.kind === 'media' && maxSize !== null && send.bytes > maxSize) {
        const day = limitWindow('day', now);
        await this.notices.notify(instance.id, { name: 'maxMediaSize', value: maxSize, usage: send.bytes, window: day, windowName: 'day' }, 'refused', { mediaSize: send.bytes });
        throw new QuotaExceededError(413, 'maxMediaSize', maxSize, send.bytes);
      }
      const counted: CounterLimit[] = send.kind === 'media' ? ['maxMessagesSent', 'maxMediaSent'] : ['maxMessagesSent'];
      for (const name of counted) await this.refuseIfReached(instance, limits, name, now);
      // A send to an instance that is not connected fails right after this guard and would
      // never free its place; reserving one would refuse good sends until it expired.
      if (!this.instances.state(instance).ready) return;
      for (const name of counted) this.reservations.reserve(instance.id, COUNTER_LIMITS[name]);
      // A send WhatsApp refused is never counted: its places go back at once.
      return () => {
        for (const name of counted) this.reservations.release(instance.id, COUNTER_LIMITS[name]);
      };
    });

  /**
   * Counts an API call against the instance if the policy (api-call-policy.ts) says it counts,
   * refusing it first when the policy enforces `maxApiCalls` and it is reached. Only the owner's
   * calls count: an admin managing someone's instance (setting its limits, say) does not spend
   * their quota, and calls on another user's or a missing instance are left to the route's 404.
   */
  async admitApiCall(user: UserRecord, instanceId: string, call: ApiCall): Promise<void> {
    const treatment = apiCallPolicy(call);
    if (treatment === 'exempt') return;
    const instance = await this.store.instances.findById(instanceId);
    if (!instance || instance.userId !== user.id) return;
    const limits = treatment === 'enforce' ? await this.effectiveFor(instance) : undefined;
    // Without a limit there is no race to lose: count and go, no lock, no usage query.
    if (!limits || limits.maxApiCalls.value === null) {
      this.stats.countApiCall(instance);
      return;
    }
    await this.reservations.admit(instance.id, async () => {
      await this.refuseIfReached(instance, await this.effectiveFor(instance), 'maxApiCalls', this.clock());
      this.stats.countApiCall(instance);
    });
  }

  /**
   * For the webhook worker: past `maxWebhookCalls` deliveries wait for the window to reset.
   * The worker has one attempt in flight per instance, so no place needs reserving here.
   */
  readonly webhookSendGuard = async (instance: InstanceRecord): Promise<WebhookSendDecision> => {
    const hit = await this.reached(instance, await this.effectiveFor(instance), 'maxWebhookCalls', this.clock());
    if (!hit) return { allowed: true };
    await this.notices.notify(instance.id, hit, 'delayed');
    return { allowed: false, retryAt: hit.window.end };
  };

  private async refuseIfReached(instance: InstanceRecord, limits: EffectiveLimits, name: CounterLimit, now: number): Promise<void> {
    let hit = await this.reached(instance, limits, name, now);
    const counter = COUNTER_LIMITS[name];
    if (hit && this.reservations.held(instance.id, counter) > 0) {
      // The read may also have counted a send still holding its place (committed, place not yet
      // given back). Before refusing, let the sends in flight finish and look again: a refusal
      // then rests on exact figures. Checks of this instance wait meanwhile; none can reserve.
      await this.reservations.allBack(instance.id, counter);
      hit = await this.reached(instance, limits, name, this.clock());
    }
    if (!hit) return;
    await this.notices.notify(instance.id, hit, 'refused');
    throw new LimitExceededError(name, hit.value, hit.usage, new Date(hit.window.end), new Date(now));
  }

  /** The hit when one more would pass the limit: usage in its window plus places reserved. */
  private async reached(instance: InstanceRecord, limits: EffectiveLimits, name: CounterLimit, now: number): Promise<LimitHit | undefined> {
    const { value, window: windowName } = limits[name];
    if (value === null) return undefined;
    const counter = COUNTER_LIMITS[name];
    const window = limitWindow(windowName, now);
    // Places first, then the database. A send gives its place back only after its count has
    // committed, so a send the read does not see was still holding its place a moment before.
    // The other order missed a send that committed and gave its place back during the read, and
    // let one too many through on PostgreSQL.
    const reserved = this.reservations.held(instance.id, counter);
    const usage = (await this.stats.usageOf(instance.id, window.fromDay, window.toDay))[counter] + reserved;
    return usage + 1 > value ? { name, value, usage, window, windowName } : undefined;
  }

  /** After commit: a counted send frees its place; received messages past their limit are noted. */
  private onCommitted(event: EventRecord): void {
    if (event.type === 'message_sent') {
      this.reservations.release(event.instanceId, 'messagesSent');
      if (event.data.hasMedia === true) this.reservations.release(event.instanceId, 'mediaSent');
    } else if (event.type === 'message_received') {
      this.checkReceived(event.instanceId).catch((error: unknown) => this.logger.warn({ err: error, instanceId: event.instanceId }, 'could not check the received-messages limit'));
    }
  }

  /** Incoming messages are never refused: past `maxMessagesReceived` they are stored and counted, and noted once. */
  private async checkReceived(instanceId: string): Promise<void> {
    const instance = await this.store.instances.findById(instanceId);
    if (!instance) return;
    const limits = await this.effectiveFor(instance);
    const { value, window: windowName } = limits.maxMessagesReceived;
    if (value === null) return;
    const window = limitWindow(windowName, this.clock());
    const usage = (await this.stats.usageOf(instance.id, window.fromDay, window.toDay)).messagesReceived;
    if (usage > value) await this.notices.notify(instance.id, { name: 'maxMessagesReceived', value, usage, window, windowName }, 'stored');
  }

  private async effectiveFor(instance: InstanceRecord): Promise<EffectiveLimits> {
    const levels = await Promise.all([
      this.store.limits.find('default', ''),
      this.store.limits.find('user', instance.userId),
      this.store.limits.find('instance', instance.id),
    ]);
    // The store hands out the same record until its row changes, so unchanged levels resolve the same.
    const last = this.resolved.get(instance.id);
    if (last && last.levels.every((level, i) => level === levels[i])) return last.limits;
    const limits = resolveLimits(levels);
    if (this.resolved.size >= MAX_RESOLVED) this.resolved.clear();
    this.resolved.set(instance.id, { levels, limits });
    return limits;
  }

  private async view(scope: LimitScope, scopeId: string, above: Array<LimitsRecord | undefined>): Promise<LimitsView> {
    const own = await this.store.limits.find(scope, scopeId);
    return {
      scope,
      limits: own ? (own.values as LimitsView['limits']) : {},
      window: own ? windowOf(own) : 'day',
      effective: resolveLimits([...above, own]),
      updatedAt: own ? new Date(own.updatedAt).toISOString() : null,
    };
  }

  /** Replaces the limits of one level; null or absent means inherit. */
  private async put(scope: LimitScope, scopeId: string, input: LimitsInput): Promise<void> {
    const values: Record<string, number> = {};
    for (const name of LIMIT_NAMES) {
      const value = input[name];
      if (value === undefined || value === null) continue;
      if (!Number.isSafeInteger(value) || value < 0) throw new ValidationError(`${name} must be a non-negative integer`, [{ field: name, message: 'must be a non-negative integer' }]);
      values[name] = value;
    }
    const window = input.window ?? undefined;
    if (window !== undefined && !LIMIT_WINDOWS.includes(window)) throw new ValidationError(`window must be one of ${LIMIT_WINDOWS.join(', ')}`, [{ field: 'window', message: 'is invalid' }]);
    await this.store.limits.put({ scope, scopeId, values, window, updatedAt: this.clock() });
  }
}
