import { type FloorGroup, FloorRows, type FloorKind } from './floor-rows.js';

/** The floor's own stand-in for a webhook cursor per instance (the outbox design of issue 20). */
export const CURSOR_TABLE = 'floor_webhook_cursors';

/** Writes one group commit: every row of the group in one transaction. */
export interface FloorWriter {
  write(group: FloorGroup): Promise<void>;
  close(): Promise<void>;
  /** The database server's process, when it runs on this machine, to count its CPU too. */
  serverPid?: number;
}

export interface FloorResult {
  operations: number;
  seconds: number;
  perSecond: number;
  /** CPU of the writing process per operation, ms. */
  cpuMs: number;
  /** CPU of the database server's process per operation, ms, when it is local. */
  serverCpuMs?: number;
}

/**
 * Writes groups back to back (one operation per instance per group) for a warm-up, then for
 * `seconds` of writing; an operation is a send with its three receipts, or an inbound message.
 */
export async function runFloor(writer: FloorWriter, kind: FloorKind, instances: number, seconds: number, serverCpuMs: (pid: number) => number): Promise<FloorResult> {
  const rows = new FloorRows(kind, Array.from({ length: instances }, (_, i) => `floor-instance-${i}`));
  // Only the writes are timed: making the rows (ids, JSON) is the gateway's work, not storing.
  const loop = async (ms: number) => {
    let groups = 0;
    let wall = 0;
    let cpu = 0;
    while (wall < ms) {
      const group = rows.next(Date.now());
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await writer.write(group);
      wall += performance.now() - started;
      const used = process.cpuUsage(cpuBefore);
      cpu += (used.user + used.system) / 1000;
      groups += 1;
    }
    return { operations: groups * instances, wall, cpu };
  };
  await loop(Math.min(1000, seconds * 500));
  const server = writer.serverPid === undefined ? undefined : serverCpuMs(writer.serverPid);
  const { operations, wall, cpu } = await loop(seconds * 1000);
  return {
    operations,
    seconds: wall / 1000,
    perSecond: operations / (wall / 1000),
    cpuMs: cpu / operations,
    serverCpuMs: server === undefined || writer.serverPid === undefined ? undefined : (serverCpuMs(writer.serverPid) - server) / operations,
  };
}
