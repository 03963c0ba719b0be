import { parseArgs } from 'node:util';

export interface SoakOptions {
  minutes: number;
  instances: number;
  /** Iterations per second of each instance (one send and one inbound message each). */
  rate: number;
  database: 'sqlite' | 'postgres';
  engine: 'simulator';
  sampleSeconds: number;
  /** How long after the traffic the webhooks still owed may take before they count as lost. */
  drainMinutes: number;
  /** Heap snapshots of the gateway at the half and at the end, written to this directory. */
  snapshotDir?: string;
}

export const SOAK_USAGE = `npm run bench:soak -- [--minutes 60] [--instances 10] [--rate 5] [--database sqlite|postgres]
                       [--engine simulator] [--sample-seconds 60] [--drain-minutes 10] [--snapshots <dir>]`;

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${text}"`);
  return value;
}

/** Reads the command line; anything unknown or out of range is refused with what is allowed. */
export function parseSoakOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      minutes: { type: 'string', default: '60' },
      instances: { type: 'string', default: '10' },
      rate: { type: 'string', default: '5' },
      database: { type: 'string', default: 'sqlite' },
      engine: { type: 'string', default: 'simulator' },
      'sample-seconds': { type: 'string', default: '60' },
      'drain-minutes': { type: 'string', default: '10' },
      snapshots: { type: 'string' },
    },
  });
  if (values.database !== 'sqlite' && values.database !== 'postgres') throw new Error(`--database must be sqlite or postgres, got "${values.database}"`);
  // The Baileys soak needs the emulator and its pairing for the relink; not built yet (issue 25).
  if (values.engine !== 'simulator') throw new Error(`--engine must be simulator (the Baileys soak is not built yet), got "${values.engine}"`);
  const instances = positive('instances', values.instances);
  if (!Number.isInteger(instances)) throw new Error(`--instances must be a whole number, got "${values.instances}"`);
  return {
    minutes: positive('minutes', values.minutes),
    instances,
    rate: positive('rate', values.rate),
    database: values.database,
    engine: 'simulator',
    sampleSeconds: positive('sample-seconds', values['sample-seconds']),
    drainMinutes: positive('drain-minutes', values['drain-minutes']),
    snapshotDir: values.snapshots,
  };
}
