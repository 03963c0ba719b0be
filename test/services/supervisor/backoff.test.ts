import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/services/supervisor/backoff.js';

const policy = { baseDelayMs: 1000, maxDelayMs: 60_000 };

describe('backoffDelay', () => {
  it('doubles the window with each attempt up to the cap', () => {
    const ceiling = (attempt: number) => backoffDelay(attempt, policy, () => 0.999_999) + 1;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(ceiling)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(ceiling(10_000)).toBe(60_000);
  });

  it('picks anywhere in the window (full jitter)', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(2000);
  });
});
