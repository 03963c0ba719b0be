import type { Config } from '../config.js';
import { type BaileysLogger, createBaileysEngine } from './baileys/index.js';
import type { Engine } from './engine.js';
import type { EngineName } from './names.js';
import { createSimulatorEngine, type SimulatorEngine } from './simulator/index.js';
import type { Logger } from '../core/logger.js';

export type Engines = Record<EngineName, Engine> & { simulator: SimulatorEngine };

/** Every engine this process can run instances on, built from the configuration. */
export function createEngines(config: Config, logger: Logger): Engines {
  if (config.baileys.emulatorRootKey) {
    logger.warn(
      { websocketUrl: config.baileys.websocketUrl ?? "WhatsApp's own (the hosts file decides where it goes)" },
      'WA_EMULATOR_ENABLED=true: Baileys talks to a local WhatsApp emulator and trusts its certificate root instead of WhatsApp\'s, process-wide. TEST ONLY: no real phone can link to this server.',
    );
  }
  return {
    baileys: createBaileysEngine({
      logger: baileysLogger(logger.child({ engine: 'baileys' }), config.logLevel),
      browserName: config.baileys.browserName,
      websocketUrl: config.baileys.websocketUrl,
      emulatorRootKey: config.baileys.emulatorRootKey,
      mediaCa: config.baileys.emulatorMediaCa,
    }),
    simulator: createSimulatorEngine(config.simulator),
  };
}

/** Baileys wants pino's shape; its trace output (every frame) only shows at LOG_LEVEL=trace. */
function baileysLogger(logger: Logger, level: string): BaileysLogger {
  const write = (method: 'debug' | 'info' | 'warn' | 'error') => (obj: unknown, msg?: string) => logger[method](obj as object, msg);
  return {
    level,
    child: (bindings) => baileysLogger(logger.child(bindings), level),
    trace: level === 'trace' ? write('debug') : () => undefined,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  } as BaileysLogger;
}
