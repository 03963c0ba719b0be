/** A contact card to send, as the API takes it. */
export interface CardInput {
  name: string;
  /** International digits. */
  phone: string;
  organization?: string;
  email?: string;
}

/** vCard 3.0 text values escape backslashes, commas, semicolons and line breaks. */
function escape(value: string): string {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/**
 * The vCard WhatsApp's own cards carry: `waid` names the account, so the recipient's phone offers
 * "Message" and "Add contact" for it.
 */
export function vcardOf(card: CardInput): string {
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${escape(card.name)}`];
  if (card.organization) lines.push(`ORG:${escape(card.organization)}`);
  lines.push(`TEL;type=CELL;waid=${card.phone}:+${card.phone}`);
  if (card.email) lines.push(`EMAIL:${escape(card.email)}`);
  lines.push('END:VCARD');
  return lines.join('\n');
}
