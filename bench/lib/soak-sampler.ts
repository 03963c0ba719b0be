import { readdirSync } from 'node:fs';
import type { Gateway } from './gateway.js';
import type { SoakSample } from './soak-verdict.js';

/** The unlabeled samples of a Prometheus text exposition, by metric name. */
export function prometheusValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)\s+(\S+)/.exec(line);
    if (match) values.set(match[1], Number(match[2]));
  }
  return values;
}

/**
 * One sample of the gateway, read from outside its process: memory, event-loop lag and active
 * resources from its admin-only `/metrics` (prom-client's default metrics; the lag is over the
 * interval since the last scrape), RSS from that too, file descriptors from /proc/<pid>/fd.
 */
export async function sampleGateway(gw: Gateway, t: number): Promise<SoakSample> {
  const res = await gw.api<string>('GET', '/metrics', { as: gw.admin });
  if (res.status !== 200) throw new Error(`GET /metrics → ${res.status}`);
  const m = prometheusValues(res.body);
  const need = (name: string) => {
    const value = m.get(name);
    if (value === undefined) throw new Error(`/metrics has no ${name}`);
    return value;
  };
  return {
    t,
    rss: need('process_resident_memory_bytes'),
    heapUsed: need('nodejs_heap_size_used_bytes'),
    external: need('nodejs_external_memory_bytes'),
    lagP99Ms: need('nodejs_eventloop_lag_p99_seconds') * 1000,
    resources: need('nodejs_active_resources_total'),
    fds: readdirSync(`/proc/${gw.pid}/fd`).length,
  };
}
