import { describe, expect, it } from 'vitest';
import { dayOf, limitWindow, periodDays } from '../../src/services/usage-windows.js';

const at = (iso: string) => Date.parse(iso);

describe('stats periods', () => {
  it('count UTC days back from today, today included', () => {
    const now = at('2030-03-01T00:30:00Z');
    expect(periodDays('today', now)).toEqual({ fromDay: '2030-03-01', toDay: '2030-03-01' });
    expect(periodDays('week', now)).toEqual({ fromDay: '2030-02-23', toDay: '2030-03-01' });
    expect(periodDays('month', now)).toEqual({ fromDay: '2030-01-31', toDay: '2030-03-01' });
    expect(periodDays('year', now)).toEqual({ fromDay: '2029-03-02', toDay: '2030-03-01' });
    expect(periodDays('all', now)).toEqual({});
  });

  it('put a moment on its UTC day whatever the local zone', () => {
    expect(dayOf(at('2030-12-31T23:59:59.999Z'))).toBe('2030-12-31');
    expect(dayOf(at('2031-01-01T00:00:00.000Z'))).toBe('2031-01-01');
  });
});

describe('limit windows', () => {
  it('reset at UTC midnight, on Monday, and on the first of the month', () => {
    const sunday = at('2030-06-16T22:00:00Z');
    expect(limitWindow('day', sunday)).toEqual({ start: at('2030-06-16T00:00:00Z'), end: at('2030-06-17T00:00:00Z'), fromDay: '2030-06-16', toDay: '2030-06-16' });
    expect(limitWindow('week', sunday)).toEqual({ start: at('2030-06-10T00:00:00Z'), end: at('2030-06-17T00:00:00Z'), fromDay: '2030-06-10', toDay: '2030-06-16' });
    expect(limitWindow('week', at('2030-06-17T00:00:00Z')).fromDay).toBe('2030-06-17');
    expect(limitWindow('month', at('2030-02-28T12:00:00Z'))).toEqual({ start: at('2030-02-01T00:00:00Z'), end: at('2030-03-01T00:00:00Z'), fromDay: '2030-02-01', toDay: '2030-02-28' });
    expect(limitWindow('month', at('2030-12-31T23:00:00Z')).end).toBe(at('2031-01-01T00:00:00Z'));
  });
});
