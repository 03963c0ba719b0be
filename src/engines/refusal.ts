/** Why WhatsApp refused a group operation. */
export type GroupRefusal = 'not_found' | 'not_member' | 'not_admin' | 'invalid_invite';

/**
 * Why WhatsApp refused an operation, whatever the engine, so the services can answer each with
 * its own status instead of a 502: a group's reasons, `blocked` (we block the peer, so nothing
 * goes to it until it is unblocked) and `no_account` (no WhatsApp account has that number).
 */
export type Refusal = GroupRefusal | 'blocked' | 'no_account';

export class RefusalError extends Error {
  constructor(
    readonly reason: Refusal,
    message: string,
  ) {
    super(message);
    this.name = 'RefusalError';
  }
}
