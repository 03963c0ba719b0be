import type { AddressInfo } from 'node:net';

/**
 * The line a new user reads after `npm start`: where the dashboard and the API docs are and which
 * account signs in. A wildcard host is shown as localhost, the address a browser on the same
 * machine can open.
 */
export function startupMessage(host: string, address: AddressInfo | string | null, adminEmail: string): string {
  const port = typeof address === 'object' && address ? address.port : undefined;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const base = `http://${shown}${port === undefined ? '' : `:${port}`}`;
  return `Ready. Dashboard: ${base}/ · API docs: ${base}/docs · admin account: ${adminEmail}`;
}
