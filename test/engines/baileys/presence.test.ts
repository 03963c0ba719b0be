import { describe, expect, it } from 'vitest';
import { mapPresence } from '../../../src/engines/baileys/presence.js';

/* Baileys' presence.update, as its socket emits it for <chatstate> and <presence> stanzas. */
describe('mapPresence', () => {
  const peer = '79001230001@s.whatsapp.net';

  it('gives one presence per participant, with the chat and last seen', () => {
    expect(mapPresence({ id: peer, presences: { [peer]: { lastKnownPresence: 'composing' } } })).toEqual([{ chatJid: peer, fromJid: peer, state: 'composing' }]);
    expect(mapPresence({ id: peer, presences: { [peer]: { lastKnownPresence: 'unavailable', lastSeen: 1_770_000_000 } } })).toEqual([
      { chatJid: peer, fromJid: peer, state: 'unavailable', lastSeen: 1_770_000_000 },
    ]);
    const group = '120363000000000001@g.us';
    const member = '79001230002@s.whatsapp.net';
    expect(mapPresence({ id: group, presences: { [member]: { lastKnownPresence: 'recording' } } })).toEqual([{ chatJid: group, fromJid: member, state: 'recording' }]);
  });

  it('normalizes device JIDs and leaves out states it does not know', () => {
    expect(mapPresence({ id: '79001230001:3@s.whatsapp.net', presences: { '79001230001:3@s.whatsapp.net': { lastKnownPresence: 'available' } } })).toEqual([
      { chatJid: peer, fromJid: peer, state: 'available' },
    ]);
    expect(mapPresence({ id: peer, presences: { [peer]: { lastKnownPresence: 'dancing' as never } } })).toEqual([]);
  });
});
