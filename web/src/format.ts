/**
 * The API's values in the words and forms people read: numbers not JIDs, local times not UTC
 * ISO strings, statuses that say what to do next.
 */

/** Times in the browser's own time zone and locale. */
export const formatDate = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

/** A message's time: the clock alone for today, the date too for older ones. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : date.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

/**
 * ITU country codes by their first digits: 1 and 7 are one digit, these two-digit prefixes
 * start a three-digit code, every other code is two digits.
 */
const THREE_DIGIT = /^(21|22|23|24|25|26|29|35|37|38|42|50|59|67|68|69|80|85|87|88|96|97|99)/;

/**
 * `79001234567@s.whatsapp.net` → `+7 900 123 4567`. A group or any other JID is returned as
 * it is: it has no number to show.
 */
export function formatPhone(jidOrNumber: string | null | undefined): string {
  if (!jidOrNumber) return '—';
  const match = /^\+?(\d{6,15})(?::\d+)?(?:@s\.whatsapp\.net)?$/.exec(jidOrNumber);
  if (!match) return jidOrNumber;
  const digits = match[1];
  const ccLength = /^[17]/.test(digits) ? 1 : THREE_DIGIT.test(digits) ? 3 : 2;
  const rest = digits.slice(ccLength);
  const groups = rest.length > 4 ? [rest.slice(0, 3), ...(rest.length > 7 ? [rest.slice(3, rest.length - 4)] : []), rest.slice(-4)] : [rest];
  return `+${digits.slice(0, ccLength)} ${groups.join(' ')}`;
}

/** What a connection status means to the user, and what they can do about it. */
const STATUS_TEXT: Record<string, { label: string; next?: string }> = {
  connected: { label: 'Linked' },
  connecting: { label: 'Connecting…' },
  qr: { label: 'Waiting for scan', next: 'Scan the QR code' },
  reconnecting: { label: 'Reconnecting…' },
  disconnected: { label: 'Not connected', next: 'Reconnect' },
  logged_out: { label: 'Unlinked', next: 'Reconnect' },
  failed: { label: 'Failed', next: 'Reconnect' },
};

export function statusText(status: string): { label: string; next?: string } {
  return STATUS_TEXT[status] ?? { label: status.replace(/_/g, ' ') };
}

const ENGINE_NAMES: Record<string, string> = { baileys: 'Baileys', simulator: 'Simulator' };
export const engineName = (engine: string) => ENGINE_NAMES[engine] ?? engine;
