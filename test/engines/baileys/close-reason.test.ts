import { describe, expect, it } from 'vitest';
import { classifyClose } from '../../../src/engines/baileys/close-reason.js';

// The shape of Baileys' Boom errors, without depending on @hapi/boom here.
const boom = (statusCode: number, message = 'x') =>
  Object.assign(new Error(message), { output: { statusCode } });

describe('classifyClose', () => {
  it.each([
    [515, 'restart_required'],
    [408, 'connection_lost'],
    [428, 'connection_lost'],
    [503, 'connection_lost'],
    [500, 'bad_session'],
    [440, 'conflict'],
    [401, 'logged_out'],
    [403, 'logged_out'],
    [411, 'logged_out'],
    [499, 'bad_session'],
  ] as const)('maps status %i to %s', (code, reason) => {
    expect(classifyClose(boom(code))).toMatchObject({ reason, code });
  });

  it('tells the end of the QR codes apart from a lost connection', () => {
    expect(classifyClose(boom(408, 'QR refs attempts ended'))).toEqual({
      reason: 'qr_timeout',
      code: 408,
      message: 'QR refs attempts ended',
    });
  });

  it('treats a close without error as our own stop', () => {
    expect(classifyClose(undefined)).toEqual({ reason: 'stopped' });
  });

  it('reports an exception without status as an engine error, not a session problem', () => {
    expect(classifyClose(new TypeError("Cannot read properties of undefined (reading 'protocol')"))).toEqual({
      reason: 'engine_error',
      message: "TypeError: Cannot read properties of undefined (reading 'protocol')",
    });
    expect(classifyClose({ message: 'odd' })).toEqual({ reason: 'bad_session', message: 'odd' });
  });

  // What Baileys' mapWebSocketError makes of the socket's error: a Boom with the error as `data`.
  const wsError = (code: string, message: string) =>
    Object.assign(new Error(`WebSocket Error (${message})`), { output: { statusCode: code.startsWith('E') ? 408 : 500 }, data: Object.assign(new Error(message), { code }) });

  it.each([
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND web.whatsapp.com', 'Cannot reach web.whatsapp.com: DNS lookup failed (getaddrinfo ENOTFOUND web.whatsapp.com)'],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN web.whatsapp.com', 'Cannot reach web.whatsapp.com: DNS lookup failed (getaddrinfo EAI_AGAIN web.whatsapp.com)'],
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:443', 'Cannot reach web.whatsapp.com: connection refused (connect ECONNREFUSED 127.0.0.1:443)'],
    ['ETIMEDOUT', 'connect ETIMEDOUT 157.240.1.1:443', 'Cannot reach web.whatsapp.com: connection timed out (connect ETIMEDOUT 157.240.1.1:443)'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', 'Cannot reach web.whatsapp.com: its TLS certificate is not trusted (self-signed certificate in certificate chain)'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", "Cannot reach web.whatsapp.com: its TLS certificate is not trusted (Hostname/IP does not match certificate's altnames)"],
  ])('reports %s as a network problem naming the host', (code, message, expected) => {
    expect(classifyClose(wsError(code, message), 'web.whatsapp.com')).toMatchObject({ reason: 'network', message: expected });
  });

  it('reports a server whose Noise certificate is not signed by the pinned root as a network problem', () => {
    expect(classifyClose(boom(400, 'noise intermediate certificate signature invalid'), 'web.whatsapp.com')).toEqual({
      reason: 'network',
      code: 400,
      message: "web.whatsapp.com is not WhatsApp: its Noise certificate chain is not signed by WhatsApp's root key (noise intermediate certificate signature invalid)",
    });
  });

  it('reports a WebSocket handshake timeout as a network problem', () => {
    const error = Object.assign(new Error('WebSocket Error (Opening handshake has timed out)'), { output: { statusCode: 408 }, data: new Error('Opening handshake has timed out') });
    expect(classifyClose(error, 'web.whatsapp.com')).toMatchObject({ reason: 'network', message: 'Cannot reach web.whatsapp.com: the WebSocket handshake timed out' });
  });
});
