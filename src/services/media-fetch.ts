import path from 'node:path';
import { type Agent, request } from 'undici';
import { BadGatewayError, PayloadTooLargeError, ValidationError } from '../core/errors.js';
import { assertPublicUrl, guardedAgent, parseHttpUrl } from '../core/url-guard.js';

export interface FetchedMedia {
  data: Buffer;
  /** From the response, or guessed by the caller when absent. */
  contentType?: string;
  /** The last path segment of the final URL, as a hint for the name and type. */
  urlFileName?: string;
}

export interface MediaFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  allowPrivateUrls: boolean;
}

const MAX_REDIRECTS = 5;
const FIELD = 'url';

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The media at url is larger than the ${maxBytes}-byte limit (MEDIA_MAX_BYTES)`, [
    { field: FIELD, message: `larger than ${maxBytes} bytes` },
  ]);
}

function refused(message: string): ValidationError {
  return new ValidationError(`url ${message}`, [{ field: FIELD, message }]);
}

function errorCode(error: unknown): string | undefined {
  let current = error as { code?: string; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current.code && current.code !== 'UND_ERR_CONNECT') return current.code;
    current = current.cause as typeof current;
  }
  return (error as { code?: string } | undefined)?.code;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Downloads media a user asked us to send. Every hop (redirects included) is checked against
 * private addresses, the whole fetch has one deadline, and the body is streamed with a hard cap
 * so a huge or endless response costs at most `maxBytes` of memory.
 */
export class MediaFetcher {
  private readonly agent: Agent;

  constructor(private readonly options: MediaFetchOptions) {
    this.agent = guardedAgent(options.allowPrivateUrls, { connectTimeoutMs: options.timeoutMs });
  }

  /** Refuses a URL that is malformed or names a private address, before any I/O. */
  check(rawUrl: string): URL {
    const url = parseHttpUrl(rawUrl, FIELD);
    assertPublicUrl(url, FIELD, this.options.allowPrivateUrls);
    return url;
  }

  async fetch(rawUrl: string): Promise<FetchedMedia> {
    let url = this.check(rawUrl);
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      for (let hop = 0; ; hop++) {
        assertPublicUrl(url, FIELD, this.options.allowPrivateUrls);
        const response = await request(url, { method: 'GET', dispatcher: this.agent, signal, headers: { accept: '*/*' } });
        const location = response.headers.location;
        if (response.statusCode >= 300 && response.statusCode < 400 && location) {
          await response.body.dump();
          if (hop >= MAX_REDIRECTS) throw new BadGatewayError(`url redirected more than ${MAX_REDIRECTS} times`);
          url = parseHttpUrl(new URL(String(location), url).toString(), FIELD);
          continue;
        }
        if (response.statusCode < 200 || response.statusCode >= 300) {
          await response.body.dump();
          const message = `answered HTTP ${response.statusCode} instead of the media`;
          if (response.statusCode >= 500) throw new BadGatewayError(`url ${message}`, [{ field: FIELD, message }]);
          throw refused(message);
        }
        // Cutting a body short aborts it; the abort itself is expected, not an error to report.
        response.body.on('error', () => {});
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > this.options.maxBytes) {
          response.body.destroy();
          throw tooLarge(this.options.maxBytes);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length;
          if (size > this.options.maxBytes) {
            response.body.destroy();
            throw tooLarge(this.options.maxBytes);
          }
          chunks.push(chunk as Buffer);
        }
        const contentType = response.headers['content-type'];
        const lastSegment = decodeSegment(path.posix.basename(url.pathname));
        return {
          data: Buffer.concat(chunks, size),
          contentType: typeof contentType === 'string' ? contentType : undefined,
          urlFileName: lastSegment || undefined,
        };
      }
    } catch (error) {
      throw this.explain(error, signal);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private explain(error: unknown, signal: AbortSignal): unknown {
    if (error instanceof ValidationError || error instanceof PayloadTooLargeError || error instanceof BadGatewayError) return error;
    if (signal.aborted) return new BadGatewayError(`url did not deliver the media within ${this.options.timeoutMs} ms (MEDIA_FETCH_TIMEOUT_MS)`);
    const code = errorCode(error);
    if (code === 'EPRIVATEADDRESS') return refused('resolves to a private or loopback address, which this server does not call (ALLOW_PRIVATE_URLS=false)');
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return refused('host could not be resolved');
    return new BadGatewayError(`url could not be fetched: ${code ?? (error instanceof Error ? error.message : 'network error')}`);
  }
}
