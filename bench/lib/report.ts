/** One line of the benchmark table: a figure of the gateway beside its same-run baseline. */
export interface Row {
  bench: string;
  metric: string;
  value: string;
  baseline: string;
  /** value / baseline in the direction the target is stated; undefined when not meaningful. */
  ratio?: number;
  target: string;
  /** undefined when the row is informational. */
  met?: boolean;
}

export interface BenchResult {
  rows: Row[];
  /** Caveats and skipped parts, printed under the table. */
  notes: string[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const fmt = {
  rate: (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-US')}/s`,
  us: (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms * 1000)} µs` : 'n/a'),
  ms: (ms: number) => `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`,
  seconds: (ms: number) => `${(ms / 1000).toFixed(2)} s`,
  count: (n: number) => n.toLocaleString('en-US'),
  kib: (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`,
  mib: (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`,
  ratio: (r: number | undefined) => (r === undefined || !Number.isFinite(r) ? '' : r.toFixed(2)),
};

/** Renders rows as a Markdown table, so the same text goes to the console and to docs/PERFORMANCE.md. */
export function renderTable(rows: Row[]): string {
  const header = ['benchmark', 'metric', 'gateway', 'baseline', 'ratio', 'target', 'met'];
  const lines = rows.map((r) => [r.bench, r.metric, r.value, r.baseline, fmt.ratio(r.ratio), r.target, r.met === undefined ? '' : r.met ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...lines.map(line)].join('\n');
}
