import type { LimitWindow } from '../store/usage.js';

/** UTC day arithmetic shared by the stats periods and the limit windows. */

const DAY_MS = 86_400_000;

export const STATS_PERIODS = ['today', 'week', 'month', 'year', 'all'] as const;
export type StatsPeriod = (typeof STATS_PERIODS)[number];

/** `YYYY-MM-DD` of the UTC day holding `ms`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Midnight UTC of a `YYYY-MM-DD` day, as ISO text (the spec's `dailyStats[].date`). */
export function dayStartIso(day: string): string {
  return `${day}T00:00:00.000Z`;
}

/** Days a stats period covers, inclusive: today is one day, week the last 7 days with today, and so on. */
export function periodDays(period: StatsPeriod, now: number): { fromDay?: string; toDay?: string } {
  const span = { today: 1, week: 7, month: 30, year: 365 } as const;
  if (period === 'all') return {};
  return { fromDay: dayOf(now - (span[period] - 1) * DAY_MS), toDay: dayOf(now) };
}

/**
 * The calendar window of a limit holding `now`: the UTC day, the ISO week (Monday to Sunday) or
 * the calendar month. Calendar windows reset at one instant everybody can name (`resetsAt`),
 * unlike rolling ones.
 */
export function limitWindow(window: LimitWindow, now: number): { start: number; end: number; fromDay: string; toDay: string } {
  const date = new Date(now);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  let start = midnight;
  let end = midnight + DAY_MS;
  if (window === 'week') {
    const sinceMonday = (date.getUTCDay() + 6) % 7;
    start = midnight - sinceMonday * DAY_MS;
    end = start + 7 * DAY_MS;
  } else if (window === 'month') {
    start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    end = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  }
  return { start, end, fromDay: dayOf(start), toDay: dayOf(end - 1) };
}
