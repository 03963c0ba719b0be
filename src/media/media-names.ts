import { randomUUID } from 'node:crypto';
import path from 'node:path';
import mime from 'mime-types';

/** `<uuid>` plus an optional short extension: the only names `newMediaName` ever produces. */
const STORED_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.[a-z0-9]{1,10})?$/;
const INSTANCE_ID = /^[A-Za-z0-9_-]{1,100}$/;
const FALLBACK_MIME = 'application/octet-stream';

/** The stored path of `file`, or undefined when the name is not one we could have made. */
export function mediaPathOf(instanceId: string, file: string): string | undefined {
  return STORED_NAME.test(file) && INSTANCE_ID.test(instanceId) ? `${instanceId}/${file}` : undefined;
}

/** `storedPath` split into its instance and file, or undefined when we could not have made it. */
export function parseMediaPath(storedPath: string): { instanceId: string; file: string } | undefined {
  const [instanceId = '', file = '', extra] = storedPath.split('/');
  return extra === undefined && mediaPathOf(instanceId, file) ? { instanceId, file } : undefined;
}

/** The instance's part of the store: a directory, or a key prefix without its slash. */
export function instanceSpace(instanceId: string): string {
  if (!INSTANCE_ID.test(instanceId)) throw new Error(`unsafe instance id for a media path: ${instanceId}`);
  return instanceId;
}

/** A fresh name, never the sender's: a UUID with an extension from the type, else a harmless one from the original name. */
export function newMediaName(mimeType: string, originalName?: string | null): string {
  return `${randomUUID()}${extensionFor(mimeType, originalName)}`;
}

function extensionFor(mimeType: string, originalName?: string | null): string {
  const essence = mimeType.split(';')[0].trim();
  const fromMime = essence === FALLBACK_MIME ? false : mime.extension(essence);
  if (fromMime && /^[a-z0-9]{1,10}$/.test(fromMime)) return `.${fromMime}`;
  const base = (originalName ?? '').split(/[/\\]/).pop() ?? '';
  const fromName = path.extname(base).slice(1).toLowerCase();
  return /^[a-z0-9]{1,10}$/.test(fromName) ? `.${fromName}` : '';
}
