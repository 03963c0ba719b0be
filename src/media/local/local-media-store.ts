import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { MediaInput, MediaStore, OpenedFile, StoredMedia } from '../media-store.js';
import { instanceSpace, newMediaName, parseMediaPath } from '../media-names.js';
import { sizeCap, tooLarge } from '../size-cap.js';

/** Files under `<root>/<instanceId>/` (`root` is `<DATA_DIR>/media`): one node's own disk. */
export class LocalMediaStore implements MediaStore {
  constructor(
    private readonly root: string,
    private readonly maxBytes: number,
  ) {}

  async save(instanceId: string, input: MediaInput): Promise<StoredMedia> {
    const dir = path.join(this.root, instanceSpace(instanceId));
    const file = newMediaName(input.mimeType, input.originalName);
    const full = path.join(dir, file);
    await mkdir(dir, { recursive: true });
    if (Buffer.isBuffer(input.data)) {
      if (input.data.length > this.maxBytes) throw tooLarge(input.data.length, this.maxBytes);
      await writeFile(full, input.data, { flag: 'wx' });
    } else {
      try {
        await pipeline(input.data, sizeCap(this.maxBytes), createWriteStream(full, { flags: 'wx' }));
      } catch (error) {
        await rm(full, { force: true });
        throw error;
      }
    }
    const { size } = await stat(full);
    return { file, path: `${instanceId}/${file}`, size };
  }

  async open(storedPath: string): Promise<OpenedFile | undefined> {
    const full = this.fullPath(storedPath);
    const info = await this.fileStat(full);
    return full && info ? { stream: createReadStream(full), size: info.size } : undefined;
  }

  async stat(storedPath: string): Promise<{ size: number } | undefined> {
    const info = await this.fileStat(this.fullPath(storedPath));
    return info && { size: info.size };
  }

  async remove(storedPath: string): Promise<void> {
    const full = this.fullPath(storedPath);
    if (full) await rm(full, { force: true });
  }

  async removeInstance(instanceId: string): Promise<void> {
    await rm(path.join(this.root, instanceSpace(instanceId)), { recursive: true, force: true });
  }

  private async fileStat(full: string | undefined): Promise<{ size: number } | undefined> {
    const info = full === undefined ? undefined : await stat(full).catch(() => undefined);
    return info?.isFile() ? info : undefined;
  }

  private fullPath(storedPath: string): string | undefined {
    const parsed = parseMediaPath(storedPath);
    return parsed && path.join(this.root, parsed.instanceId, parsed.file);
  }
}
