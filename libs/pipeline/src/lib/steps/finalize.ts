import { TABLES, overwritePartition, partitionPrefix, readPartition, table, type TableDef, type TableKey } from '@b3lake/lake';
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
  const results: TableFinal[] = [];
  for (const key of keys) {
    const def = table(key);
    results.push(await compactChecked(ctx, def, { anomesdia_exec: anomesdia }));
  }
  await ctx.catalog.refresh(TABLES);
  return results;
}

async function compactChecked(ctx: PipelineContext, def: TableDef, partition: { anomesdia_exec: number }): Promise<TableFinal> {
  const store = ctx.stores(def.layer);
  const objectsBefore = (await store.list(partitionPrefix(def, partition))).filter((o) => o.key.endsWith('.parquet')).length;
  if (objectsBefore === 0) return { table: def.name, rows: 0, objectsBefore, objectsAfter: 0 };
  const rows = await readPartition(store, def, partition);
  const unique = def.uniqueKey;
  if (unique) {
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const row of rows) {
      const value = String(row[unique]);
      if (seen.has(value)) duplicates.add(value);
      seen.add(value);
    }
    if (duplicates.size) throw new DuplicateRowsError(def.name, [...duplicates]);
    rows.sort((a, b) => String(a[unique]).localeCompare(String(b[unique])));
  }
  await overwritePartition(store, def, partition, rows);
  return { table: def.name, rows: rows.length, objectsBefore, objectsAfter: 1 };
}
