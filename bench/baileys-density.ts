import { WhatsAppEmulator } from '../emulator/emulator.js';
import type { BenchContext } from './lib/context.js';
import { createInstances, createUser, pool, waitConnected, waitFor } from './lib/fixtures.js';
import { type Auth, Gateway, processCpuMs, sleep } from './lib/gateway.js';
import { type BenchResult, fmt } from './lib/report.js';

const SETTLE_MS = 5000;

/**
 * 6. What a linked instance on the real Baileys engine costs in memory, and how long a restarted
 * gateway takes to bring every one back to `connected` from the credentials in its database.
 * The gateway runs in its own process against the local WhatsApp emulator, which runs here in
 * the harness (so the emulator's memory is not counted). RSS is read from /proc after a forced
 * GC, on the empty server and then on a fresh process that restored N sessions; both went
 * through the same start-up, so the difference is the sessions.
 */
export async function baileysDensity(ctx: BenchContext): Promise<BenchResult> {
  const count = ctx.quick ? 10 : 100;
  const emulator = await WhatsAppEmulator.start();
  let gw = await Gateway.start({
    inspect: true,
    env: {
      DEFAULT_ENGINE: 'baileys',
      WA_EMULATOR_ENABLED: 'true',
      WA_WEBSOCKET_URL: emulator.url,
      WA_EMULATOR_ROOT_KEY: emulator.rootPublicKey,
      WA_EMULATOR_MEDIA_CA: emulator.mediaCaPath,
    },
  });
  try {
    const emptyBootCpuMs = processCpuMs(gw.pid);
    await sleep(SETTLE_MS);
    const emptyHeap = await gw.collectGarbage();
    const emptyRss = gw.rssBytes();

    ctx.log(`baileys-density: pairing ${count} sessions with the emulator`);
    const user = await createUser(gw);
    const ids = await createInstances(gw, user, count, { engine: 'baileys' });
    const pairStarted = performance.now();
    // A phone number of its own per instance, as a gateway's customers have.
    await pool(ids, 8, (id, i) => pair(gw, user, emulator, id, `1555${String(i).padStart(7, '0')}`));
    const pairMs = performance.now() - pairStarted;

    ctx.log('baileys-density: restart');
    gw = await gw.restart();
    const admin = gw.admin;
    const connectedAt = await waitFor(`${count} Baileys sessions connected after restart`, 120_000, async () => {
      const list = await gw.ok('GET', '/api/instances', { as: admin });
      const ready = list.instances.filter((i: { connectionStatus?: { ready?: boolean } }) => i.connectionStatus?.ready === true).length;
      return ready >= count ? performance.now() : false;
    }, 50);
    // CPU time is what the shared machine's load distorts least; the empty boot is its baseline.
    const restoreCpuMs = processCpuMs(gw.pid) - emptyBootCpuMs;
    const bootMs = connectedAt - gw.spawnedAt;
    const restoreMs = connectedAt - gw.healthyAt;
    await sleep(SETTLE_MS);
    const fullHeap = await gw.collectGarbage();
    const fullRss = gw.rssBytes();
    const perSession = (fullRss - emptyRss) / count;
    const heapPerSession = (fullHeap.heapUsed - emptyHeap.heapUsed) / count;
    const bench = '6 baileys';
    return {
      rows: [
        { bench, metric: `RSS per linked Baileys session (N=${fmt.count(count)})`, value: fmt.kib(perSession), baseline: `${fmt.mib(emptyRss)} empty`, ratio: fullRss / emptyRss, target: '' },
        { bench, metric: 'JS heap used per Baileys session', value: fmt.kib(heapPerSession), baseline: `${fmt.mib(emptyHeap.heapUsed)} empty`, ratio: fullHeap.heapUsed / emptyHeap.heapUsed, target: '' },
        { bench, metric: `restart: /health → all ${fmt.count(count)} connected`, value: fmt.seconds(restoreMs), baseline: '', target: '' },
        { bench, metric: `restart: spawn → all ${fmt.count(count)} connected`, value: fmt.seconds(bootMs), baseline: `${fmt.seconds(gw.healthyAt - gw.spawnedAt)} to /health`, target: '' },
        { bench, metric: 'restart: gateway CPU per restored session', value: fmt.ms(restoreCpuMs / count), baseline: `${fmt.ms(emptyBootCpuMs)} CPU empty boot`, target: '' },
        { bench, metric: `pair ${fmt.count(count)} by QR (8 at a time)`, value: fmt.seconds(pairMs), baseline: '', target: '' },
      ],
      notes: [
        `6 baileys: against the local emulator on loopback (no network latency, no history sync); RSS after ${SETTLE_MS / 1000} s idle and a forced GC; /api/instances polled every 50 ms as admin; the emulator shares the machine's 2 cores with the gateway.`,
      ],
    };
  } finally {
    await gw.destroy();
    await emulator.close();
  }
}

/** The emulated `phone` scans the QR code our API shows for `id`, then the session connects. */
async function pair(gw: Gateway, user: Auth, emulator: WhatsAppEmulator, id: string, phone: string): Promise<void> {
  const qr = await waitFor(`QR of ${id}`, 30_000, async () => {
    const res = await gw.api('GET', `/api/instances/${id}/qr`, { as: user });
    return res.status === 200 && (res.body.qrCode as string);
  }, 20);
  await emulator.scanQr(qr, phone);
  await waitConnected(gw, user, id, 30_000);
}
