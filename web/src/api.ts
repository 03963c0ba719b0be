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

/** Told when a request comes back 401, so the app can return to the sign-in page. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

async function send(method: string, url: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Response> {
  const headers: Record<string, string> = { ...HEADERS, ...extraHeaders };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
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
  if (response.status === 401 && !url.startsWith('/api/auth/login')) onUnauthorized();
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
};

export const enc = encodeURIComponent;

/** Builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
