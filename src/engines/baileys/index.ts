import { WA_CERT_DETAILS } from 'baileys';
import type { Engine } from '../engine.js';
import { mediaTrust } from './media-trust.js';
import type { BaileysEngineOptions } from './options.js';
import { BaileysSession } from './session.js';
import { quietSignalConsole } from './signal-console.js';

export type { BaileysEngineOptions, BaileysLogger } from './options.js';

/**
 * The Baileys engine. With `emulatorRootKey` it trusts a local emulator's certificate root
 * instead of WhatsApp's, for the whole process: the caller decides when that is allowed.
 */
export function createBaileysEngine(options: BaileysEngineOptions): Engine {
  if (options.emulatorRootKey) {
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(options.emulatorRootKey, 'base64');
  }
  quietSignalConsole(options.logger);
  // One set of agents for every session: they pool connections per media host.
  const media = options.mediaCa ? mediaTrust(options.mediaCa) : undefined;
  return {
    name: 'baileys',
    createSession: (ctx) => new BaileysSession(ctx, options, media),
    close: async () => media?.close(),
  };
}
