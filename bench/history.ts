import path from 'node:path';
import { Pool } from 'undici';
import type { BenchContext } from './lib/context.js';
import { startBare } from './lib/bare.js';
import { createInstances, createUser } from './lib/fixtures.js';
import { type Auth, Gateway } from './lib/gateway.js';
import { type BenchResult, fmt, percentile, type Row } from './lib/report.js';
import { chatJid, seedSqlite } from './lib/seed.js';

const INSTANCES = 10;
const MESSAGES_PER_CHAT = 1000;
const PAGE = 50;
const DEEP_SKIP = 900;

interface Scale {
  label: string;
  messages: number;
}

interface Latencies {
  p50: number;
  p99: number;
}

type Query = 'first page' | 'deep page' | 'events feed';
const QUERIES: Query[] = ['first page', 'deep page', 'events feed'];

/**
 * 4. Reads at scale: the same sequential requests against a store of 10k and of 1M messages
 * (1,000 per chat, chats spread over 10 instances, as many events as messages), so the figure
 * shows what the size of the store costs a reader. Baseline: the bare route, same client.
 */
export async function history(ctx: BenchContext): Promise<BenchResult> {
  const requests = ctx.quick ? 200 : 2000;
  const scales: Scale[] = ctx.quick ? [{ label: '1k', messages: 10_000 / 10 }, { label: '10k', messages: 10_000 }] : [{ label: '10k', messages: 10_000 }, { label: '1M', messages: 1_000_000 }];
  const notes: string[] = [];

  const bare = await startBare();
  const bareLatency = await timeSequential(bare.url, requests, () => '/api/whatsapp/bench/status', {});
  await bare.stop();

  const results = new Map<string, Map<Query, Latencies>>();
  for (const scale of scales) {
    ctx.log(`history: seeding ${scale.label}`);
    const { figures, seedSeconds } = await runScale(scale, requests);
    results.set(scale.label, figures);
    notes.push(`4 history ${scale.label}: seeded ${fmt.count(scale.messages)} messages and ${fmt.count(scale.messages)} events in ${seedSeconds.toFixed(1)} s.`);
  }

  const [small, large] = scales.map((s) => results.get(s.label) as Map<Query, Latencies>);
  const big = scales[1].label;
  const rows: Row[] = [
    { bench: '4 history', metric: `bare route, sequential p50 / p99`, value: '', baseline: `${fmt.ms(bareLatency.p50)} / ${fmt.ms(bareLatency.p99)}`, target: '' },
  ];
  for (const query of QUERIES) {
    const a = small.get(query) as Latencies;
    const b = large.get(query) as Latencies;
    const growth = b.p99 / a.p99;
    rows.push({
      bench: `4 history ${big}`,
      metric: `${query} p50 / p99`,
      value: `${fmt.ms(b.p50)} / ${fmt.ms(b.p99)}`,
      baseline: `${fmt.ms(a.p50)} / ${fmt.ms(a.p99)} at ${scales[0].label}`,
      ratio: growth,
      target: 'p99 ≤ 5 ms, ≤ 2×',
      met: b.p99 <= 5 && growth <= 2,
    });
  }
  notes.push(`4 history: ${fmt.count(requests)} sequential requests per query over one keep-alive connection, random instance and chat each time; first page = limit ${PAGE}, deep page = skip ${DEEP_SKIP} of ${MESSAGES_PER_CHAT}, events feed = since a random event time, limit ${PAGE}; ratio = p99 at ${big} / p99 at ${scales[0].label}.`);
  return { rows, notes };
}

async function runScale(scale: Scale, requests: number): Promise<{ figures: Map<Query, Latencies>; seedSeconds: number }> {
  let gw = await Gateway.start();
  try {
    const user = await createUser(gw);
    const ids = await createInstances(gw, user, INSTANCES);
    await gw.stop();
    const perInstance = scale.messages / INSTANCES;
    const chatsPerInstance = Math.max(1, Math.round(perInstance / MESSAGES_PER_CHAT));
    const messagesPerChat = perInstance / chatsPerInstance;
    const t0 = Date.now() - (perInstance + 3600) * 1000;
    const seedStart = performance.now();
    seedSqlite(path.join(gw.dataDir, 'bench.db'), { instanceIds: ids, chatsPerInstance, messagesPerChat, eventsPerInstance: perInstance, t0 });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    gw = await gw.restart();

    const random = (n: number) => Math.floor(Math.random() * n);
    const chatUrl = (skip: number) => `/api/instances/${ids[random(ids.length)]}/chats/${encodeURIComponent(chatJid(random(chatsPerInstance)))}/messages?limit=${PAGE}&skip=${skip}`;
    const deepSkip = Math.min(DEEP_SKIP, messagesPerChat - PAGE);
    const paths: Record<Query, () => string> = {
      'first page': () => chatUrl(0),
      'deep page': () => chatUrl(deepSkip),
      'events feed': () => `/api/instances/${ids[random(ids.length)]}/events?limit=${PAGE}&since=${encodeURIComponent(new Date(t0 + random(perInstance - PAGE) * 1000).toISOString())}`,
    };
    await expectFullPages(gw, user, paths);
    const figures = new Map<Query, Latencies>();
    for (const query of QUERIES) figures.set(query, await timeSequential(gw.url, requests, paths[query], user));
    return { figures, seedSeconds };
  } finally {
    await gw.destroy();
  }
}

/** A benchmark of empty answers would measure nothing: each query must return a full page. */
async function expectFullPages(gw: Gateway, user: Auth, paths: Record<Query, () => string>): Promise<void> {
  for (const query of QUERIES) {
    const body = await gw.ok('GET', paths[query](), { as: user });
    const items = body.messages ?? body.events;
    if (!Array.isArray(items) || items.length !== PAGE) throw new Error(`${query}: expected ${PAGE} items, got ${Array.isArray(items) ? items.length : JSON.stringify(body).slice(0, 200)}`);
  }
}

/** Sequential GETs over one keep-alive connection, after a warm-up of a tenth as many. */
async function timeSequential(origin: string, count: number, next: () => string, auth: Auth): Promise<Latencies> {
  const pool = new Pool(origin, { connections: 1 });
  const headers: Record<string, string> = auth.apiKey ? { 'x-api-key': auth.apiKey } : {};
  const one = async () => {
    const started = performance.now();
    const res = await pool.request({ method: 'GET', path: next(), headers });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`GET → ${res.statusCode}`);
    return performance.now() - started;
  };
  try {
    for (let i = 0; i < Math.ceil(count / 10); i++) await one();
    const times: number[] = [];
    for (let i = 0; i < count; i++) times.push(await one());
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  } finally {
    await pool.close();
  }
}
