/** The display name and first phone number of a vCard, as WhatsApp's contact cards carry them. */
export function parseVcard(vcard: string): { name?: string; phone?: string } {
  let name: string | undefined;
  let phone: string | undefined;
  for (const rawLine of vcard.split(/\r?\n/)) {
    const line = rawLine.trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const head = line.slice(0, colon).toUpperCase();
    const value = line.slice(colon + 1).trim();
    if (!name && (head === 'FN' || head.startsWith('FN;'))) name = value || undefined;
    if (!phone && (head === 'TEL' || head.startsWith('TEL;') || head.includes('.TEL'))) {
      // WhatsApp puts the account number in `waid=`; the visible value may be formatted or local.
      const waid = /WAID=(\d+)/.exec(head)?.[1];
      phone = waid ?? (value.replace(/[^\d]/g, '') || undefined);
    }
  }
  return { name, phone };
}
