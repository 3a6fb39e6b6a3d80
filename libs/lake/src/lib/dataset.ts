import { createHash } from 'node:crypto';
import { objectKey, parsePartition, partitionPrefix, type PartitionValues } from './hive';
import { decodeParquet, encodeParquet, type Row } from './parquet';
import type { TableDef } from './registry/tables';
import type { ObjectStore } from './store/object-store';

/** Resolves the store of a table's layer (one folder or bucket per layer). */
export type StoreFor = (def: TableDef) => ObjectStore;

/**
 * Writes one object with a deterministic key (`<table>/<partition>/<stem>.parquet`): a retry or
 * a re-run overwrites it instead of adding a duplicate. Returns the key. These per-key objects
 * are replaced by finalize's compacted one, so they skip column statistics (a third of the
 * encoding time of a one-row file).
 */
export async function writeObject(store: ObjectStore, def: TableDef, partition: PartitionValues, stem: string, rows: readonly Row[]): Promise<string> {
  const key = objectKey(def, partition, stem);
  await store.put(key, encodeParquet(def, rows, { statistics: false }));
  return key;
}

/**
 * Replaces a partition's content with `rows`: the new object is written first (its name is a
 * hash of its bytes, so the same rows give the same key), then every other object of the
 * partition is deleted. Readers never see an empty partition.
 */
export async function overwritePartition(store: ObjectStore, def: TableDef, partition: PartitionValues, rows: readonly Row[]): Promise<string> {
  const bytes = encodeParquet(def, rows);
  const key = objectKey(def, partition, `part-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`);
  await store.put(key, bytes);
  const stale = (await store.list(partitionPrefix(def, partition))).map((o) => o.key).filter((k) => k !== key && k.endsWith('.parquet'));
  await store.delete(stale);
  return key;
}

/** Every row of a partition, objects read in key order. */
export async function readPartition(store: ObjectStore, def: TableDef, partition: PartitionValues): Promise<Row[]> {
  const rows: Row[] = [];
  for (const object of await store.list(partitionPrefix(def, partition))) {
    if (object.key.endsWith('.parquet')) rows.push(...(await decodeParquet(def, await store.get(object.key))));
  }
  return rows;
}

export interface CompactionResult {
  key: string;
  rows: number;
  objectsBefore: number;
}

/** Compacts a partition into one object, rows sorted by the table's unique key (deterministic). */
export async function compactPartition(store: ObjectStore, def: TableDef, partition: PartitionValues): Promise<CompactionResult> {
  const objectsBefore = (await store.list(partitionPrefix(def, partition))).filter((o) => o.key.endsWith('.parquet')).length;
  const rows = await readPartition(store, def, partition);
  const sortKey = def.uniqueKey;
  if (sortKey) rows.sort((a, b) => String(a[sortKey]).localeCompare(String(b[sortKey])));
  return { key: await overwritePartition(store, def, partition, rows), rows: rows.length, objectsBefore };
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
  return (await store.list(partitionPrefix(def, partition))).filter((o) => o.key.endsWith('.parquet')).length;
}
