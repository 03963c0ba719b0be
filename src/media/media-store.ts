import type { Readable } from 'node:stream';

/** A stored file; `path` (`<instanceId>/<file>`) is what message rows keep, on every store. */
export interface StoredMedia {
  /** `<uuid><ext>`: the name in URLs. */
  file: string;
  path: string;
  size: number;
}

/** A stored file opened for reading. */
export interface OpenedFile {
  stream: Readable;
  size: number;
}

/** What to store: the bytes and how to name them. */
export interface MediaInput {
  data: Buffer | Readable;
  /** Decides the generated name's extension. */
  mimeType: string;
  /** The sender's name, used only for an extension when the type gives none. */
  originalName?: string | null;
}

/**
 * Where media files live: a local directory, or an S3-compatible bucket shared by every node.
 * Paths are only ever ones `save` made (`media-names.ts` checks them), so a path from a request
 * cannot reach another instance's files or outside the store.
 */
export interface MediaStore {
  /**
   * Stores the bytes under a generated name in the instance's space. Rejects with
   * PayloadTooLargeError, storing nothing, when they exceed the store's size cap.
   */
  save(instanceId: string, input: MediaInput): Promise<StoredMedia>;
  /** Opens a stored file; undefined when the path is not one `save` makes or the file is gone. */
  open(storedPath: string): Promise<OpenedFile | undefined>;
  /** The size of a stored file; undefined as for `open`. */
  stat(storedPath: string): Promise<{ size: number } | undefined>;
  /** Removes one file; a file already gone is not an error. */
  remove(storedPath: string): Promise<void>;
  /** Removes every file of an instance (the instance is being deleted). */
  removeInstance(instanceId: string): Promise<void>;
  /** Releases connections, when the store holds any. */
  close?(): void;
}
