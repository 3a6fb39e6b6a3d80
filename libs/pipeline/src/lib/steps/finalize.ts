import { DuplicateRowsError, TABLES, compactPartition, table, type TableDef, type TableKey } from '@b3lake/lake';
import type { PipelineContext } from '../ports';

/** Tables partitioned by the business date, compacted by finalize. */
export const DAILY_TABLES: readonly TableKey[] = ['summary_acoes', 'summary_fiis', 'raw_pages', 'sor_acoes', 'sor_fiis', 'sot_acoes', 'sot_fiis', 'spec_cotacoes'];

export { DuplicateRowsError };

export interface TableFinal {
  table: string;
  rows: number;
  objectsBefore: number;
  objectsAfter: number;
}

/**
 * Compacts every touched partition of D to one object per table (lake's compactPartition:
 * this run's per-ticker writes over earlier compactions, one row per key), then refreshes the
 * catalog and registers the partitions.
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
  const result = await compactPartition(ctx.stores(def.layer), def, partition);
  return { table: def.name, rows: result.rows, objectsBefore: result.objectsBefore, objectsAfter: result.key ? 1 : 0 };
}
