import type { BenchContext } from './lib/context.js';
import { measureBare } from './lib/context.js';
import { createInstances, createUser, linkInstances } from './lib/fixtures.js';
import { Gateway } from './lib/gateway.js';
import { type LoadResult, measure } from './lib/load.js';
import { type BenchResult, fmt } from './lib/report.js';

const ROUNDS = 2;

/**
 * 1. What the gateway's HTTP stack costs (helmet, CORS, API-key auth, ownership check, the
 * session lookup, schemas) on its cheapest authenticated read, against a bare Fastify route
 * answering the same JSON. Rounds alternate bare/gateway so drift from the shared machine hits
 * both sides; the best round of each is kept.
 */
export async function httpOverhead(ctx: BenchContext): Promise<BenchResult> {
  const gw = await Gateway.start();
  try {
    const user = await createUser(gw);
    const [id] = await createInstances(gw, user, 1);
    await linkInstances(gw, user, [id]);
    const bareRounds: LoadResult[] = [await ctx.bareRate()];
    const gatewayRounds: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ctx.log(`http: gateway round ${round + 1}`);
      gatewayRounds.push(await measure({ url: `${gw.url}/api/whatsapp/${id}/status`, headers: { 'x-api-key': user.apiKey ?? '' } }, ctx.shape, { pid: gw.pid }));
      if (round < ROUNDS - 1) {
        ctx.log(`http: bare round ${round + 2}`);
        bareRounds.push(await measureBare(ctx.shape));
      }
    }
    // The same comparison on /health (no auth, no store) splits the cost: plugins and hooks
    // every request pays, versus auth, limits and ownership on the store.
    ctx.log('http: /health, gateway and bare');
    const gatewayHealth = await measure({ url: `${gw.url}/health` }, ctx.shape, { pid: gw.pid });
    const bareHealth = await measureBare(ctx.shape, '/health');
    const best = (runs: LoadResult[]) => runs.reduce((a, b) => (b.okPerSecond > a.okPerSecond ? b : a));
    const bare = best(bareRounds);
    const gateway = best(gatewayRounds);
    const ratio = gateway.okPerSecond / bare.okPerSecond;
    const cpu = (runs: LoadResult[]) => Math.min(...runs.map((r) => r.cpuMsPerRequest ?? Number.POSITIVE_INFINITY));
    const gatewayCpu = cpu(gatewayRounds);
    const bareCpu = cpu(bareRounds);
    const failures = gatewayRounds.reduce((n, r) => n + r.non2xx + r.errors, 0);
    return {
      rows: [
        { bench: '1 http', metric: 'GET status (API key), req/s', value: fmt.rate(gateway.okPerSecond), baseline: `${fmt.rate(bare.okPerSecond)} bare`, ratio, target: '≥ 0.50', met: ratio >= 0.5 && failures === 0 },
        { bench: '1 http', metric: 'server CPU per request (ratio: bare / gateway)', value: fmt.us(gatewayCpu), baseline: `${fmt.us(bareCpu)} bare`, ratio: bareCpu / gatewayCpu, target: '(≥ 0.50)', met: undefined },
        {
          bench: '1 http',
          metric: 'GET /health (no auth, no store): CPU per request',
          value: fmt.us(gatewayHealth.cpuMsPerRequest ?? Number.NaN),
          baseline: `${fmt.us(bareHealth.cpuMsPerRequest ?? Number.NaN)} bare`,
          ratio: (bareHealth.cpuMsPerRequest ?? Number.NaN) / (gatewayHealth.cpuMsPerRequest ?? Number.NaN),
          target: '',
        },
        { bench: '1 http', metric: 'latency p50 / p99', value: `${fmt.ms(gateway.p50)} / ${fmt.ms(gateway.p99)}`, baseline: `${fmt.ms(bare.p50)} / ${fmt.ms(bare.p99)}`, target: '' },
      ],
      notes: [
        `1 http: ${ctx.shape.connections} connections, ${ctx.shape.durationSeconds} s per round after ${ctx.shape.warmupSeconds} s warm-up, best of ${ROUNDS} rounds each side; ${failures} non-2xx/errors on the gateway.`,
      ],
    };
  } finally {
    await gw.destroy();
  }
}
