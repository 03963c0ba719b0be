import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { freshSchema } from '../../test/support/postgres.js';
import { postgresFloorWriter } from './floor-postgres.js';
import type { FloorKind } from './floor-rows.js';
import { sqliteFloorWriter } from './floor-sqlite.js';
import { type FloorResult, type FloorWriter, runFloor } from './floor-writer.js';
import { processCpuMs } from './gateway.js';

export type FloorProvider = 'sqlite' | 'postgres';

/** Ten instances written side by side, as benchmarks 2 and 3 drive ten instances at once. */
export const FLOOR_INSTANCES = 10;

/**
 * The raw storage floor: what storing the rows of `kind` costs with nothing of the gateway around
 * it, on a database the gateway's own migrations made (same tables, same indexes), in group
 * commits of one operation per instance. Undefined when PostgreSQL is unreachable.
 */
export async function measureFloor(kind: FloorKind, provider: FloorProvider, seconds: number, postgresUrl: string): Promise<FloorResult | undefined> {
  let writer: FloorWriter;
  let cleanup: () => Promise<void>;
  if (provider === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'wa-floor-'));
    const file = path.join(dir, 'floor.db');
    await (await openSqliteStore(file)).close();
    writer = sqliteFloorWriter(file);
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = await freshSchema(postgresUrl, 'floor').catch(() => undefined);
    if (!schema) return undefined;
    await (await openPostgresStore(schema.url, { maxConnections: 1 })).close();
    writer = await postgresFloorWriter(schema.url);
    cleanup = schema.drop;
  }
  try {
    return await runFloor(writer, kind, FLOOR_INSTANCES, seconds, processCpuMs);
  } finally {
    await writer.close();
    await cleanup();
  }
}
