import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../../src/engines/baileys/recent-ids.js';

describe('RecentIds', () => {
  it('keeps an id through any number of lookups, so a second echo of our own send is still ours', () => {
    const ids = new RecentIds();
    ids.add('A', true);
    expect(ids.get('A')).toBe(true);
    expect(ids.get('A')).toBe(true);
  });

  it('forgets an id once taken', () => {
    const ids = new RecentIds<string>();
    ids.add('A', 'chat');
    expect(ids.take('A')).toBe('chat');
    expect(ids.take('A')).toBeUndefined();
  });

  it('forgets the oldest ids past its bound', () => {
    const ids = new RecentIds(2);
    ids.add('A', true);
    ids.add('B', true);
    ids.add('C', true);
    expect([ids.get('A'), ids.get('B'), ids.get('C')]).toEqual([undefined, true, true]);
  });
});
