import { join } from 'node:path';
import { tablesNamedIn } from '@b3lake/lake';
import { DuckDbCatalog } from '@b3lake/lake/duckdb';

export interface InProcessFigures {
  openMs: number;
  queryMs: number;
  rows: number;
  uptimeMs: number;
}

/**
 * Child mode `--query DATA_DIR SQL`: the CLI's reading path (openLakeReader's steps, with only
 * the views of the tables the SQL names, as `b3lake query` builds them), timed and printed as JSON.
 */
export async function inProcessQuery(dataDir: string, sql: string): Promise<void> {
  let start = performance.now();
  const catalog = await DuckDbCatalog.openInMemory(join(dataDir, 'lake'));
  await catalog.refresh(tablesNamedIn(sql));
  const openMs = performance.now() - start;
  start = performance.now();
  const { rows } = await catalog.query(sql);
  const queryMs = performance.now() - start;
  catalog.close();
  const figures: InProcessFigures = { openMs, queryMs, rows: rows.length, uptimeMs: process.uptime() * 1e3 };
  console.log(JSON.stringify(figures));
}
