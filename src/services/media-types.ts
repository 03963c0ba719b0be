import mime from 'mime-types';
import type { MediaKind } from '../engines/engine.js';

export const FALLBACK_MIME = 'application/octet-stream';

/**
 * The original file name as metadata only: the last path segment, without control characters,
 * leading dots or characters that break headers, at most 200 characters. Never used as a path.
 */
export function sanitizeFileName(name: string | undefined | null): string | null {
  if (!name) return null;
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .replace(/[\p{Cc}\p{Cf}"<>|*?:]/gu, '')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned === '' ? null : cleaned;
}

/** RFC 6838 restricted-name: what a type or subtype may be. */
const MIME_NAME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
/** One parameter, `name=token` or `name="quoted"`, in printable ASCII only (RFC 9110). */
const MIME_PARAMETER = /^[a-z0-9!#$&^_.+-]{1,127}=([A-Za-z0-9!#$%&'*+.^_`|~-]{1,200}|"[\x20\x21\x23-\x5b\x5d-\x7e]{0,200}")$/;

/**
 * A media type as it may go into a Content-Type header: `type/subtype` in lower case with the
 * parameters that are well formed; undefined when the type itself is not. Senders choose these
 * strings, and one with CR/LF or non-Latin-1 characters, once stored, made every download of
 * its file a 500 (Node refuses such a header).
 */
export function sanitizeMimeType(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const [essence, ...parameters] = value.split(';');
  const [type, subtype, extra] = essence.trim().toLowerCase().split('/');
  if (extra !== undefined || !MIME_NAME.test(type) || !subtype || !MIME_NAME.test(subtype)) return undefined;
  const kept = parameters
    .map((p) => p.trim())
    .filter((p) => MIME_PARAMETER.test(p))
    .map((p) => {
      const at = p.indexOf('=');
      return `${p.slice(0, at).toLowerCase()}=${p.slice(at + 1)}`;
    });
  return [`${type}/${subtype}`, ...kept].join('; ');
}

/** The media type of a response or upload, or one guessed from a file name; lower-case. */
export function resolveMimeType(declared: string | undefined | null, ...names: Array<string | undefined | null>): string {
  const sanitized = sanitizeMimeType(declared);
  if (sanitized && sanitized.split(';')[0] !== FALLBACK_MIME) return sanitized;
  for (const name of names) {
    const guessed = name ? mime.lookup(name) : false;
    if (guessed) return guessed;
  }
  return FALLBACK_MIME;
}

/** How WhatsApp will show a file of this type. */
export function mediaKindOf(mimeType: string): MediaKind {
  const essence = mimeType.split(';')[0].trim().toLowerCase();
  if (essence === 'image/webp') return 'sticker';
  // WhatsApp cannot show vector images inline; they travel as files.
  if (essence.startsWith('image/') && essence !== 'image/svg+xml') return 'image';
  if (essence.startsWith('video/')) return 'video';
  if (essence.startsWith('audio/')) return 'audio';
  return 'document';
}
