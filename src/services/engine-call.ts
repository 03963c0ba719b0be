import { GroupError, type GroupRefusal } from '../engines/groups.js';
import { AppError, BadGatewayError, ConflictError, ForbiddenError, NotFoundError } from '../core/errors.js';

/** WhatsApp's refusals of a group operation, as the API answers them. */
const GROUP_REFUSALS: Record<GroupRefusal, new (message: string) => AppError> = {
  not_found: NotFoundError,
  invalid_invite: NotFoundError,
  not_member: ConflictError,
  not_admin: ForbiddenError,
};

/**
 * Runs a call into a WhatsApp session. What an engine throws is WhatsApp's refusal or a broken
 * connection, so it becomes a 502 that says what failed, never an opaque 500; a group refusal
 * (not an admin, not a member, no such group) keeps its meaning as a 403, 409 or 404.
 */
export async function fromEngine<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof GroupError) throw new GROUP_REFUSALS[error.reason](error.message);
    throw new BadGatewayError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
