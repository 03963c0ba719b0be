import { describe, expect, it } from 'vitest';
import { resolveLimits } from '../../../src/services/limits/resolution.js';
import { LIMIT_NAMES, type LimitScope, type LimitsRecord } from '../../../src/store/usage.js';

function level(scope: LimitScope, values: Record<string, number>, window?: string): LimitsRecord {
  return { scope, scopeId: scope === 'default' ? '' : `${scope}-1`, values, window, updatedAt: 0 };
}

describe('resolveLimits', () => {
  it('leaves every limit unlimited (null, no source) when no level sets it', () => {
    const limits = resolveLimits([undefined, undefined, undefined]);
    expect(Object.keys(limits).sort()).toEqual([...LIMIT_NAMES].sort());
    for (const name of LIMIT_NAMES) expect(limits[name]).toEqual({ value: null, window: 'day', source: null });
    expect(resolveLimits([])).toEqual(limits);
  });

  it('takes each limit from the most specific level that sets it', () => {
    const limits = resolveLimits([
      level('default', { maxMessagesSent: 1000, maxApiCalls: 100_000, maxWebhookCalls: 50 }),
      level('user', { maxMessagesSent: 50, maxMediaSent: 5 }),
      level('instance', { maxMessagesSent: 7 }),
    ]);
    expect(limits.maxMessagesSent).toEqual({ value: 7, window: 'day', source: 'instance' });
    expect(limits.maxMediaSent).toEqual({ value: 5, window: 'day', source: 'user' });
    expect(limits.maxApiCalls).toEqual({ value: 100_000, window: 'day', source: 'default' });
    expect(limits.maxWebhookCalls).toEqual({ value: 50, window: 'day', source: 'default' });
    expect(limits.maxMessagesReceived).toEqual({ value: null, window: 'day', source: null });
  });

  it('inherits through a missing level, and through a level that leaves the limit out', () => {
    const limits = resolveLimits([level('default', { maxMessagesSent: 10 }), undefined, level('instance', { maxMediaSent: 2 })]);
    expect(limits.maxMessagesSent).toEqual({ value: 10, window: 'day', source: 'default' });
    expect(limits.maxMediaSent).toEqual({ value: 2, window: 'day', source: 'instance' });
  });

  it('treats a null value as not set: the level above still applies', () => {
    const withNull: LimitsRecord = { ...level('user', {}), values: { maxMessagesSent: null } as unknown as Record<string, number> };
    const limits = resolveLimits([level('default', { maxMessagesSent: 10 }), withNull]);
    expect(limits.maxMessagesSent).toEqual({ value: 10, window: 'day', source: 'default' });
  });

  it('keeps a zero: nothing allowed is a limit, not unlimited', () => {
    const limits = resolveLimits([level('default', { maxMessagesSent: 10 }), level('user', { maxMessagesSent: 0 })]);
    expect(limits.maxMessagesSent).toEqual({ value: 0, window: 'day', source: 'user' });
  });

  it('counts each limit in the window of the level that set it', () => {
    const limits = resolveLimits([
      level('default', { maxApiCalls: 100 }),
      level('user', { maxMessagesSent: 50, maxMediaSent: 5 }, 'month'),
      level('instance', { maxMessagesSent: 7 }, 'week'),
    ]);
    expect(limits.maxMessagesSent).toEqual({ value: 7, window: 'week', source: 'instance' });
    expect(limits.maxMediaSent).toEqual({ value: 5, window: 'month', source: 'user' });
    expect(limits.maxApiCalls).toEqual({ value: 100, window: 'day', source: 'default' });
  });

  it('counts by the day when a level names no window, or one it does not know', () => {
    expect(resolveLimits([level('user', { maxMessagesSent: 3 })]).maxMessagesSent.window).toBe('day');
    expect(resolveLimits([level('user', { maxMessagesSent: 3 }, 'hour')]).maxMessagesSent.window).toBe('day');
  });

  it('resolves maxMediaSize and maxInstances like the others', () => {
    const limits = resolveLimits([
      level('default', { maxMediaSize: 5_000_000, maxInstances: 3 }, 'month'),
      level('user', { maxInstances: 10 }),
      level('instance', { maxMediaSize: 100 }),
    ]);
    expect(limits.maxMediaSize).toEqual({ value: 100, window: 'day', source: 'instance' });
    expect(limits.maxInstances).toEqual({ value: 10, window: 'day', source: 'user' });
    expect(resolveLimits([level('default', { maxInstances: 3 })]).maxInstances).toEqual({ value: 3, window: 'day', source: 'default' });
  });

  it('ignores stored values that are not limits', () => {
    const limits = resolveLimits([level('default', { maxSomethingElse: 1, maxMessagesSent: 4 })]);
    expect(Object.keys(limits)).not.toContain('maxSomethingElse');
    expect(limits.maxMessagesSent.value).toBe(4);
  });
});
