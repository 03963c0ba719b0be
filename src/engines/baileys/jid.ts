import { isLidUser, jidNormalizedUser } from 'baileys';

const PN_SERVER = 's.whatsapp.net';

function isPnJid(jid: string | null | undefined): jid is string {
  return !!jid && jid.endsWith(`@${PN_SERVER}`);
}

/**
 * rc14 addresses peers by LID when it knows one and keeps the phone-number JID in the `*Alt`
 * field; the services key chats by phone number, so the PN form wins whenever it is present.
 */
export function preferPhoneJid(jid: string | null | undefined, alt: string | null | undefined): string {
  if (isPnJid(alt) && !isPnJid(jid)) return jidNormalizedUser(alt);
  return jid ? jidNormalizedUser(jid) : '';
}

/** The digits of a JID's user part (`79001234567:3@s.whatsapp.net` → `79001234567`). */
export function phoneDigits(jidOrPhone: string): string {
  const user = jidOrPhone.split('@')[0] ?? '';
  return (user.split(':')[0] ?? '').replace(/\D/g, '');
}

export function phoneToJid(jidOrPhone: string): string {
  return `${phoneDigits(jidOrPhone)}@${PN_SERVER}`;
}

/** Of a JID and its `*Alt`, the one that is a LID, device part dropped; `undefined` when neither is. */
export function lidOf(jid: string | null | undefined, alt: string | null | undefined): string | undefined {
  const lid = [jid, alt].find((j) => !!j && isLidUser(j));
  return lid ? jidNormalizedUser(lid) : undefined;
}
