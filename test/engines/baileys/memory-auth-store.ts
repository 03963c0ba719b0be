import type { AuthStateStore } from '../../../src/engines/engine.js';

/** An AuthStateStore over a Map, counting `set` calls so tests can check atomic writes. */
export interface MemoryAuthStore extends AuthStateStore {
  rows: Map<string, string>;
  setCalls: number;
}

export function memoryAuthStore(): MemoryAuthStore {
  const rows = new Map<string, string>();
  const store: MemoryAuthStore = {
    rows,
    setCalls: 0,
    async get(type, ids) {
      const out: Record<string, string> = {};
      for (const id of ids) {
        const v = rows.get(`${type}/${id}`);
        if (v !== undefined) out[id] = v;
      }
      return out;
    },
    async set(data) {
      store.setCalls++;
      for (const [type, values] of Object.entries(data)) {
        for (const [id, v] of Object.entries(values)) {
          if (v === null) rows.delete(`${type}/${id}`);
          else rows.set(`${type}/${id}`, v);
        }
      }
    },
    async clear() {
      rows.clear();
    },
  };
  return store;
}
