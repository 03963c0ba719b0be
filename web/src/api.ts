/**
 * The dashboard's only way to the server. The session lives in an httpOnly cookie the browser
 * sends by itself; the custom header is what the server asks for before it trusts that cookie,
 * so a form or image on another site cannot use it (see docs/DASHBOARD.md).
 */
import type { ErrorBody, ErrorDetail, Success } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }

  /** The server has no such route: a feature this server does not offer (yet). */
  get notAvailable(): boolean {
    return this.status === 404 && /^Route \S+ \S+ not found$/.test(this.message);
  }
}

const HEADERS = { 'x-requested-with': 'dashboard' };

/** Told when a request comes back 401, with the server's reason, so the app can return to the sign-in page and say why. */
let onUnauthorized: (reason: string) => void = () => {};
export function setUnauthorizedHandler(handler: (reason: string) => void): void {
  onUnauthorized = handler;
}

/**
 * Whether the server is reachable and willing, as the last answer showed: the page shows a
 * banner for a refusal (429) or a lost connection instead of silently freezing on stale data.
 */
export type Reach = { state: 'ok' } | { state: 'limited'; retryAfterS: number } | { state: 'offline' };
let reach: Reach = { state: 'ok' };
const reachListeners = new Set<(reach: Reach) => void>();
export function onReachChange(listener: (reach: Reach) => void): () => void {
  reachListeners.add(listener);
  return () => void reachListeners.delete(listener);
}
function setReach(next: Reach): void {
  if (next.state === reach.state && (next.state !== 'limited' || (reach.state === 'limited' && next.retryAfterS === reach.retryAfterS))) return;
  reach = next;
  for (const listener of reachListeners) listener(reach);
}

async function send(method: string, url: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Response> {
  const headers: Record<string, string> = { ...HEADERS, ...extraHeaders };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    setReach({ state: 'offline' });
    throw new ApiError(0, 'The server cannot be reached: check the network connection.');
  }
  if (response.status === 429) setReach({ state: 'limited', retryAfterS: Number(response.headers.get('retry-after')) || 0 });
  else if (response.status < 500) setReach({ state: 'ok' });
  if (response.ok) return response;
  let message = `${response.status} ${response.statusText}`;
  let details: ErrorDetail[] = [];
  try {
    const json = (await response.json()) as Partial<ErrorBody & Success>;
    if (json.error) message = json.error;
    // The spec's `{success: false, message}` answers (a reconnect that did not connect).
    else if (json.success === false && json.message) message = json.message;
    if (Array.isArray(json.details)) details = json.details;
  } catch {
    // Not JSON (a proxy's error page): the status line is all there is to show.
  }
  if (response.status === 401 && !url.startsWith('/api/auth/login')) onUnauthorized(message);
  throw new ApiError(response.status, message, details);
}

export const api = {
  async get<T>(url: string): Promise<T> {
    return (await send('GET', url)).json() as Promise<T>;
  },
  async post<T>(url: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return (await send('POST', url, body ?? {}, headers)).json() as Promise<T>;
  },
  async put<T>(url: string, body: unknown): Promise<T> {
    return (await send('PUT', url, body)).json() as Promise<T>;
  },
  async del<T>(url: string): Promise<T> {
    return (await send('DELETE', url)).json() as Promise<T>;
  },
  /** A file the API serves (a message's media), as a Blob: the session cookie goes with it. */
  async blob(url: string): Promise<Blob> {
    return (await send('GET', url)).blob();
  },
};

export const enc = encodeURIComponent;

/** Builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
