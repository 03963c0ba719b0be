import type { BaileysLogger } from './options.js';

/*
 * libsignal, under Baileys, writes to the console with no logger to hand it: "Closing session:",
 * "Opening session:" and "Removing old closed session:" print the whole session record, private
 * ratchet keys included, to the process's stdout. Those lines are caught here and reach the
 * engine's logger at debug as the message alone; everything else on the console is untouched.
 */

/** libsignal's messages, by how they start; the argument after them is a session record. */
const SIGNAL_MESSAGES = [
  'Closing session',
  'Opening session',
  'Removing old closed session',
  'Session already closed',
  'Session already open',
  'Migrating session to',
  'Closing open session in favor of incoming prekey bundle',
  'Decrypted message with closed session',
  'Failed to decrypt message with any known session',
  'Session error:',
];

const METHODS = ['log', 'info', 'warn', 'error'] as const;

let installed: BaileysLogger | undefined;

function signalMessage(args: unknown[]): string | undefined {
  const first = args[0];
  if (typeof first !== 'string') return undefined;
  const message = SIGNAL_MESSAGES.find((known) => first.startsWith(known));
  // "Session error:" carries the error text in the string itself; it names no key.
  return message === undefined ? undefined : message === 'Session error:' ? first : message;
}

/**
 * Routes libsignal's console lines to `logger` (the last one given, for the whole process, as
 * the console is). Idempotent: the console is wrapped once.
 */
export function quietSignalConsole(logger: BaileysLogger): void {
  const wrap = installed === undefined;
  installed = logger;
  if (!wrap) return;
  for (const method of METHODS) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const message = signalMessage(args);
      if (message === undefined) return original(...args);
      installed?.debug({ source: 'libsignal' }, message);
    };
  }
}
