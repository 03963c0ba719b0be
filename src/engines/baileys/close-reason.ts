import { DisconnectReason } from 'baileys';
import type { CloseReason } from '../engine.js';

export interface ClassifiedClose {
  reason: CloseReason;
  code?: number;
  message?: string;
}

interface BoomLike {
  message?: string;
  output?: { statusCode?: number };
}

const QR_REFS_ENDED = 'QR refs attempts ended';

function classifyCode(code: number, message: string | undefined): CloseReason {
  switch (code) {
    case DisconnectReason.restartRequired:
      return 'restart_required';
    case DisconnectReason.timedOut:
      return message?.includes(QR_REFS_ENDED) ? 'qr_timeout' : 'connection_lost';
    case DisconnectReason.connectionClosed:
    case DisconnectReason.unavailableService:
      return 'connection_lost';
    case DisconnectReason.connectionReplaced:
      return 'conflict';
    case DisconnectReason.loggedOut:
    case DisconnectReason.forbidden:
    case DisconnectReason.multideviceMismatch:
      return 'logged_out';
    default:
      return 'bad_session';
  }
}

/**
 * Maps Baileys' `lastDisconnect.error` to the port's close reason. `sock.end(undefined)` is how
 * we stop a socket on purpose, so an absent error (or one without a status) means `stopped`.
 */
export function classifyClose(error: unknown): ClassifiedClose {
  if (!error || typeof error !== 'object') return { reason: 'stopped' };
  const boom = error as BoomLike;
  const code = boom.output?.statusCode;
  const message = boom.message || undefined;
  if (typeof code !== 'number') return { reason: 'bad_session', message };
  return { reason: classifyCode(code, message), code, message };
}
