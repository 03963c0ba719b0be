import { isLidUser, type WAMessageKey } from 'baileys';

/** Baileys' LID mapping store (`signalRepository.lidMapping`), kept in the auth key store. */
export interface PhoneLookup {
  getPNForLID(lid: string): Promise<string | null>;
}

/**
 * A LID-addressed key with the phone-number JIDs WhatsApp left out filled in from the mappings
 * Baileys stored. WhatsApp sends a peer's phone number (`sender_pn`) only now and then; Baileys
 * keeps what it was told with the credentials, so a peer stays known by its number after that
 * and after a restart. The key is returned unchanged when nothing was missing or known.
 */
export async function withPhoneAlts(key: WAMessageKey, lookup: PhoneLookup): Promise<WAMessageKey> {
  const missing = async (jid: string | null | undefined, alt: string | null | undefined) =>
    jid && isLidUser(jid) && !alt ? ((await lookup.getPNForLID(jid)) ?? undefined) : undefined;
  const remoteJidAlt = await missing(key.remoteJid, key.remoteJidAlt);
  const participantAlt = await missing(key.participant, key.participantAlt);
  if (!remoteJidAlt && !participantAlt) return key;
  return { ...key, ...(remoteJidAlt ? { remoteJidAlt } : {}), ...(participantAlt ? { participantAlt } : {}) };
}
