import { startBare } from './bare.js';
import { type LoadResult, type LoadShape, measure } from './load.js';

/** What every benchmark gets from the runner. */
export interface BenchContext {
  /** Small sizes for a smoke test of the harness (`--quick`). */
  quick: boolean;
  /** The autocannon shape every HTTP figure uses. */
  shape: LoadShape;
  /** Requests/s of the bare Fastify status route, measured once per run and shared. */
  bareRate(): Promise<LoadResult>;
  log(message: string): void;
}

export function createContext(quick: boolean): BenchContext {
  const shape: LoadShape = quick ? { connections: 10, durationSeconds: 1, warmupSeconds: 1 } : { connections: 10, durationSeconds: 5, warmupSeconds: 2 };
  let bare: Promise<LoadResult> | undefined;
  const started = performance.now();
  return {
    quick,
    shape,
    bareRate() {
      bare ??= measureBare(shape);
      return bare;
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
