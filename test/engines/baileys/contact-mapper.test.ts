import { describe, expect, it } from 'vitest';
import { mapContacts } from '../../../src/engines/baileys/contact-mapper.js';

describe('mapContacts', () => {
  it('maps saved names, push names and groups, preferring phone-number JIDs', () => {
    expect(
      mapContacts([
        { id: '79001234567@s.whatsapp.net', name: 'Ivan', notify: 'Vanya' },
        { id: '123456@lid', phoneNumber: '79005556677@s.whatsapp.net', notify: 'Anna' },
        { id: '120363000000000000@g.us', name: 'Team' },
        { notify: 'no id' },
      ]),
    ).toEqual([
      { jid: '79001234567@s.whatsapp.net', name: 'Ivan', pushName: 'Vanya', isGroup: false },
      { jid: '79005556677@s.whatsapp.net', lid: '123456@lid', pushName: 'Anna', isGroup: false },
      { jid: '120363000000000000@g.us', name: 'Team', isGroup: true },
    ]);
  });
});
