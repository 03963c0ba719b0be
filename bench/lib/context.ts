import { startBare } from './bare.js';
import { type FloorProvider, measureFloor } from './floor.js';
import type { FloorKind } from './floor-rows.js';
import type { FloorResult } from './floor-writer.js';
import { type LoadResult, type LoadShape, measure } from './load.js';

/** What every benchmark gets from the runner. */
export interface BenchContext {
  /** Small sizes for a smoke test of the harness (`--quick`). */
  quick: boolean;
  /** The autocannon shape every HTTP figure uses. */
  shape: LoadShape;
  /** Requests/s of the bare Fastify status route, measured once per run and shared. */
  bareRate(): Promise<LoadResult>;
  /**
   * The raw storage floor of `kind` on `provider`, measured once per run and shared; undefined
   * when PostgreSQL is unreachable.
   */
  storageFloor(kind: FloorKind, provider: FloorProvider): Promise<FloorResult | undefined>;
  log(message: string): void;
}

/** The PostgreSQL server of the PG variants; BENCH_POSTGRES_URL overrides the team's default. */
export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function createContext(quick: boolean): BenchContext {
  const shape: LoadShape = quick ? { connections: 10, durationSeconds: 1, warmupSeconds: 1 } : { connections: 10, durationSeconds: 5, warmupSeconds: 2 };
  let bare: Promise<LoadResult> | undefined;
  const floors = new Map<string, Promise<FloorResult | undefined>>();
  const started = performance.now();
  return {
    quick,
    shape,
    bareRate() {
      bare ??= measureBare(shape);
      return bare;
    },
    storageFloor(kind, provider) {
      const key = `${kind}/${provider}`;
      let floor = floors.get(key);
      if (!floor) {
        floor = measureFloor(kind, provider, quick ? 1 : 3, POSTGRES_URL);
        floors.set(key, floor);
      }
      return floor;
    },
    log(message) {
      process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
    },
  };
}

export async function measureBare(shape: LoadShape, path = '/api/whatsapp/bench/status'): Promise<LoadResult> {
  const server = await startBare();
  try {
    return await measure({ url: server.url + path }, shape, { pid: server.pid });
  } finally {
    await server.stop();
  }
}
