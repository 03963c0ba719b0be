import { randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mime from 'mime-types';
import type { MediaKind } from '../engines/engine.js';

/** A file in the media dir; `path` is relative to it and is what message rows keep. */
export interface StoredMedia {
  /** `<uuid><ext>`: the name in URLs. */
  file: string;
  path: string;
  size: number;
}

/** `<uuid>` plus an optional short extension: the only names `save` ever produces. */
const STORED_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.[a-z0-9]{1,10})?$/;
const INSTANCE_DIR = /^[A-Za-z0-9_-]{1,100}$/;
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

/** Files under `<DATA_DIR>/media/<instanceId>/`, named by us, never by the sender. */
export class MediaStore {
  constructor(private readonly root: string) {}

  async save(instanceId: string, data: Buffer, mimeType: string, originalName?: string | null): Promise<StoredMedia> {
    const dir = this.instanceDir(instanceId);
    const file = `${randomUUID()}${extensionFor(mimeType, originalName)}`;
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, file), data, { flag: 'wx' });
    return { file, path: `${instanceId}/${file}`, size: data.length };
  }

  /** The stored path of `file`, or undefined when the name is not one `save` could have made. */
  pathOf(instanceId: string, file: string): string | undefined {
    return STORED_NAME.test(file) && INSTANCE_DIR.test(instanceId) ? `${instanceId}/${file}` : undefined;
  }

  /** Opens a stored file; undefined when it is gone. */
  async open(storedPath: string): Promise<{ stream: ReadStream; size: number } | undefined> {
    const [instanceId, file] = storedPath.split('/');
    if (!this.pathOf(instanceId ?? '', file ?? '')) return undefined;
    const full = path.join(this.instanceDir(instanceId), file);
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return { stream: createReadStream(full), size: info.size };
  }

  async remove(storedPath: string): Promise<void> {
    const [instanceId, file] = storedPath.split('/');
    if (!this.pathOf(instanceId ?? '', file ?? '')) return;
    await rm(path.join(this.instanceDir(instanceId), file), { force: true });
  }

  /** Removes every file of an instance (the instance is being deleted). */
  async removeInstance(instanceId: string): Promise<void> {
    await rm(this.instanceDir(instanceId), { recursive: true, force: true });
  }

  private instanceDir(instanceId: string): string {
    if (!INSTANCE_DIR.test(instanceId)) throw new Error(`unsafe instance id for a media path: ${instanceId}`);
    return path.join(this.root, instanceId);
  }
}

/** The extension for a generated name: from the media type, else from the original name if harmless. */
function extensionFor(mimeType: string, originalName?: string | null): string {
  const essence = mimeType.split(';')[0].trim();
  const fromMime = essence === FALLBACK_MIME ? false : mime.extension(essence);
  if (fromMime && /^[a-z0-9]{1,10}$/.test(fromMime)) return `.${fromMime}`;
  const fromName = path.extname(sanitizeFileName(originalName) ?? '').slice(1).toLowerCase();
  return /^[a-z0-9]{1,10}$/.test(fromName) ? `.${fromName}` : '';
}
