import { TABLES, decodeParquet, overwritePartition, partitionPrefix, table, type Row, type TableDef, type TableKey } from '@b3lake/lake';
import pLimit from 'p-limit';
import type { PipelineContext } from '../ports';

/** Tables partitioned by the business date, compacted by finalize. */
export const DAILY_TABLES: readonly TableKey[] = ['summary_acoes', 'summary_fiis', 'raw_pages', 'sor_acoes', 'sor_fiis', 'sot_acoes', 'sot_fiis', 'spec_cotacoes'];

/** A partition with the same key on two rows: the run is not complete, nothing is compacted. */
export class DuplicateRowsError extends Error {
  constructor(readonly table: string, readonly duplicates: string[]) {
    super(`${table}: more than one row for ${duplicates.slice(0, 10).join(', ')}${duplicates.length > 10 ? ` and ${duplicates.length - 10} more` : ''}`);
    this.name = 'DuplicateRowsError';
  }
}

export interface TableFinal {
  table: string;
  rows: number;
  objectsBefore: number;
  objectsAfter: number;
}

/**
 * Compacts every touched partition of D to one object per table, after checking there is
 * exactly one row per key, then refreshes the catalog.
 */
export async function finalizeStep(ctx: PipelineContext, anomesdia: number, keys: readonly TableKey[] = DAILY_TABLES): Promise<TableFinal[]> {
  // Tables are independent: compacting them together overlaps their reads and writes.
  const results = await Promise.all(keys.map((key) => compactChecked(ctx, table(key), { anomesdia_exec: anomesdia })));
  await ctx.catalog.refresh(TABLES);
  for (const [i, key] of keys.entries()) {
    if (results[i].rows > 0) await ctx.catalog.addPartitions?.(table(key), [{ anomesdia_exec: anomesdia }]);
  }
  return results;
}

async function compactChecked(ctx: PipelineContext, def: TableDef, partition: { anomesdia_exec: number }): Promise<TableFinal> {
  const store = ctx.stores(def.layer);
  const objects = (await store.list(partitionPrefix(def, partition))).filter((o) => o.key.endsWith('.parquet'));
  if (objects.length === 0) return { table: def.name, rows: 0, objectsBefore: 0, objectsAfter: 0 };
  // Compacted objects (part-<hash>) hold earlier runs; per-ticker objects are this run's writes
  // and replace the rows they share a key with. Tickers a partial re-run did not touch are kept.
  const compacted = objects.filter((o) => /\/part-[0-9a-f]+\.parquet$/.test(o.key));
  const fresh = objects.filter((o) => !compacted.includes(o));
  const rows = new Map<string, Row>();
  const unkeyed: Row[] = [];
  // Reads overlap (S3 GETs take tens of milliseconds each); rows are then merged in key order.
  const limit = pLimit(16);
  const read = (group: typeof objects) => Promise.all(group.map((o) => limit(async () => decodeParquet(def, await store.get(o.key)))));
  for (const group of [compacted, fresh]) {
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const objectRows of await read(group)) {
      for (const row of objectRows) {
        if (!def.uniqueKey) {
          unkeyed.push(row);
          continue;
        }
        const key = String(row[def.uniqueKey]);
        if (seen.has(key)) duplicates.add(key);
        seen.add(key);
        rows.set(key, row);
      }
    }
    if (duplicates.size) throw new DuplicateRowsError(def.name, [...duplicates]);
  }
  const sorted = [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, row]) => row);
  await overwritePartition(store, def, partition, [...sorted, ...unkeyed]);
  return { table: def.name, rows: sorted.length + unkeyed.length, objectsBefore: objects.length, objectsAfter: 1 };
}
