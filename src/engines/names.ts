/**
 * The engines this server can run. Kept apart from the engine port so that configuration and
 * the HTTP schemas can list the engines without importing the port and what it imports.
 */
export type EngineName = 'baileys' | 'simulator';
export const ENGINE_NAMES: readonly EngineName[] = ['baileys', 'simulator'];
