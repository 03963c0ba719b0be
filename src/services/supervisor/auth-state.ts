import type { AuthStateStore } from '../../engines/engine.js';
import type { AuthStateRepository } from '../../store/store.js';

/** The credentials of one instance's linked device, kept in the database so restarts keep them. */
export function storeAuthState(repo: AuthStateRepository, instanceId: string): AuthStateStore {
  return {
    get: (type, ids) => repo.get(instanceId, type, ids),
    set: (data) => repo.set(instanceId, data),
    clear: () => repo.clear(instanceId),
  };
}
