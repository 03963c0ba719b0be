/** Close reasons as the server names them (docs/SESSIONS.md), in words. */
const REASON_LABELS: Record<string, string> = {
  network: 'Network problem',
  connection_lost: 'Connection lost',
  bad_session: 'Session problem',
  engine_error: 'Internal engine error (see the server log)',
  conflict: 'Another client took over the session',
  logged_out: 'The phone was unlinked',
  logout: 'The phone was unlinked',
  qr_timeout: 'The QR codes ran out before a scan',
};

export function reasonText(reason: unknown, message: unknown): string | undefined {
  if (typeof reason !== 'string') return undefined;
  const label = REASON_LABELS[reason] ?? reason.replace(/_/g, ' ');
  return typeof message === 'string' && message ? `${label}: ${message}` : label;
}

/** Activity actions (docs/SESSIONS.md) in words. */
const ACTION_LABELS: Record<string, string> = {
  qr_received: 'QR code shown',
  connected: 'Phone linked and connected',
  disconnected: 'Disconnected',
  reconnecting: 'Reconnecting',
  restarting: 'Restarting after pairing',
  logged_out: 'Phone unlinked',
  failed: 'Connection failed',
};

export const actionText = (action: string) => ACTION_LABELS[action] ?? action.replace(/_/g, ' ');
