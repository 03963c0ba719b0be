import type { Engine } from '../engine.js';
import { SimulatorNetwork } from './network.js';
import type { SimulatorOptions } from './options.js';
import { SimulatorSession } from './session.js';

export type { SimulatorOptions } from './options.js';
export { SimulatorStateError } from './options.js';
export type { MemberAction } from './groups.js';
export type { ChatContent, InboundMessage, SimulatedDisconnect, SimulatorSession } from './session.js';
export type { ShownPresence } from './presence-book.js';

export interface SimulatorEngine extends Engine {
  /** The network its sessions share; the control API finds running sessions through it. */
  readonly network: SimulatorNetwork<SimulatorSession>;
}

/**
 * The in-process WhatsApp simulator. Each engine is its own network, so two servers in one
 * process (tests) never see each other's phones.
 */
export function createSimulatorEngine(options: SimulatorOptions): SimulatorEngine {
  const network = new SimulatorNetwork<SimulatorSession>();
  return {
    name: 'simulator',
    network,
    createSession: (ctx) => new SimulatorSession(ctx, options, network),
  };
}
