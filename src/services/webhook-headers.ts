import { type ErrorDetail, ValidationError } from '../core/errors.js';

/**
 * Names a custom webhook header may not take: ours (a receiver must be able to trust them), and
 * the ones the HTTP client manages itself (hop-by-hop, framing, host).
 */
const RESERVED = /^(content-type|content-length|host|user-agent|x-webhook-.*|webhook-.*|connection|keep-alive|transfer-encoding|upgrade|expect|te|trailer|proxy-.*)$/i;

/** RFC 7230 `token`: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What the HTTP client sends as a header value: tab, visible ASCII and Latin-1, no CR, LF or NUL. */
const VALUE = /^[\t\x20-\x7e\x80-\xff]+$/;

export const MAX_HEADER_NAME = 200;
export const MAX_HEADER_VALUE = 4096;

export function isReservedHeader(name: string): boolean {
  return RESERVED.test(name);
}

function problemWith(name: string, value: string): string | undefined {
  if (name === '') return 'has an empty name';
  if (name.length > MAX_HEADER_NAME) return `name must be at most ${MAX_HEADER_NAME} characters`;
  if (!TOKEN.test(name)) return "name may contain only letters, digits and !#$%&'*+-.^_`|~ (no spaces or colons)";
  if (isReservedHeader(name)) return 'is a header the server sets itself (content-type, content-length, host, user-agent, x-webhook-*, webhook-*, hop-by-hop, proxy-*)';
  if (value === '') return 'must not be empty';
  if (value.length > MAX_HEADER_VALUE) return `must be at most ${MAX_HEADER_VALUE} characters`;
  if (!VALUE.test(value)) return 'may contain only printable Latin-1 characters and tabs (no CR, LF or NUL)';
  return undefined;
}

/**
 * Refuses custom webhook headers the HTTP client would reject or we would drop: every delivery of
 * the instance would otherwise fail (or silently lack the header) until its retries ran out.
 */
export function checkWebhookHeaders(headers: Record<string, string>): void {
  const details: ErrorDetail[] = [];
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const problem = problemWith(name, value);
    if (problem) details.push({ field: `headers.${name}`, message: problem });
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) details.push({ field: `headers.${name}`, message: `is the same header as ${first} (names are case-insensitive)` });
    else seen.set(name.toLowerCase(), name);
  }
  if (details.length) throw new ValidationError(`Invalid webhook headers: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
}
