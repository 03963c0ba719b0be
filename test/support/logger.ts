import type { Logger } from '../../src/core/logger.js';

/** A logger that drops everything, for code under test that must be given one. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };
