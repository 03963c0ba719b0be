import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { freshSchema } from '../test/support/postgres.js';
import { POSTGRES_URL } from './lib/context.js';
import { createInstances, createUser, linkInstances } from './lib/fixtures.js';
import { client, Gateway } from './lib/gateway.js';
import { type SoakOptions, parseSoakOptions, SOAK_USAGE } from './lib/soak-options.js';
import { SoakReceiver } from './lib/soak-receiver.js';
import { renderSeries } from './lib/soak-report.js';
import { sampleGateway } from './lib/soak-sampler.js';
import { runLane, SoakTally, type SoakUser } from './lib/soak-traffic.js';
import { floorOf, type SoakSample, soakVerdict } from './lib/soak-verdict.js';

const SECRET = 'soak-webhook-secret';
const USER_PASSWORD = 'bench-user-password-1';
/** How often the gateway is probed; each sample is the floor of the probes of its interval. */
const PROBE_MS = 5000;

/**
 * `npm run bench:soak`: steady traffic against one gateway process for a long time, its memory
 * sampled from outside, and a verdict (exit code) on the slope of the last half (issue 25).
 */
async function main(): Promise<void> {
  let options: SoakOptions;
  try {
    options = parseSoakOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${SOAK_USAGE}`);
    process.exit(2);
  }
  const log = (message: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
  let env: Record<string, string> = {};
  let drop = async () => undefined as void;
  if (options.database === 'postgres') {
    const schema = await freshSchema(POSTGRES_URL, 'soak');
    env = { DATABASE_PROVIDER: 'postgres', DATABASE_URL: schema.url };
    drop = schema.drop;
  }
  if (options.snapshotDir) {
    mkdirSync(options.snapshotDir, { recursive: true });
    process.env.BENCH_NODE_FLAGS = `${process.env.BENCH_NODE_FLAGS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${path.resolve(options.snapshotDir)}`;
  }
  const receiver = new SoakReceiver(SECRET);
  await receiver.start();
  const gw = await Gateway.start({ env });
  const samples: SoakSample[] = [];
  const tally = new SoakTally();
  const loadBefore = loadavg();
  try {
    const user = await soakUser(gw);
    const ids = await createInstances(gw, user.apiKey, options.instances, {
      webhookUrl: receiver.url,
      webhookEnabled: true,
      webhookSecret: SECRET,
      notifyReceived: true,
      notifySent: true,
      notifyDelivery: true,
      notifyRead: true,
      maxRetries: 5,
      retryInterval: 1000,
    });
    await linkInstances(gw, user.apiKey, ids);
    log(`${options.instances} instances linked on ${options.database}; ${options.minutes} min at ${options.rate}/s each (send + inbound)`);

    const durationMs = options.minutes * 60_000;
    const started = performance.now();
    let probes: SoakSample[] = [];
    const probe = async () => void probes.push(await sampleGateway(gw, (performance.now() - started) / 1000));
    const sample = async () => {
      await probe();
      const s = floorOf(probes);
      probes = [];
      samples.push(s);
      log(`t=${s.t.toFixed(0)} s rss ${(s.rss / 2 ** 20).toFixed(1)} MiB heap ${(s.heapUsed / 2 ** 20).toFixed(1)} MiB · ${tally.sends} sent, ${tally.inbound} inbound, ${receiver.requests} webhooks, ${tally.errorCount} errors`);
    };
    await sample();
    const prober = setInterval(() => void probe().catch(() => tally.error('metrics probe')), PROBE_MS);
    const sampler = setInterval(() => void sample().catch(() => tally.error('metrics sample')), options.sampleSeconds * 1000);
    const snapshot = () => {
      if (options.snapshotDir) process.kill(gw.pid, 'SIGUSR2');
    };
    const half = setTimeout(snapshot, durationMs / 2);
    const shape = { rate: options.rate, durationMs, mediaEvery: 10, readEvery: 20 };
    await Promise.all(ids.map((id, lane) => runLane(gw, user, id, lane, ids.length, shape, tally)));
    clearInterval(sampler);
    clearInterval(prober);
    clearTimeout(half);
    await sample();
    const trafficSeconds = (performance.now() - started) / 1000;
    log(`traffic done; ${receiver.lost(tally.sentInbound)} inbound messages still owed a webhook, waiting up to ${options.drainMinutes} min`);
    const drainStarted = performance.now();
    await receiver.drain(tally.sentInbound, options.drainMinutes * 60_000);
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    await receiver.settle(3000, 30_000);
    await sample();
    snapshot();
    report(options, samples, tally, receiver, { trafficSeconds, drainSeconds }, loadBefore);
  } finally {
    await gw.destroy();
    await receiver.stop();
    await drop();
    await client.close();
  }
}

async function soakUser(gw: Gateway): Promise<SoakUser> {
  const created = await createUser(gw);
  const me = await gw.ok('GET', '/api/auth/me', { as: created });
  const login = await gw.ok('POST', '/api/auth/login', { body: { email: me.email, password: USER_PASSWORD } });
  return { apiKey: { apiKey: created.apiKey }, jwt: { token: login.token } };
}

function report(options: SoakOptions, all: SoakSample[], tally: SoakTally, receiver: SoakReceiver, time: { trafficSeconds: number; drainSeconds: number }, loadBefore: number[]): void {
  const lost = receiver.lost(tally.sentInbound);
  // The sample after the drain is printed but left out of the slope: traffic had stopped.
  const samples = all.slice(0, -1);
  const verdict = soakVerdict(samples, { errors: tally.errorCount, lostWebhooks: lost, duplicateWebhooks: receiver.duplicateEvents, badSignatures: receiver.badSignatures });
  const cpu = cpus();
  console.log(`\n# Soak: ${options.instances} simulator instances on ${options.database}, ${options.minutes} min at ${options.rate}/s each`);
  console.log(`${new Date().toISOString()} · node ${process.version} · ${cpu.length} × ${cpu[0]?.model ?? '?'} · load before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  console.log(renderSeries(all));
  console.log(`\nsends ${tally.sends} · inbound ${tally.inbound} (${tally.inboundMedia} with a file) · reads ${tally.reads} · reconnects ${tally.reconnects} · relinks ${tally.relinks} (${tally.relinkRetries} retried) · late iterations ${tally.late} · ${((tally.sends + tally.inbound) / time.trafficSeconds).toFixed(0)} messages/s`);
  console.log(`webhooks ${receiver.requests} (${(receiver.requests / (time.trafficSeconds + time.drainSeconds)).toFixed(0)}/s; the last inbound one ${time.drainSeconds.toFixed(0)} s after the traffic stopped) · lost ${lost} (not delivered ${options.drainMinutes} min after the traffic) · duplicated ${receiver.duplicateEvents} · bad signature ${receiver.badSignatures}`);
  console.log(`errors ${tally.errorCount}${tally.errors.size > 0 ? `: ${[...tally.errors].map(([k, n]) => `${n} × ${k}`).join(', ')}` : ''}`);
  console.log(`slope of the last half: RSS ${verdict.rssMiBPerDay.toFixed(1)} MiB/day, heap used ${verdict.heapMiBPerDay.toFixed(1)} MiB/day (limit 50)`);
  console.log(verdict.ok ? 'verdict: PASS' : `verdict: FAIL — ${verdict.reasons.join('; ')}`);
  process.exitCode = verdict.ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
