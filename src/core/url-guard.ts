import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Agent } from 'undici';
import { ValidationError } from './errors.js';

/**
 * Requests made on a user's behalf (media URLs, webhooks) must not reach the server's own
 * network unless the operator allows it. The check runs on the address actually connected to,
 * inside the HTTP agent's DNS lookup, so a hostname that resolves (or re-resolves) to a private
 * address is refused too.
 */

export function parseHttpUrl(value: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(`${field} must be a valid URL`, [{ field, message: 'must be a valid URL' }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError(`${field} must use http or https`, [{ field, message: 'must use http or https' }]);
  }
  return url;
}

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    // IPv4-compatible addresses (::/96, deprecated) embed an IPv4 address that some stacks
    // still route to, and ipaddr.js calls them unicast: http://[::127.0.0.1]/ would pass.
    if (v6.parts.slice(0, 6).every((part) => part === 0)) return false;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/** Refuses a URL whose host is literally a private address or a local name, before any I/O. */
export function assertPublicUrl(url: URL, field: string, allowPrivate: boolean): void {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const local = host === 'localhost' || host.endsWith('.localhost') || (ipaddr.isValid(host) && !isPublicAddress(host));
  if (local) {
    throw new ValidationError(`${field} points to a private or loopback address, which this server does not call`, [
      { field, message: 'private and loopback addresses are not allowed (ALLOW_PRIVATE_URLS=false)' },
    ]);
  }
}

export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** An undici agent that refuses to connect to non-public addresses unless allowed. */
export function guardedAgent(allowPrivate: boolean, options: { connectTimeoutMs?: number } = {}): Agent {
  const lookup = (hostname: string, opts: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const allowed = allowPrivate ? list : list.filter((a) => isPublicAddress(a.address));
      if (allowed.length === 0) {
        return callback(new PrivateAddressError(`${hostname} resolves to a private or loopback address`), []);
      }
      const wantsAll = (opts as { all?: boolean }).all;
      if (wantsAll) return callback(null, allowed);
      return callback(null, allowed[0].address, allowed[0].family);
    });
  };
  return new Agent({ connect: { lookup: lookup as never, timeout: options.connectTimeoutMs ?? 10_000 } });
}
