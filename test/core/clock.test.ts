import { describe, expect, it } from 'vitest';
import { iso } from '../../src/core/clock.js';

describe('iso', () => {
  it('writes an instant as UTC ISO 8601 with milliseconds', () => {
    expect(iso(1_700_000_000_123)).toBe('2023-11-14T22:13:20.123Z');
    expect(iso(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('keeps null for an instant that has not happened', () => {
    expect(iso(null)).toBeNull();
  });
});
