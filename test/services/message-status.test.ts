import { describe, expect, it } from 'vitest';
import { MESSAGE_STATUS_ORDER, type MessageStatus } from '../../src/engines/engine.js';
import { EarlyStatuses, KeyedSerializer, statusAdvances, statusesNotAdvancedBy } from '../../src/services/message-status.js';

describe('statusAdvances', () => {
  it('moves only forward, lets failed in from anywhere and ignores repeats', () => {
    expect(statusAdvances('pending', 'sent')).toBe(true);
    expect(statusAdvances('read', 'delivered')).toBe(false);
    expect(statusAdvances('read', 'read')).toBe(false);
    expect(statusAdvances('read', 'played')).toBe(true);
    expect(statusAdvances('delivered', 'failed')).toBe(true);
    expect(statusAdvances('failed', 'failed')).toBe(false);
    expect(statusAdvances('received', 'read')).toBe(true);
  });
});

describe('statusesNotAdvancedBy', () => {
  const scale = Object.keys(MESSAGE_STATUS_ORDER) as MessageStatus[];

  it('lists exactly the stored statuses a receipt does not move forward from', () => {
    for (const next of scale) {
      const unless = statusesNotAdvancedBy(next);
      if (next === 'pending') {
        expect(unless).toBeUndefined();
        continue;
      }
      for (const current of [...scale, 'received']) expect(!unless!.includes(current)).toBe(statusAdvances(current, next));
    }
  });
});

describe('EarlyStatuses', () => {
  it('hands receipts over once, in arrival order', () => {
    const early = new EarlyStatuses(() => 0);
    early.hold('i', 'm', { status: 'sent' });
    early.hold('i', 'm', { status: 'delivered' });
    expect(early.take('i', 'm')).toEqual([{ status: 'sent' }, { status: 'delivered' }]);
    expect(early.take('i', 'm')).toEqual([]);
  });

  it('forgets receipts after their time and beyond its capacity', () => {
    let now = 0;
    const early = new EarlyStatuses(() => now, 1000, 3);
    early.hold('i', 'old', { status: 'read' });
    now = 2000;
    expect(early.take('i', 'old')).toEqual([]);
    for (const id of ['a', 'b', 'c', 'd']) early.hold('i', id, { status: 'read' });
    expect(early.size).toBe(3);
    expect(early.take('i', 'a')).toEqual([]);
    expect(early.take('i', 'd')).toEqual([{ status: 'read' }]);
    now = 10_000;
    early.hold('i', 'e', { status: 'read' });
    expect(early.size).toBe(1);
  });
});

describe('KeyedSerializer', () => {
  it('runs one key at a time in call order, survives failures and lets keys run side by side', async () => {
    const serial = new KeyedSerializer();
    const log: string[] = [];
    const step = (name: string, ms: number, fail = false) => async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
    };
    await Promise.allSettled([serial.run('a', step('a1', 20, true)), serial.run('a', step('a2', 1)), serial.run('b', step('b1', 5))]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });
});
