import { proto, type WAMessageKey } from 'baileys';
import { describe, expect, it } from 'vitest';
import { withPhoneAlts } from '../../../src/engines/baileys/lid-keys.js';

const LID = '123456789012345@lid';
const PN = '79001234567@s.whatsapp.net';
/** What Baileys' LID mapping store answers: the mapping it stored, or null. */
const lookup = { getPNForLID: async (lid: string) => (lid.split(':')[0].split('@')[0] === '123456789012345' ? PN : null) };

const keyOf = (key: proto.IMessageKey): WAMessageKey => proto.WebMessageInfo.fromObject({ key }).key as WAMessageKey;

describe('withPhoneAlts', () => {
  it('fills in the phone number WhatsApp left out of a LID-addressed key from the stored mapping', async () => {
    expect(await withPhoneAlts(keyOf({ remoteJid: LID, id: 'A' }), lookup)).toMatchObject({ remoteJid: LID, remoteJidAlt: PN });
    const group = await withPhoneAlts(keyOf({ remoteJid: '120363000000000000@g.us', participant: `123456789012345:3@lid`, id: 'B' }), lookup);
    expect(group).toMatchObject({ participant: '123456789012345:3@lid', participantAlt: PN });
  });

  it('leaves alone a key that names its phone number, is not a LID, or whose LID is unknown', async () => {
    const named = { ...keyOf({ remoteJid: LID, id: 'A' }), remoteJidAlt: '79009999999@s.whatsapp.net' };
    expect(await withPhoneAlts(named, lookup)).toBe(named);
    const pn = keyOf({ remoteJid: PN, id: 'C' });
    expect(await withPhoneAlts(pn, lookup)).toBe(pn);
    const unknown = keyOf({ remoteJid: '999999999999999@lid', id: 'D' });
    expect(await withPhoneAlts(unknown, lookup)).toBe(unknown);
  });
});
