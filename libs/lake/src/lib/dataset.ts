import { createHash } from 'node:crypto';
import { LakeError } from './errors';
import {
  isParquetKey,
  objectKey,
  objectStem,
  parseObjectKey,
  parsePartition,
  partitionPrefix,
  type PartitionValues,
} from './hive';
import { SchemaMismatchError, decodeParquet, encodeParquet, type Row } from './parquet';
import type { TableDef } from './registry/tables';
import pLimit from 'p-limit';
import type { ObjectInfo, ObjectStore } from './store/object-store';

/** Resolves the store of a table's layer (one folder or bucket per layer). */
export type StoreFor = (def: TableDef) => ObjectStore;

/**
 * Writes one object with a deterministic key (`<table>/<partition>/<stem>.parquet`): a retry or
 * a re-run overwrites it instead of adding a duplicate. Returns the key. These per-key objects
 * are replaced by finalize's compacted one, so they skip column statistics (a third of the
 * encoding time of a one-row file).
 */
export async function writeObject(
  store: ObjectStore,
  def: TableDef,
  partition: PartitionValues,
  stem: string,
  rows: readonly Row[],
): Promise<string> {
  const key = objectKey(def, partition, stem);
  if (!store.stageRows?.(key, def, rows)) await store.put(key, encodeParquet(def, rows, { statistics: false }));
  return key;
}

/**
 * Replaces a partition's content with `rows`: the new object is written first (its name is a
 * hash of its bytes, so the same rows give the same key), then every other object of the
 * partition is deleted. Readers never see an empty partition.
 */
export async function overwritePartition(
  store: ObjectStore,
  def: TableDef,
  partition: PartitionValues,
  rows: readonly Row[],
): Promise<string> {
  const bytes = encodeParquet(def, rows);
  const key = objectKey(def, partition, compactedStem(bytes));
  await store.put(key, bytes);
  const stale = (await store.list(partitionPrefix(def, partition)))
    .map((o) => o.key)
    .filter((k) => k !== key && isParquetKey(k));
  await store.delete(stale);
  return key;
}

/** An object of a table that is not a parquet file of that table: named, so it can be found and removed. */
export class UnreadableObjectError extends LakeError {
  readonly code = 'UNREADABLE_OBJECT';
  constructor(
    readonly key: string,
    readonly location: string,
    reason: string,
  ) {
    super(
      `${location}${key} is not a readable parquet object of its table (${reason}); move it away and finalize again`,
    );
    this.name = 'UnreadableObjectError';
  }
}

/** The rows of one object; a file that does not decode is an UnreadableObjectError naming its key. */
export async function readObject(store: ObjectStore, def: TableDef, key: string): Promise<Row[]> {
  const staged = store.stagedRows?.(key);
  if (staged) return staged;
  const bytes = await store.get(key);
  try {
    return await decodeParquet(def, bytes);
  } catch (error) {
    if (error instanceof SchemaMismatchError) throw error;
    throw new UnreadableObjectError(key, store.location, error instanceof Error ? error.message : String(error));
  }
}

/** Every row of a partition, objects read in key order. */
export async function readPartition(store: ObjectStore, def: TableDef, partition: PartitionValues): Promise<Row[]> {
  const rows: Row[] = [];
  for (const object of await store.list(partitionPrefix(def, partition))) {
    if (isParquetKey(object.key)) rows.push(...(await readObject(store, def, object.key)));
  }
  return rows;
}

/** A partition with the same key on two rows of one generation: nothing is compacted. */
export class DuplicateRowsError extends LakeError {
  readonly code = 'DUPLICATE_ROWS';
  constructor(
    readonly table: string,
    readonly duplicates: string[],
  ) {
    const more = duplicates.length > 10 ? ` and ${duplicates.length - 10} more` : '';
    super(`${table}: more than one row for ${duplicates.slice(0, 10).join(', ')}${more}`);
    this.name = 'DuplicateRowsError';
  }
}

export interface CompactionResult {
  /** Key of the single object left, or null for a partition with no objects. */
  key: string | null;
  rows: number;
  objectsBefore: number;
}

/**
 * Objects written by overwritePartition/compactPartition are named `part-<content hash>`
 * (compactedStem builds it, isCompactedKey recognises it); per-key writes are named by their
 * key (a ticker), which never starts with `part-`.
 */
const COMPACTED_PREFIX = 'part-';
const COMPACTED_STEM = /^part-[0-9a-f]+$/;

