import { LIMIT_NAMES, LIMIT_WINDOWS, type LimitName, type LimitScope, type LimitsRecord, type LimitWindow } from '../../store/usage.js';

export interface EffectiveLimit {
  /** null: no level sets it, unlimited. */
  value: number | null;
  window: LimitWindow;
  /** The level the value comes from. */
  source: LimitScope | null;
}

export type EffectiveLimits = Record<LimitName, EffectiveLimit>;

/**
 * Resolves each limit from the most specific level that sets it. `levels` run from the least
 * specific (default) to the most (instance); a level with no record sets nothing. A counter
 * limit keeps the window of the level that set it, so a user's monthly quota stays monthly
 * under a default counted by the day.
 */
export function resolveLimits(levels: ReadonlyArray<LimitsRecord | undefined>): EffectiveLimits {
  const out = {} as EffectiveLimits;
  for (const name of LIMIT_NAMES) {
    out[name] = { value: null, window: 'day', source: null };
    for (const level of levels) {
      const value = level?.values[name];
      if (level && typeof value === 'number') out[name] = { value, window: windowOf(level), source: level.scope };
    }
  }
  return out;
}

/** The window of a level's counter limits; absent (or unknown to this version) is a day. */
export function windowOf(record: LimitsRecord): LimitWindow {
  return LIMIT_WINDOWS.includes(record.window as LimitWindow) ? (record.window as LimitWindow) : 'day';
}
