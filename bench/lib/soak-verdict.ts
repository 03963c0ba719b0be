/** One sample of the gateway process, taken every sampling interval of a soak. */
export interface SoakSample {
  /** Seconds since the traffic started. */
  t: number;
  rss: number;
  heapUsed: number;
  external: number;
  /** Event-loop delay, p99 over the interval, in ms. */
  lagP99Ms: number;
  /** Resources keeping the loop alive (process.getActiveResourcesInfo()). */
  resources: number;
  fds: number;
}

export interface SoakCounts {
  /** Requests answered with something other than the status the harness expected, or failed. */
  errors: number;
  lostWebhooks: number;
  duplicateWebhooks: number;
  badSignatures: number;
}

export interface SoakVerdict {
  /** Slopes of RSS and heap used over the last half of the samples, in MiB per day. */
  rssMiBPerDay: number;
  heapMiBPerDay: number;
  ok: boolean;
  reasons: string[];
}

/** The bar: memory that would add more than this in a day is a leak to find. */
export const MAX_MIB_PER_DAY = 50;
const DAY_S = 86_400;
const MIB = 1024 * 1024;

/**
 * The least-squares slope of `values` over `times` (units of value per unit of time). Least
 * squares rather than last minus first, so one sample taken during a GC does not decide it.
 */
export function slope(times: readonly number[], values: readonly number[]): number {
  const n = times.length;
  if (n < 2) return Number.NaN;
  const meanT = times.reduce((a, b) => a + b, 0) / n;
  const meanV = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (times[i] - meanT) * (values[i] - meanV);
    den += (times[i] - meanT) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/**
 * One point of the series from the probes taken within its interval: memory at its lowest (the
 * floor after a collection, since without forcing GCs heap used is a saw-tooth as tall as the
 * young generation), lag, resources and descriptors at their highest. The point's time is the
 * last probe's.
 */
export function floorOf(probes: readonly SoakSample[]): SoakSample {
  if (probes.length === 0) throw new Error('no probes in the interval');
  const min = (pick: (s: SoakSample) => number) => Math.min(...probes.map(pick));
  const max = (pick: (s: SoakSample) => number) => Math.max(...probes.map(pick));
  return {
    t: probes[probes.length - 1].t,
    rss: min((s) => s.rss),
    heapUsed: min((s) => s.heapUsed),
    external: min((s) => s.external),
    lagP99Ms: max((s) => s.lagP99Ms),
    resources: max((s) => s.resources),
    fds: max((s) => s.fds),
  };
}

/** The last half of the series: the first half is warm-up (JIT, pools, caches filling). */
export function lastHalf<T>(samples: readonly T[]): T[] {
  return samples.slice(Math.floor(samples.length / 2));
}

/** Bytes per second → MiB per day. */
function perDay(bytesPerSecond: number): number {
  return (bytesPerSecond * DAY_S) / MIB;
}

/**
 * Passes when RSS and heap used grow by at most MAX_MIB_PER_DAY over the last half, and there
 * were no errors, lost, duplicated or badly signed webhooks. Fewer than four samples in the last
 * half cannot show a trend, so they fail rather than pass by default.
 */
export function soakVerdict(samples: readonly SoakSample[], counts: SoakCounts): SoakVerdict {
  const half = lastHalf(samples);
  const times = half.map((s) => s.t);
  const rssMiBPerDay = perDay(slope(times, half.map((s) => s.rss)));
  const heapMiBPerDay = perDay(slope(times, half.map((s) => s.heapUsed)));
  const reasons: string[] = [];
  if (half.length < 4) reasons.push(`only ${half.length} samples in the last half; at least 4 are needed for a slope`);
  if (rssMiBPerDay > MAX_MIB_PER_DAY) reasons.push(`RSS grows ${rssMiBPerDay.toFixed(1)} MiB/day (> ${MAX_MIB_PER_DAY})`);
  if (heapMiBPerDay > MAX_MIB_PER_DAY) reasons.push(`heap used grows ${heapMiBPerDay.toFixed(1)} MiB/day (> ${MAX_MIB_PER_DAY})`);
  if (counts.errors > 0) reasons.push(`${counts.errors} request errors`);
  if (counts.lostWebhooks > 0) reasons.push(`${counts.lostWebhooks} webhooks lost`);
  if (counts.duplicateWebhooks > 0) reasons.push(`${counts.duplicateWebhooks} webhooks duplicated`);
  if (counts.badSignatures > 0) reasons.push(`${counts.badSignatures} webhooks badly signed`);
  return { rssMiBPerDay, heapMiBPerDay, ok: reasons.length === 0, reasons };
}
