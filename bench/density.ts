import type { BenchContext } from './lib/context.js';
import { createInstances, createUser, linkInstances, waitFor } from './lib/fixtures.js';
import { Gateway, SERVER_MODE, sleep } from './lib/gateway.js';
import { type BenchResult, fmt } from './lib/report.js';

const SETTLE_MS = 3000;

/**
 * 5. What an idle linked instance costs in memory, and how long a restart takes to bring every
 * linked instance back. Memory is read from /proc after a full GC forced through the inspector
 * (three passes), first on the empty server, then on a fresh process that restored N instances:
 * both processes went through the same start-up, so the difference is the instances.
 */
export async function density(ctx: BenchContext): Promise<BenchResult> {
  const count = ctx.quick ? 50 : 1000;
  let gw = await Gateway.start({ inspect: true });
  try {
    const emptyBootMs = gw.healthyAt - gw.spawnedAt;
    await sleep(SETTLE_MS);
    const emptyHeap = await gw.collectGarbage();
    const emptyRss = gw.rssBytes();

    ctx.log(`density: creating and linking ${count}`);
    const user = await createUser(gw);
    const ids = await createInstances(gw, user, count);
    await linkInstances(gw, user, ids);

    ctx.log('density: restart');
    gw = await gw.restart();
    const admin = gw.admin;
    const connectedAt = await waitFor(`${count} instances connected after restart`, 120_000, async () => {
      const list = await gw.ok('GET', '/api/instances', { as: admin });
      const ready = list.instances.filter((i: { connectionStatus?: { ready?: boolean } }) => i.connectionStatus?.ready === true).length;
      return ready >= count ? performance.now() : false;
    }, 100);
    const bootMs = connectedAt - gw.spawnedAt;
    const healthyMs = gw.healthyAt - gw.spawnedAt;
    await sleep(SETTLE_MS);
    const fullHeap = await gw.collectGarbage();
    const fullRss = gw.rssBytes();
    const perInstance = (fullRss - emptyRss) / count;
    const heapPerInstance = (fullHeap.heapUsed - emptyHeap.heapUsed) / count;
    return {
      rows: [
        { bench: '5 density', metric: `RSS per idle linked instance (N=${fmt.count(count)})`, value: fmt.kib(perInstance), baseline: `${fmt.mib(emptyRss)} empty`, ratio: fullRss / emptyRss, target: '≤ 100 KiB', met: perInstance <= 100 * 1024 },
        { bench: '5 density', metric: 'JS heap used per instance', value: fmt.kib(heapPerInstance), baseline: `${fmt.mib(emptyHeap.heapUsed)} empty`, ratio: fullHeap.heapUsed / emptyHeap.heapUsed, target: '' },
        { bench: '5 density', metric: `boot: spawn → all ${fmt.count(count)} connected`, value: fmt.seconds(bootMs), baseline: `${fmt.seconds(emptyBootMs)} empty`, ratio: bootMs / emptyBootMs, target: '≤ 5 s', met: bootMs <= 5000 },
        { bench: '5 density', metric: 'boot: spawn → /health answers', value: fmt.seconds(healthyMs), baseline: `${fmt.seconds(emptyBootMs)} empty`, target: '' },
      ],
      notes: [
        `5 density: RSS after ${SETTLE_MS / 1000} s idle and a forced GC; RSS ratio = with N / empty; server ${SERVER_MODE === 'tsx' ? 'run by tsx (boot includes compiling src/)' : 'compiled by tsc before the run'}; /api/instances polled every 100 ms as admin.`,
      ],
    };
  } finally {
    await gw.destroy();
  }
}
