import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { baileysDensity } from './baileys-density.js';
import { density } from './density.js';
import { history } from './history.js';
import { httpOverhead } from './http-overhead.js';
import { inboundWebhooks } from './inbound-webhooks.js';
import { type BenchContext, createContext } from './lib/context.js';
import { client } from './lib/gateway.js';
import { type BenchResult, renderTable, type Row } from './lib/report.js';
import { sendPath } from './send-path.js';
import { storageFloor } from './storage-floor.js';

/**
 * `npm run bench [-- floor http send webhooks history density baileys] [--quick]`: runs the named benchmarks
 * (all by default) and prints one table. Every gateway figure sits beside a baseline measured in
 * this same run on this same machine, because the machine is shared and its speed drifts.
 */
const BENCHES: Record<string, (ctx: BenchContext) => Promise<BenchResult>> = {
  floor: storageFloor,
  http: httpOverhead,
  send: sendPath,
  webhooks: inboundWebhooks,
  history,
  density,
  baileys: baileysDensity,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const names = args.filter((a) => !a.startsWith('--'));
  for (const name of names) if (!BENCHES[name]) throw new Error(`unknown benchmark "${name}"; choose from ${Object.keys(BENCHES).join(', ')}`);
  const selected = names.length > 0 ? Object.keys(BENCHES).filter((n) => names.includes(n)) : Object.keys(BENCHES);

  const ctx = createContext(quick);
  const started = new Date();
  const loadBefore = loadavg();
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const name of selected) {
    ctx.log(`${name}: start`);
    try {
      const result = await BENCHES[name](ctx);
      rows.push(...result.rows);
      notes.push(...result.notes);
    } catch (error) {
      rows.push({ bench: name, metric: 'FAILED', value: '', baseline: '', target: '', met: false });
      notes.push(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    ctx.log(`${name}: done`);
  }
  const elapsed = (Date.now() - started.getTime()) / 1000;

  const cpu = cpus();
  console.log(`\n# WhatsApp gateway benchmarks${quick ? ' (--quick: smoke sizes, figures not meaningful)' : ''}`);
  console.log(`${started.toISOString()} · node ${process.version} · ${cpu.length} × ${cpu[0]?.model ?? '?'} · ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free)`);
  console.log(`load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}; total ${elapsed.toFixed(0)} s\n`);
  console.log(renderTable(rows));
  if (notes.length > 0) console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`);
  await client.close();
  process.exitCode = rows.some((r) => r.metric === 'FAILED') ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
