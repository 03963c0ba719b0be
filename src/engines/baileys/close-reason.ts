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
  /** Baileys keeps the WebSocket's own error here (`mapWebSocketError`). */
  data?: unknown;
}

const QR_REFS_ENDED = 'QR refs attempts ended';

/** Socket and resolver error codes, as Node reports them, that mean the host was not reached. */
const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed',
  EAI_FAIL: 'DNS lookup failed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EPIPE: 'connection broken',
};

/** OpenSSL's certificate verdicts and Node's TLS error codes. */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$)/;

/** Baileys' own verdicts on the server's Noise certificate chain (`Utils/noise-handler.js`). */
const UNTRUSTED_NOISE = /noise (intermediate )?certificate|certification match failed/;

/** The `ws` library's handshake timeout has no error code. */
const HANDSHAKE_TIMEOUT = 'Opening handshake has timed out';

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

/** The error and the errors it wraps (Baileys' `data`, the standard `cause`), outermost first. */
function chain(error: unknown): Array<{ code?: unknown; message?: unknown }> {
  const found: Array<{ code?: unknown; message?: unknown }> = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && found.length < 4) {
    found.push(current as { code?: unknown; message?: unknown });
    const next = (current as BoomLike).data ?? (current as { cause?: unknown }).cause;
    current = next === current ? undefined : next;
  }
  return found;
}

/** Why `host` could not be reached or trusted, when the error says so. */
function networkFailure(error: unknown, host: string): string | undefined {
  for (const link of chain(error)) {
    const code = typeof link.code === 'string' ? link.code : undefined;
    const detail = typeof link.message === 'string' ? link.message : code;
    if (code && NETWORK_CODES[code]) return `Cannot reach ${host}: ${NETWORK_CODES[code]} (${detail})`;
    if (code && TLS_CODE.test(code)) return `Cannot reach ${host}: its TLS certificate is not trusted (${detail})`;
    if (detail?.includes(HANDSHAKE_TIMEOUT)) return `Cannot reach ${host}: the WebSocket handshake timed out`;
    if (detail && UNTRUSTED_NOISE.test(detail)) {
      return `${host} is not WhatsApp: its Noise certificate chain is not signed by WhatsApp's root key (${detail})`;
    }
  }
  return undefined;
}

/**
 * Maps Baileys' `lastDisconnect.error` to the port's close reason. `sock.end(undefined)` is how
 * we stop a socket on purpose, so an absent error means `stopped`. `host` is where the socket
 * was going, so a network failure can name it. A plain exception (no Boom status, no network
 * code) is a bug somewhere in the engine or the library, not a problem of the session.
 */
export function classifyClose(error: unknown, host = 'the WhatsApp server'): ClassifiedClose {
  if (!error || typeof error !== 'object') return { reason: 'stopped' };
  const boom = error as BoomLike;
  const code = boom.output?.statusCode;
  const network = networkFailure(error, host);
  if (network) return { reason: 'network', ...(typeof code === 'number' ? { code } : {}), message: network };
  if (typeof code !== 'number') {
    if (error instanceof Error) return { reason: 'engine_error', message: describeException(error) };
    return { reason: 'bad_session', message: boom.message || undefined };
  }
  const message = boom.message || undefined;
  return { reason: classifyCode(code, message), code, message };
}

/** `TypeError: Cannot read properties of undefined (reading 'protocol')`. */
function describeException(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
