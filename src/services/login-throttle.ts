import { TooManyRequestsError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';

/** Failed password checks allowed before delays start: for one address on an account, and for the account from anywhere. */
const FREE_FAILURES_PER_ADDRESS = 5;
const FREE_FAILURES_PER_ACCOUNT = 10;
const BASE_DELAY_MS = 1000;
/** The longest wait: the real user never waits more than this after the last wrong guess. */
const MAX_DELAY_MS = 60_000;
/** A failure count with no new failure for this long is forgotten. */
const FORGET_FAILURES_MS = 15 * 60_000;
/** Addresses that signed in to an account are remembered this long. */
const REMEMBER_SIGN_IN_MS = 30 * 24 * 3600_000;
/** Entries per map; the least recently touched go first, so memory stays bounded under any attack. */
const MAX_ENTRIES = 10_000;

interface Failures {
  count: number;
  last: number;
}

/**
 * Per-account backoff for password guesses (login and password change), on top of the per-address
 * rate limit: after repeated failures for one account, each further attempt must wait a delay
 * that doubles with every failure, up to a minute; a correct password resets it. Counted twice:
 * per account and address (an attacker slows only themselves) and per account from anywhere (a
 * guesser with many addresses is slowed too). The account-wide delay does not apply to addresses
 * that signed in to the account before, so an attacker elsewhere cannot lock its user out, and
 * no delay is ever longer than a minute.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();
  private readonly signedIn = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** Throws TooManyRequestsError (with the seconds to wait) while this attempt must wait. */
  check(account: string, address: string): void {
    const now = this.clock();
    const pair = pairKey(account, address);
    const trusted = this.fresh(this.signedIn, pair, now, REMEMBER_SIGN_IN_MS) !== undefined;
    const waitMs = Math.max(
      this.waitMs(pair, FREE_FAILURES_PER_ADDRESS, now),
      trusted ? 0 : this.waitMs(`account\0${account}`, FREE_FAILURES_PER_ACCOUNT, now),
    );
    if (waitMs > 0) {
      throw new TooManyRequestsError(`Too many failed password attempts for this account: try again in ${Math.ceil(waitMs / 1000)} s`, waitMs / 1000);
    }
  }

  failed(account: string, address: string): void {
    const now = this.clock();
    for (const key of [pairKey(account, address), `account\0${account}`]) {
      const count = (this.fresh(this.failures, key, now, FORGET_FAILURES_MS)?.count ?? 0) + 1;
      touch(this.failures, key, { count, last: now });
    }
  }

  succeeded(account: string, address: string): void {
    const pair = pairKey(account, address);
    this.failures.delete(pair);
    this.failures.delete(`account\0${account}`);
    touch(this.signedIn, pair, this.clock());
  }

  private waitMs(key: string, free: number, now: number): number {
    const failures = this.fresh(this.failures, key, now, FORGET_FAILURES_MS);
    if (!failures || failures.count < free) return 0;
    const delay = Math.min(BASE_DELAY_MS * 2 ** (failures.count - free), MAX_DELAY_MS);
    return Math.max(0, failures.last + delay - now);
  }

  /** The entry, unless it is older than `ttlMs` (then it is dropped). */
  private fresh<V extends number | Failures>(map: Map<string, V>, key: string, now: number, ttlMs: number): V | undefined {
    const value = map.get(key);
    if (value === undefined) return undefined;
    const at = typeof value === 'number' ? value : (value as Failures).last;
    if (now - at <= ttlMs) return value;
    map.delete(key);
    return undefined;
  }
}

function pairKey(account: string, address: string): string {
  return `${account}\0${address}`;
}

function touch<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}
