import { type BenchContext, POSTGRES_URL } from './lib/context.js';
import { createInstances, createUser, linkInstances, pool, waitFor } from './lib/fixtures.js';
import { type Auth, Gateway } from './lib/gateway.js';
import { measure } from './lib/load.js';
import { type BenchResult, fmt, type Row } from './lib/report.js';
import { floorCpuRow, floorRow } from './storage-floor.js';
import { freshSchema } from '../test/support/postgres.js';

const INSTANCES = 10;
const RECIPIENT = '79005550100';
const ACKED = new Set(['sent', 'delivered', 'read', 'played']);
/** Far above what 10 connections can send in a run: a bound on the verification's paging. */
const MAX_HISTORY = 1_000_000;

interface Sent {
  instanceId: string;
  messageId: string;
}

/**
 * 2. The send path under load: auth, ownership, limits, the engine send, the stored row and its
 * event, spread over linked simulator instances. A send counts only when its id is afterwards
 * found in the chat history with an engine ack (status ≥ sent).
 */
export async function sendPath(ctx: BenchContext): Promise<BenchResult> {
  const bare = await ctx.bareRate();
  // Measured before any gateway starts, so nothing else competes for the machine.
  const floors = { sqlite: await ctx.storageFloor('send', 'sqlite'), postgres: await ctx.storageFloor('send', 'postgres') };
  const rows: Row[] = [];
  const notes: string[] = [];
  const rates: Partial<Record<'sqlite' | 'postgres', number>> = {};
  for (const provider of ['sqlite', 'postgres'] as const) {
    let env: Record<string, string> = {};
    let drop: (() => Promise<void>) | undefined;
    if (provider === 'postgres') {
      const schema = await freshSchema(POSTGRES_URL, 'bench').catch(() => undefined);
      if (!schema) {
        notes.push('2 send: PostgreSQL unreachable, PG variant skipped.');
        continue;
      }
      env = { DATABASE_PROVIDER: 'postgres', DATABASE_URL: schema.url };
      drop = schema.drop;
    }
    ctx.log(`send: ${provider}`);
    let gw: Gateway | undefined;
    try {
      gw = await Gateway.start({ env });
      const result = await sendRun(ctx, gw);
      const rate = result.acked / result.seconds;
      rates[provider] = rate;
      const ratio = rate / bare.okPerSecond;
      const sqlite = provider === 'sqlite';
      rows.push(
        {
          bench: `2 send ${provider}`,
          metric: 'POST send, stored + acked/s',
          value: fmt.rate(result.acked / result.seconds),
          baseline: `${fmt.rate(bare.okPerSecond)} bare`,
          ratio,
          target: sqlite ? '≥ 0.20' : '(info)',
          met: sqlite ? ratio >= 0.2 : undefined,
        },
        floorRow(`2 send ${provider}`, 'POST send, stored + acked/s ÷ raw storage', rate, floors[provider]?.perSecond, sqlite ? 0.3 : undefined),
        {
          bench: `2 send ${provider}`,
          metric: 'errors / lost / unacked',
          value: `${result.errors} / ${result.lost} / ${result.unacked}`,
          baseline: `${fmt.count(result.ok)} × 200`,
          target: '0 / 0 / 0',
          met: result.errors === 0 && result.lost === 0 && result.unacked === 0,
        },
        {
          bench: `2 send ${provider}`,
          metric: 'server CPU per send (ratio: bare / gateway)',
          value: fmt.us(result.cpuMs ?? Number.NaN),
          baseline: `${fmt.us(bare.cpuMsPerRequest ?? Number.NaN)} bare`,
          ratio: (bare.cpuMsPerRequest ?? Number.NaN) / (result.cpuMs ?? Number.NaN),
          target: '(≥ 0.20)',
        },
        floorCpuRow(`2 send ${provider}`, 'server CPU per send (ratio: raw floor / gateway)', result.cpuMs, floors[provider]?.cpuMs),
        { bench: `2 send ${provider}`, metric: 'latency p50 / p99', value: `${fmt.ms(result.p50)} / ${fmt.ms(result.p99)}`, baseline: '', target: '' },
      );
    } catch (error) {
      // One provider failing must not hide the other's figures.
      rows.push({ bench: `2 send ${provider}`, metric: 'FAILED', value: '', baseline: '', target: '', met: false });
      notes.push(`2 send ${provider} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await gw?.destroy();
      await drop?.();
    }
  }
  if (rates.sqlite !== undefined && rates.postgres !== undefined) {
    const ratio = rates.postgres / rates.sqlite;
    rows.push({ bench: '2 send postgres', metric: 'stored + acked/s, PostgreSQL ÷ SQLite', value: fmt.rate(rates.postgres), baseline: `${fmt.rate(rates.sqlite)} SQLite`, ratio, target: '≥ 0.60', met: ratio >= 0.6 });
  }
  notes.push(`2 send: ${INSTANCES} linked simulator instances, one user's API key, ${ctx.shape.connections} connections, ${ctx.shape.durationSeconds} s after warm-up; simulator ack 1 ms, delivery 5 ms, read 10 ms; verified through the history route after the run.`);
  return { rows, notes };
}

async function sendRun(ctx: BenchContext, gw: Gateway) {
  const user = await createUser(gw);
  const ids = await createInstances(gw, user, INSTANCES);
  await linkInstances(gw, user, ids);
  const sent: Sent[] = [];
  let counting = false;
  let turn = 0;
  const body = JSON.stringify({ phone: RECIPIENT, message: 'benchmark message' });
  const load = await measure(
    {
      url: gw.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': user.apiKey ?? '' },
      requests: [
        {
          method: 'POST',
          body,
          setupRequest: (request, context: { instanceId?: string }) => {
            context.instanceId = ids[turn++ % ids.length];
            return { ...request, path: `/api/whatsapp/${context.instanceId}/send` };
          },
          onResponse: (status, responseBody, context: { instanceId?: string }) => {
            if (counting && status === 200 && context.instanceId) sent.push({ instanceId: context.instanceId, messageId: JSON.parse(responseBody).id });
          },
        },
      ],
    },
    ctx.shape,
    { pid: gw.pid, beforeMeasured: () => (counting = true) },
  );
  let stored = new Map<string, string>();
  const key = (s: Sent) => `${s.instanceId}/${s.messageId}`;
  const unackedCount = () => sent.filter((s) => !ACKED.has(stored.get(key(s)) ?? '')).length;
  await waitFor('every sent message acked', ctx.quick ? 10_000 : 30_000, async () => {
    stored = await historyStatuses(gw, user, ids);
    return unackedCount() === 0;
  }, 250).catch(() => undefined);
  const lost = sent.filter((s) => !stored.has(key(s))).length;
  return {
    ok: load.ok,
    errors: load.non2xx + load.errors,
    acked: sent.length - unackedCount(),
    lost,
    unacked: unackedCount() - lost,
    seconds: load.seconds,
    p50: load.p50,
    p99: load.p99,
    cpuMs: load.cpuMsPerRequest,
  };
}

/** `instanceId/messageId` → status of every message in each instance's chat with the recipient. */
async function historyStatuses(gw: Gateway, user: Auth, ids: string[]): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  await pool(ids, 4, async (id) => {
    for (let skip = 0; skip < MAX_HISTORY; skip += 1000) {
      const page = await gw.ok('GET', `/api/instances/${id}/chats/${RECIPIENT}/messages?limit=1000&skip=${skip}`, { as: user });
      for (const m of page.messages) statuses.set(`${id}/${m.messageId}`, m.status);
      if (!page.pagination.hasMore) break;
    }
  });
  return statuses;
}
