import { COLLECTION_NAMES, COLLECTIONS, type CollectionName } from './transfer.js';
import type { Store } from './store.js';

export type Counts = Record<CollectionName, number>;

export interface CopyOptions {
  batchSize?: number;
  /** Told after every batch; the caller decides how often to log. */
  progress?: (collection: CollectionName, copied: number) => void;
}

type Marks = Partial<Record<CollectionName, number | null>>;

const DEFAULT_BATCH = 500;

/** Copies one collection's rows (all, or the delta since `since`) from `source` to `target`. */
export async function copyCollection(source: Store, target: Store, collection: CollectionName, since: number | undefined, options: CopyOptions = {}): Promise<number> {
  const limit = options.batchSize ?? DEFAULT_BATCH;
  let after: string | null = null;
  let copied = 0;
  do {
    const batch = await source.transfer.exportBatch(collection, { after, since, limit });
    await target.transfer.importBatch(collection, batch.rows);
    copied += batch.rows.length;
    after = batch.next;
    options.progress?.(collection, copied);
  } while (after !== null);
  return copied;
}

export async function countAll(store: Store): Promise<Counts> {
  const counts = {} as Counts;
  for (const collection of COLLECTION_NAMES) counts[collection] = await store.transfer.count(collection);
  return counts;
}

/**
 * The first pass, while writes go on: empties the target, notes where each delta starts, then
 * copies everything. Returns the marks `catchUp` needs.
 */
export async function copyEverything(source: Store, target: Store, options: CopyOptions = {}): Promise<Marks> {
  for (const collection of [...COLLECTION_NAMES].reverse()) await target.transfer.clear(collection);
  const marks: Marks = {};
  for (const collection of COLLECTION_NAMES) marks[collection] = await source.transfer.deltaMark(collection);
  for (const collection of COLLECTION_NAMES) await copyCollection(source, target, collection, undefined, options);
  return marks;
}

/**
 * The final pass, with writes paused: re-copies what may have changed since the marks. Whole
 * collections when rows may have been removed meanwhile (a delta cannot see a removal). Then
 * every count must match, or the switch fails.
 */
export async function catchUp(source: Store, target: Store, marks: Marks, rowsRemoved: boolean, options: CopyOptions = {}): Promise<Counts> {
  for (const collection of COLLECTION_NAMES) {
    const mark = marks[collection];
    if (COLLECTIONS[collection].delta.kind === 'full' || rowsRemoved) {
      await target.transfer.clear(collection);
      await copyCollection(source, target, collection, undefined, options);
    } else {
      await copyCollection(source, target, collection, mark ?? undefined, options);
    }
  }
  const expected = await countAll(source);
  for (const collection of COLLECTION_NAMES) {
    if ((await target.transfer.count(collection)) === expected[collection]) continue;
    // A row whose delta field went backwards (clock step, late commit) was missed: copy it whole.
    await target.transfer.clear(collection);
    await copyCollection(source, target, collection, undefined, options);
  }
  const copied = await countAll(target);
  const wrong = COLLECTION_NAMES.filter((c) => copied[c] !== expected[c]);
  if (wrong.length > 0) {
    throw new Error(`copied counts differ for ${wrong.map((c) => `${c} (${copied[c]} of ${expected[c]})`).join(', ')}`);
  }
  return copied;
}
