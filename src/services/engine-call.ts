import { type Refusal, RefusalError } from '../engines/refusal.js';
import { AppError, BadGatewayError, ConflictError, type ErrorDetail, ForbiddenError, NotFoundError } from '../core/errors.js';

/** WhatsApp's refusals, as the API answers them. */
const REFUSALS: Record<Refusal, new (message: string, details?: ErrorDetail[]) => AppError> = {
  not_found: NotFoundError,
  invalid_invite: NotFoundError,
  not_member: ConflictError,
  not_admin: ForbiddenError,
  blocked: ConflictError,
  no_account: NotFoundError,
};

/** What the caller asked for, named in the answer to a refusal that concerns it. */
const HINTS: Partial<Record<Refusal, string>> = {
  blocked: 'is blocked by this account: unblock it first (POST /api/whatsapp/:id/unblock)',
  no_account: 'is not a WhatsApp account',
};

/**
 * Runs a call into a WhatsApp session. What an engine throws is WhatsApp's refusal or a broken
 * connection, so it becomes a 502 that says what failed, never an opaque 500; a refusal (blocked,
 * no such account, not an admin, not a member, no such group) keeps its meaning as a 4xx, naming
 * `field` when the refusal concerns what the caller gave there.
 */
export async function fromEngine<T>(what: string, call: () => Promise<T>, field?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof RefusalError) {
      const hint = HINTS[error.reason];
      throw new REFUSALS[error.reason](error.message, field && hint ? [{ field, message: hint }] : undefined);
    }
    throw new BadGatewayError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
