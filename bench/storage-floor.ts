import type { BenchContext } from './lib/context.js';
import { FLOOR_INSTANCES, type FloorProvider } from './lib/floor.js';
import type { FloorKind } from './lib/floor-rows.js';
import { type BenchResult, fmt, type Row } from './lib/report.js';

const WHAT: Record<FloorKind, string> = {
  send: 'rows of a send + 3 receipts, ops/s',
  inbound: 'rows of an inbound message + webhook cursor, ops/s',
};

/**
 * 0. The raw storage floor (issue 20): the rows a send with its three receipts, and an inbound
 * message delivered to a webhook, must store, written by raw better-sqlite3 and raw `pg` in group
 * commits. Benchmarks 2 and 3 divide their rates by these; this prints them on their own.
 */
export async function storageFloor(ctx: BenchContext): Promise<BenchResult> {
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const provider of ['sqlite', 'postgres'] as const satisfies FloorProvider[]) {
    for (const kind of ['send', 'inbound'] as const) {
      ctx.log(`floor: ${kind} on ${provider}`);
      const floor = await ctx.storageFloor(kind, provider);
      if (!floor) {
        notes.push(`0 floor: PostgreSQL unreachable, its ${kind} floor skipped.`);
        continue;
      }
      const server = floor.serverCpuMs === undefined ? '' : ` + ${fmt.us(floor.serverCpuMs)} server`;
      rows.push(
        { bench: `0 floor ${provider}`, metric: WHAT[kind], value: fmt.rate(floor.perSecond), baseline: `${fmt.count(floor.operations)} in ${floor.seconds.toFixed(1)} s`, target: '(info)' },
        { bench: `0 floor ${provider}`, metric: `CPU per ${kind} (writer${floor.serverCpuMs === undefined ? '' : ' + PostgreSQL backend'})`, value: `${fmt.us(floor.cpuMs)}${server}`, baseline: '', target: '' },
      );
    }
  }
  notes.push(
    `0 floor: ${FLOOR_INSTANCES} instances, one operation each per group commit, groups back to back on one connection; tables and indexes made by the gateway's migrations; SQLite in WAL with synchronous NORMAL, one prepared statement per row; PostgreSQL one statement per group (multi-row CTEs over unnest), fsync on. A send's receipts land in the 1st, 2nd and 3rd group after it.`,
  );
  return { rows, notes };
}

/** The row that puts a gateway rate beside the floor of the same work on the same database. */
export function floorRow(bench: string, metric: string, rate: number, floorRate: number | undefined, target: number | undefined): Row {
  const ratio = floorRate === undefined ? undefined : rate / floorRate;
  return {
    bench,
    metric,
    value: fmt.rate(rate),
    baseline: floorRate === undefined ? 'floor n/a' : `${fmt.rate(floorRate)} raw floor`,
    ratio,
    target: target === undefined ? '(info)' : `≥ ${target.toFixed(2)}`,
    met: target === undefined || ratio === undefined ? undefined : ratio >= target,
  };
}

/**
 * CPU per operation beside the floor's writer (for PostgreSQL both sides count the client only:
 * the gateway's process, the floor's writer), the steadier figure on a loaded machine.
 */
export function floorCpuRow(bench: string, metric: string, cpuMs: number | undefined, floorCpuMs: number | undefined): Row {
  return {
    bench,
    metric,
    value: fmt.us(cpuMs ?? Number.NaN),
    baseline: floorCpuMs === undefined ? 'floor n/a' : `${fmt.us(floorCpuMs)} raw floor`,
    ratio: floorCpuMs === undefined || cpuMs === undefined ? undefined : floorCpuMs / cpuMs,
    target: '',
  };
}
