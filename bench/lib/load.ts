import autocannon from 'autocannon';

/** The same load shape for every HTTP figure, so rates compare. */
export interface LoadShape {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  /** 2xx responses per second over the measured window. */
  okPerSecond: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
  seconds: number;
}

export type Options = autocannon.Options;

/** A warm-up run (JIT, pools, caches) then the measured run with the same options. */
export async function measure(options: Options, shape: LoadShape, beforeMeasured?: () => void): Promise<LoadResult> {
  const base = { connections: shape.connections, pipelining: 1, timeout: 30 };
  if (shape.warmupSeconds > 0) await autocannon({ ...options, ...base, duration: shape.warmupSeconds });
  beforeMeasured?.();
  const result = await autocannon({ ...options, ...base, duration: shape.durationSeconds });
  return {
    okPerSecond: result['2xx'] / result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    p50: result.latency.p50,
    p99: result.latency.p99,
    seconds: result.duration,
  };
}
