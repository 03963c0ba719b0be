import { afterEach, describe, expect, it, vi } from 'vitest';
import { PLACES_WAIT_MS, RESERVATION_TTL_MS, Reservations } from '../../../src/services/limits/reservations.js';

/** Lets every pending promise callback run, as a database read would between check and reserve. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Reservations', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets exactly three of ten concurrent reservations through under a limit of three', async () => {
    const ledger = new Reservations(() => 0);
    const storedUsage = async () => {
      await turn();
      return 0;
    };
    const tryOne = () =>
      ledger.admit('inst', async () => {
        // As the limits service checks: places held, then the stored usage (an await), then the
        // reservation. Without admissions running one at a time all ten would see none held.
        const held = ledger.held('inst', 'messagesSent');
        const stored = await storedUsage();
        if (stored + held + 1 > 3) return false;
        ledger.reserve('inst', 'messagesSent');
        return true;
      });
    const admitted = await Promise.all(Array.from({ length: 10 }, tryOne));
    expect(admitted.filter(Boolean)).toHaveLength(3);
    expect(ledger.held('inst', 'messagesSent')).toBe(3);
  });

  it('runs admissions of one instance in order, past a failing one, and of different instances side by side', async () => {
    const ledger = new Reservations(() => 0);
    const order: string[] = [];
    let releaseA!: () => void;
    const a = ledger.admit('one', async () => {
      await new Promise<void>((resolve) => (releaseA = resolve));
      order.push('a');
      throw new Error('refused');
    });
    const b = ledger.admit('one', async () => {
      order.push('b');
      return 'b';
    });
    const other = await ledger.admit('two', async () => {
      order.push('other');
      return 'other';
    });
    expect(other).toBe('other');
    expect(order).toEqual(['other']);
    releaseA();
    await expect(a).rejects.toThrow('refused');
    expect(await b).toBe('b');
    expect(order).toEqual(['other', 'a', 'b']);
  });

  it('holds places per instance and counter, and gives back one per release', () => {
    const ledger = new Reservations(() => 0);
    ledger.reserve('inst', 'messagesSent');
    ledger.reserve('inst', 'messagesSent');
    ledger.reserve('inst', 'mediaSent');
    expect(ledger.held('inst', 'messagesSent')).toBe(2);
    expect(ledger.held('inst', 'mediaSent')).toBe(1);
    expect(ledger.held('other', 'messagesSent')).toBe(0);
    ledger.release('inst', 'messagesSent');
    expect(ledger.held('inst', 'messagesSent')).toBe(1);
    ledger.release('inst', 'messagesSent');
    ledger.release('inst', 'messagesSent');
    expect(ledger.held('inst', 'messagesSent')).toBe(0);
    expect(ledger.held('inst', 'mediaSent')).toBe(1);
  });

  it('lets a place expire RESERVATION_TTL_MS after it was taken', () => {
    let now = 1_000_000;
    const ledger = new Reservations(() => now);
    ledger.reserve('inst', 'messagesSent');
    now += 1000;
    ledger.reserve('inst', 'messagesSent');
    now += RESERVATION_TTL_MS - 1001;
    expect(ledger.held('inst', 'messagesSent')).toBe(2);
    now += 1;
    expect(ledger.held('inst', 'messagesSent')).toBe(1);
    now += 1000;
    expect(ledger.held('inst', 'messagesSent')).toBe(0);
  });

  it('wakes a wait for the places once the last one is given back, not before', async () => {
    const ledger = new Reservations(() => 0);
    ledger.reserve('inst', 'messagesSent');
    ledger.reserve('inst', 'messagesSent');
    let back = false;
    const waiting = ledger.allBack('inst', 'messagesSent').then(() => (back = true));
    ledger.release('inst', 'messagesSent');
    await turn();
    expect(back).toBe(false);
    ledger.release('inst', 'messagesSent');
    await waiting;
    expect(back).toBe(true);
  });

  it('wakes a wait for the places when the last one expires', async () => {
    let now = 0;
    const ledger = new Reservations(() => now);
    ledger.reserve('inst', 'messagesSent');
    const waiting = ledger.allBack('inst', 'messagesSent');
    now += RESERVATION_TTL_MS;
    expect(ledger.held('inst', 'messagesSent')).toBe(0);
    await waiting;
  });

  it('gives up waiting for the places after PLACES_WAIT_MS', async () => {
    vi.useFakeTimers();
    const ledger = new Reservations(() => 0);
    ledger.reserve('inst', 'messagesSent');
    let back = false;
    const waiting = ledger.allBack('inst', 'messagesSent').then(() => (back = true));
    await vi.advanceTimersByTimeAsync(PLACES_WAIT_MS - 1);
    expect(back).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(back).toBe(true);
    expect(ledger.held('inst', 'messagesSent')).toBe(1);
  });
});
