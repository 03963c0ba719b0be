import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBaileysEngine } from '../../../src/engines/baileys/index.js';
import type { BaileysEngineOptions } from '../../../src/engines/baileys/options.js';

/** A session record as libsignal prints it: its ratchet's private key included. */
const session = { currentRatchet: { ephemeralKeyPair: { privKey: Buffer.from('very-private-ratchet-key') } }, indexInfo: { closed: -1 } };

describe('libsignal on the console, once the Baileys engine exists', () => {
  const written = { info: vi.fn(), warn: vi.fn(), log: vi.fn(), error: vi.fn() };
  const logged: unknown[][] = [];
  const originals = { info: console.info, warn: console.warn, log: console.log, error: console.error };

  beforeAll(() => {
    Object.assign(console, written);
    const logger = { level: 'debug', debug: (...args: unknown[]) => logged.push(args) } as unknown as BaileysEngineOptions['logger'];
    createBaileysEngine({ logger, browserName: 'Gateway' });
  });

  afterAll(() => {
    Object.assign(console, originals);
  });

  it('prints no session record: the line goes to the engine logger at debug, without the record', () => {
    console.info('Closing session:', session);
    console.info('Opening session:', session);
    console.info('Removing old closed session:', session);
    console.warn('Session already closed', session);
    console.warn('Closing open session in favor of incoming prekey bundle');

    for (const method of Object.values(written)) expect(method).not.toHaveBeenCalled();
    expect(logged.map(([, message]) => message)).toEqual([
      'Closing session',
      'Opening session',
      'Removing old closed session',
      'Session already closed',
      'Closing open session in favor of incoming prekey bundle',
    ]);
    expect(JSON.stringify(logged)).not.toContain('privKey');
  });

  it('leaves every other console line alone', () => {
    console.info('server listening', 3000);
    console.error(new Error('boom'));
    expect(written.info).toHaveBeenCalledWith('server listening', 3000);
    expect(written.error).toHaveBeenCalledTimes(1);
  });
});
