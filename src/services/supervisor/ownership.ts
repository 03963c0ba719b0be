/**
 * Which node runs an instance's session. This is the one seam for running on several nodes:
 * today every instance is owned by the only node there is; a clustered implementation (Redis
 * leases, renewed while the session runs, taken over when a node dies) replaces `localOwnership`
 * without touching the supervisor's logic.
 */
export interface InstanceOwnership {
  /** Claims the instance for this node; false when another node runs it. */
  acquire(instanceId: string): Promise<boolean>;
  /** Gives the instance up (stopped here, deleted, or shutting down). */
  release(instanceId: string): Promise<void>;
}

export const localOwnership: InstanceOwnership = {
  acquire: async () => true,
  release: async () => undefined,
};
