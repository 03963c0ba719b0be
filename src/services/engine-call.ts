import { AppError, BadGatewayError } from '../core/errors.js';

/**
 * Runs a call into a WhatsApp session. What an engine throws is WhatsApp's refusal or a broken
 * connection, so it becomes a 502 that says what failed, never an opaque 500.
 */
export async function fromEngine<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new BadGatewayError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
