import { randomBytes } from 'node:crypto';
import { waitConnected, waitFor } from './fixtures.js';
import { type Auth, type Gateway, sleep } from './gateway.js';

/** A customer's two ways in: the API key for sends and history, a JWT for the rest. */
export interface SoakUser {
  apiKey: Auth;
  jwt: Auth;
}

export interface LaneShape {
  /** Iterations per second of one lane; each sends one message and receives one. */
  rate: number;
  durationMs: number;
  /** Every n-th inbound message carries a file; the others are text. */
  mediaEvery: number;
  /** Every n-th iteration reads a history page and an events-feed page. */
  readEvery: number;
}

/** What the lanes did, for the report and the verdict. */
export class SoakTally {
  sends = 0;
  inbound = 0;
  inboundMedia = 0;
  reads = 0;
  reconnects = 0;
  relinks = 0;
  /** Relinks that had to start again (a QR code expired, a scan came too late). */
  relinkRetries = 0;
  /** Iterations that started later than their slot: the gateway (or machine) fell behind. */
  late = 0;
  readonly errors = new Map<string, number>();
  /** Per lane, the sequence numbers of the marked inbound messages the gateway accepted. */
  readonly sentInbound = new Map<number, number[]>();

  error(what: string): void {
    this.errors.set(what, (this.errors.get(what) ?? 0) + 1);
  }

  get errorCount(): number {
    return [...this.errors.values()].reduce((a, b) => a + b, 0);
  }
}

// A small file, not an image: the simulator stores any type, and a document needs no decoding.
const FILE = randomBytes(4096).toString('base64');
const RECIPIENT = (lane: number) => `7900888${String(lane).padStart(4, '0')}`;
const PEER = (lane: number) => `7900777${String(lane).padStart(4, '0')}`;

/**
 * One instance's traffic for the whole run, at a steady pace: a send (API key), an inbound
 * message through the simulator (JWT; every `mediaEvery`-th with a file), now and then a history
 * and an events-feed read; two reconnects (at 30% and 60% of the run) and one logout and relink
 * (at 45%). The lane does these itself, between its messages, so no message of its own races
 * them; lanes are staggered so they do not all reconnect at once.
 */
export async function runLane(gw: Gateway, user: SoakUser, id: string, lane: number, lanes: number, shape: LaneShape, tally: SoakTally): Promise<void> {
  const started = performance.now();
  const stagger = (lane / lanes) * 0.1;
  const chores = [
    { at: 0.3 + stagger, run: () => reconnect(gw, user, id, tally) },
    { at: 0.45 + stagger, run: () => relink(gw, user, id, tally) },
    { at: 0.6 + stagger, run: () => reconnect(gw, user, id, tally) },
  ];
  const sent: number[] = [];
  tally.sentInbound.set(lane, sent);
  const period = 1000 / shape.rate;
  for (let k = 0; ; k++) {
    const slot = started + k * period;
    const now = performance.now();
    if (now - started >= shape.durationMs) return;
    if (slot > now) await sleep(slot - now);
    else if (now - slot > period) tally.late += 1;
    const elapsed = (performance.now() - started) / shape.durationMs;
    while (chores.length > 0 && chores[0].at <= elapsed) await chores.shift()!.run().catch((error: Error) => tally.error(error.message));

    await call(gw, tally, 'send', 'POST', `/api/whatsapp/${id}/send`, user.apiKey, { phone: RECIPIENT(lane), message: `soak send ${lane}-${k}` }).then((ok) => ok && (tally.sends += 1));
    const media = k % shape.mediaEvery === shape.mediaEvery - 1;
    const mark = `soak-${lane}-${k}`;
    const body = media
      ? { from: PEER(lane), pushName: 'Soak', media: { kind: 'document', base64: FILE, mimeType: 'application/octet-stream', fileName: `${mark}.bin`, caption: mark } }
      : { from: PEER(lane), pushName: 'Soak', text: mark };
    if (await call(gw, tally, media ? 'inbound media' : 'inbound', 'POST', `/api/simulator/instances/${id}/inbound`, user.jwt, body)) {
      sent.push(k);
      tally.inbound += 1;
      if (media) tally.inboundMedia += 1;
    }
    if (k % shape.readEvery === 0) {
      const history = call(gw, tally, 'history', 'GET', `/api/instances/${id}/chats/${PEER(lane)}/messages?limit=20`, user.apiKey);
      const events = call(gw, tally, 'events feed', 'GET', `/api/instances/${id}/events?limit=20`, user.jwt);
      if ((await history) && (await events)) tally.reads += 2;
    }
  }
}

async function call(gw: Gateway, tally: SoakTally, what: string, method: string, path: string, as: Auth, body?: unknown): Promise<boolean> {
  try {
    const res = await gw.api(method, path, { as, body });
    if (res.status >= 200 && res.status < 300) return true;
    tally.error(`${what} → ${res.status}`);
  } catch (error) {
    tally.error(`${what} → ${error instanceof Error ? error.message : String(error)}`);
  }
  return false;
}

const RELINK_ATTEMPTS = 3;

/**
 * Reconnect and wait for the connection. A 504 says the instance is still connecting (a busy
 * gateway takes longer than the route's 10 s), so the wait goes on instead of giving up.
 */
async function reconnect(gw: Gateway, user: SoakUser, id: string, tally: SoakTally): Promise<void> {
  const res = await gw.api('POST', `/api/instances/${id}/reconnect`, { as: user.jwt });
  if (res.status !== 200 && res.status !== 504) throw new Error(`reconnect → ${res.status}`);
  await waitConnected(gw, user.jwt, id, 60_000);
  tally.reconnects += 1;
}

/**
 * Logout wipes the session; reconnect brings a logged-out instance back to a QR code, and the
 * simulator's scan links it again, as a phone scanning that code. A QR code can expire before
 * the scan on a loaded machine; then the relink starts again from the reconnect.
 */
async function relink(gw: Gateway, user: SoakUser, id: string, tally: SoakTally): Promise<void> {
  if (!(await call(gw, tally, 'logout', 'POST', `/api/instances/${id}/logout`, user.jwt))) return;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await gw.api('POST', `/api/instances/${id}/reconnect`, { as: user.jwt });
      if (res.status !== 200 && res.status !== 504) throw new Error(`reconnect after logout → ${res.status}`);
      await waitFor(`QR of ${id} after logout`, 60_000, async () => (await gw.api('GET', `/api/whatsapp/${id}/status`, { as: user.jwt })).body?.hasQr === true, 100);
      const scan = await gw.api('POST', `/api/simulator/instances/${id}/scan`, { as: user.jwt, body: {} });
      if (scan.status !== 200) throw new Error(`relink scan → ${scan.status}`);
      await waitConnected(gw, user.jwt, id, 60_000);
      tally.relinks += 1;
      return;
    } catch (error) {
      if (attempt === RELINK_ATTEMPTS) throw error;
      tally.relinkRetries += 1;
    }
  }
}
