import type { Auth, Gateway } from './gateway.js';
import { sleep } from './gateway.js';

/** Runs `work` over `items` with at most `concurrency` in flight; results keep the input order. */
export async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Polls until `check` is truthy; a bounded wait that names what it waited for. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined | false>, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

let users = 0;

/** A regular (non-admin) user, so every call pays the ownership check a customer pays. */
export async function createUser(gw: Gateway): Promise<Auth & { id: string }> {
  users += 1;
  const body = await gw.ok('POST', '/api/users', {
    as: gw.admin,
    body: { email: `bench${users}-${Date.now()}@bench.local`, password: 'bench-user-password-1', firstName: 'Bench', lastName: `User${users}`, role: 'user' },
  });
  return { id: body.id, apiKey: body.apiKey };
}

export async function createInstances(gw: Gateway, user: Auth, count: number, fields: Record<string, unknown> = {}, concurrency = 8): Promise<string[]> {
  const indexes = Array.from({ length: count }, (_, i) => i);
  return pool(indexes, concurrency, async (i) => {
    const body = await gw.ok('POST', '/api/instances', { as: user, body: { name: `bench ${i}`, ...fields } });
    return body.id as string;
  });
}

/** Links each instance by the simulator's scan route and waits until its status says ready. */
export async function linkInstances(gw: Gateway, user: Auth, ids: readonly string[], concurrency = 8): Promise<void> {
  await pool(ids, concurrency, async (id) => {
    await waitFor(`QR of ${id}`, 15_000, async () => (await gw.api('GET', `/api/whatsapp/${id}/status`, { as: user })).body?.hasQr === true, 20);
    await gw.ok('POST', `/api/simulator/instances/${id}/scan`, { as: user, body: {} });
  });
  await pool(ids, concurrency, (id) => waitConnected(gw, user, id));
}

export async function waitConnected(gw: Gateway, user: Auth, id: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(`${id} connected`, timeoutMs, async () => (await gw.api('GET', `/api/whatsapp/${id}/status`, { as: user })).body?.ready === true, 20);
}
