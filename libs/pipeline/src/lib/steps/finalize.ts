import {
  DAILY_TABLES,
  DuplicateRowsError,
  TABLES,
  compactPartition,
  decodeParquet,
  derivationDepth,
  isCompactedKey,
  isParquetKey,
  mergeGenerations,
  overwritePartition,
  parsePerKeyObject,
  partitionPrefix,
  readMergedPartition,
  table,
  type ObjectStore,
  type Row,
  type TableDef,
  type TableKey,
} from '@b3lake/lake';
import { NotDailyTableError } from '../errors';
import type { PipelineContext } from '../ports';
import { rowDerivation } from './derivations';

/** Tables partitioned by the business date, finalized by finalize (derived from the lake's registry). */
export { DAILY_TABLES };

export { DuplicateRowsError };

export interface TableFinal {
  table: string;
  rows: number;
  objectsBefore: number;
  objectsAfter: number;
  /**
   * Derived tables only: tickers finalize had to derive itself because prepare/specialize had
   * left no row for them (no per-ticker object, not in an earlier compaction) — a sign the
   * S3-triggered functions lagged.
   */
  repaired?: number;
}

/**
 * Finalizes D's partitions to one object per table. Source tables are compacted (lake's
 * compactPartition: this run's per-ticker writes over earlier compactions, one row per key).
 * SoT and Spec are rebuilt from their sources' rows of D, so a ticker whose SoR row landed is
 * in SoT and Spec however late prepare/specialize ran. A source not listed in this call is read
 * as it stands (compacted and per-ticker objects, newer rows winning).
 */
export async function finalizeStep(
  ctx: PipelineContext,
  anomesdia: number,
  requested: readonly TableKey[] = DAILY_TABLES,
): Promise<TableFinal[]> {
  // A table listed twice would be compacted twice at once.
  const keys = [...new Set(requested)];
  const unknown = keys.filter((k) => !DAILY_TABLES.includes(k));
  if (unknown.length) throw new NotDailyTableError(unknown, DAILY_TABLES);
  const partition = { anomesdia_exec: anomesdia };
  const results: TableFinal[] = [];
  // Sources first, then what is derived from them (SoT from SoR), then what is derived from those (Spec from SoT).
  const stages = [...new Set(keys.map(derivationDepth))].sort((a, b) => a - b);
  for (const stage of stages) {
    // Tables of one stage are independent: finalizing them together overlaps their reads and writes.
    const batch = keys.map((key, at) => ({ key, at })).filter(({ key }) => derivationDepth(key) === stage);
    const done = await Promise.all(batch.map(({ key }) => finalizeTable(ctx, key, partition)));
    batch.forEach(({ at }, i) => (results[at] = done[i]));
  }
  // Local DuckDB creates its views here; on AWS the adapter does nothing (tables are CloudFormation's).
  await ctx.catalog.refresh(TABLES);
  for (const [at, key] of keys.entries()) {
    if (results[at].rows > 0) await ctx.catalog.addPartitions?.(table(key), [partition]);
  }
  return results;
}

function finalizeTable(
  ctx: PipelineContext,
  key: TableKey,
  partition: { anomesdia_exec: number },
): Promise<TableFinal> {
  const def = table(key);
  return def.derivedFrom?.length ? rebuild(ctx, def, partition) : compact(ctx, def, partition);
}

async function compact(
  ctx: PipelineContext,
  def: TableDef,
  partition: { anomesdia_exec: number },
): Promise<TableFinal> {
  const result = await compactPartition(ctx.stores(def.layer), def, partition);
  return { table: def.name, rows: result.rows, objectsBefore: result.objectsBefore, objectsAfter: result.key ? 1 : 0 };
}

/**
 * Rebuilds a derived table's partition from the day's rows of its sources (the registry's
 * derivedFrom) with the per-ticker steps' row functions, replacing the per-ticker objects in one write.
 */
async function rebuild(
  ctx: PipelineContext,
  def: TableDef,
  partition: { anomesdia_exec: number },
): Promise<TableFinal> {
  const derived = await Promise.all(
    (def.derivedFrom ?? []).map(async (source) => {
      const from = table(source);
      const derive = rowDerivation(def, source);
      return (await readMergedPartition(ctx.stores(from.layer), from, partition)).rows.map(derive);
    }),
  );
  // One generation: a key produced twice (e.g. a stock and a FII with one ticker) is an error, not a pick.
  const rows = mergeGenerations(def, [derived.flat()]);
  const store = ctx.stores(def.layer);
  const before = await existingKeys(store, def, partition);
  const repaired = rows.filter((row) => !before.keys.has(keyOf(def, row))).length;
  // No source rows: leave whatever is there rather than erase a partition on an anomaly.
  if (rows.length === 0)
    return { table: def.name, rows: 0, objectsBefore: before.objects, objectsAfter: before.objects, repaired: 0 };
  await overwritePartition(store, def, partition, rows);
  return { table: def.name, rows: rows.length, objectsBefore: before.objects, objectsAfter: 1, repaired };
}

/**
 * Keys the per-ticker steps already wrote to a partition: per-ticker object names (no read
 * needed) plus the keys inside an earlier compaction (so re-running finalize is not counted as
 * a repair).
 */
async function existingKeys(
  store: ObjectStore,
  def: TableDef,
  partition: { anomesdia_exec: number },
): Promise<{ keys: Set<string>; objects: number }> {
  const objects = (await store.list(partitionPrefix(def, partition))).filter((o) => isParquetKey(o.key));
  const keys = new Set<string>();
  for (const object of objects) {
    const perKey = parsePerKeyObject(def, object.key);
    if (perKey) keys.add(perKey.stem);
    else if (isCompactedKey(object.key))
      for (const row of await decodeParquet(def, await store.get(object.key))) keys.add(keyOf(def, row));
  }
  return { keys, objects: objects.length };
}

/** Derived tables all have a unique key (the ticker). */
const keyOf = (def: TableDef, row: Row): string => String(row[def.uniqueKey ?? '']);
