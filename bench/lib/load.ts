import autocannon from 'autocannon';
import { processCpuMs } from './gateway.js';

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
  /** CPU the server process spent per response in the measured window, when its pid was given. */
  cpuMsPerRequest?: number;
}

export type Options = autocannon.Options;

export interface MeasureHooks {
  /** The server's pid, to read its CPU time around the measured run. */
  pid?: number;
  /** Called between the warm-up and the measured run. */
  beforeMeasured?: () => void;
}

/** A warm-up run (JIT, pools, caches) then the measured run with the same options. */
export async function measure(options: Options, shape: LoadShape, hooks: MeasureHooks = {}): Promise<LoadResult> {
  const base = { connections: shape.connections, pipelining: 1, timeout: 30 };
  if (shape.warmupSeconds > 0) await autocannon({ ...options, ...base, duration: shape.warmupSeconds });
  hooks.beforeMeasured?.();
  const cpuBefore = hooks.pid === undefined ? 0 : processCpuMs(hooks.pid);
  const result = await autocannon({ ...options, ...base, duration: shape.durationSeconds });
  const responses = result['2xx'] + result.non2xx;
  return {
    okPerSecond: result['2xx'] / result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    p50: result.latency.p50,
    p99: result.latency.p99,
    seconds: result.duration,
    cpuMsPerRequest: hooks.pid === undefined || responses === 0 ? undefined : (processCpuMs(hooks.pid) - cpuBefore) / responses,
  };
}
