import type { GroupMetadata as BaileysGroup, WASocket } from 'baileys';
import { describe, expect, it } from 'vitest';
import { BaileysGroups } from '../../../src/engines/baileys/groups.js';

function group(n: number): BaileysGroup {
  return { id: `1203630${String(n).padStart(8, '0')}@g.us`, subject: `Group ${n}`, owner: undefined, participants: [] } as BaileysGroup;
}

/** BaileysGroups over a socket that answers only what these tests ask. */
function groupsOf(all: BaileysGroup[]): BaileysGroups {
  const socket = {
    groupFetchAllParticipating: async () => Object.fromEntries(all.map((g) => [g.id, g])),
    groupMetadata: async (jid: string) => all.find((g) => g.id === jid) ?? group(-1),
  } as unknown as WASocket;
  return new BaileysGroups(() => socket, () => undefined, () => ({}), () => undefined);
}

describe('the Baileys group metadata cache', () => {
  it('lists an account in more groups than the cache holds, keeping the newest', async () => {
    const all = Array.from({ length: 2_050 }, (_, n) => group(n));
    const groups = groupsOf(all);
    expect(await groups.list()).toHaveLength(2_050);
    expect(await groups.cachedGroupMetadata(all[2_049].id)).toBe(all[2_049]);
    expect(await groups.cachedGroupMetadata(all[0].id)).toBeUndefined();
  });

  it('refreshes a group already held when the cache is full', async () => {
    const all = Array.from({ length: 2_000 }, (_, n) => group(n));
    const groups = groupsOf(all);
    await groups.list();
    const renamed = { ...all[5], subject: 'Renamed' };
    all[5] = renamed;
    expect((await groups.metadata(renamed.id)).subject).toBe('Renamed');
    expect(await groups.cachedGroupMetadata(renamed.id)).toBe(renamed);
  });
});
