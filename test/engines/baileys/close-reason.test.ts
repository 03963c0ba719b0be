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

  it('treats an error without status as a bad session', () => {
    expect(classifyClose(new Error('boom'))).toEqual({ reason: 'bad_session', message: 'boom' });
  });
});