/** The file stem of a compacted object: `part-` and 16 hex digits of the SHA-256 of its bytes. */
export function compactedStem(bytes: Uint8Array): string {
  return `${COMPACTED_PREFIX}${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
}

/** Whether a key is a compacted object (`part-<hash>.parquet`) rather than a per-key write. */
export function isCompactedKey(key: string): boolean {
  const stem = objectStem(key);
  return stem !== undefined && COMPACTED_STEM.test(stem);
}

/**
 * The key (e.g. ticker) of a per-key object of a table (`<table>/<partition>/<KEY>.parquet`, as
 * writeObject names it); undefined for a compacted object or a key outside the table.
 */
export function parsePerKeyObject(
  def: TableDef,
  key: string,
): { partition: PartitionValues; stem: string } | undefined {
  const parsed = parseObjectKey(def, key);
  return parsed && !COMPACTED_STEM.test(parsed.stem) ? parsed : undefined;
}

/**
 * Whether a partition already holds a compacted object, i.e. finalize has run for it (one LIST of
 * `part-` keys only).
 */
export async function hasCompactedObject(
  store: ObjectStore,
  def: TableDef,
  partition: PartitionValues,
): Promise<boolean> {
  return (await store.list(`${partitionPrefix(def, partition)}${COMPACTED_PREFIX}`)).some((o) => isCompactedKey(o.key));
}

/**
 * Merges generations of rows by the table's unique key, sorted by it: a later generation
 * replaces the rows it shares a key with. Two rows with one key in the same generation are an
 * error (DuplicateRowsError), not a silent pick. Tables without a key keep every row.
 */
export function mergeGenerations(def: TableDef, generations: readonly (readonly Row[])[]): Row[] {
  const keyed = new Map<string, Row>();
  const unkeyed: Row[] = [];
  for (const generation of generations) {
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const row of generation) {
      if (!def.uniqueKey) {
        unkeyed.push(row);
        continue;
      }
      const key = String(row[def.uniqueKey]);
      if (seen.has(key)) duplicates.add(key);
      seen.add(key);
      keyed.set(key, row);
    }
    if (duplicates.size) throw new DuplicateRowsError(def.name, [...duplicates]);
  }
  return [...[...keyed.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, row]) => row), ...unkeyed];
}

/**
 * A partition's current rows as readers should see them: compacted objects (`part-<hash>`) hold
 * earlier runs; per-key objects are newer writes and replace the rows they share a key with.
 */
export async function readMergedPartition(
  store: ObjectStore,
  def: TableDef,
  partition: PartitionValues,
): Promise<{ rows: Row[]; objects: ObjectInfo[] }> {
  const objects = (await store.list(partitionPrefix(def, partition))).filter((o) => isParquetKey(o.key));
  // Reads overlap (S3 GETs take tens of milliseconds each); rows are then merged in key order.
  const limit = pLimit(16);
  const read = (group: ObjectInfo[]) => Promise.all(group.map((o) => limit(() => readObject(store, def, o.key))));
  const compacted = objects.filter((o) => isCompactedKey(o.key));
  const fresh = objects.filter((o) => !isCompactedKey(o.key));
  const [older, newer] = await Promise.all([read(compacted), read(fresh)]);
  return { rows: mergeGenerations(def, [older.flat(), newer.flat()]), objects };
}

/**
 * Compacts a partition into one object, rows sorted by the table's unique key, merged as
 * readMergedPartition does (a partial re-run keeps the keys it did not touch). A duplicate key
 * within one generation leaves the partition as it was.
 */
export async function compactPartition(
  store: ObjectStore,
  def: TableDef,
  partition: PartitionValues,
): Promise<CompactionResult> {
  const { rows, objects } = await readMergedPartition(store, def, partition);
  if (objects.length === 0) return { key: null, rows: 0, objectsBefore: 0 };
  return {
    key: await overwritePartition(store, def, partition, rows),
    rows: rows.length,
    objectsBefore: objects.length,
  };
}

/** Distinct partitions of a table, from its object keys. */
export async function listPartitions(store: ObjectStore, def: TableDef): Promise<PartitionValues[]> {
  const seen = new Map<string, PartitionValues>();
  for (const object of await store.list(`${def.name}/`)) {
    const values = parsePartition(def, object.key);
    if (values) seen.set(JSON.stringify(values), values);
  }
  return [...seen.values()];
}

/** Objects per partition (for the "one object per partition after finalize" check). */
export async function countObjects(store: ObjectStore, def: TableDef, partition: PartitionValues): Promise<number> {
  return (await store.list(partitionPrefix(def, partition))).filter((o) => isParquetKey(o.key)).length;
}
