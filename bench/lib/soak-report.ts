import type { SoakSample } from './soak-verdict.js';

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** The sampled series as a Markdown table, so the same text goes to the console and the docs. */
export function renderSeries(samples: readonly SoakSample[]): string {
  const header = ['t (min)', 'RSS MiB', 'heap used MiB', 'external MiB', 'loop lag p99 ms', 'active resources', 'fds'];
  const rows = samples.map((s) => [(s.t / 60).toFixed(1), mib(s.rss), mib(s.heapUsed), mib(s.external), s.lagP99Ms.toFixed(1), String(s.resources), String(s.fds)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => `${'-'.repeat(w - 1)}:`).join(' | ')} |`, ...rows.map(line)].join('\n');
}
