import { join, resolve } from 'node:path';
import { TABLES } from '@b3lake/lake';
import { DuckDbCatalog } from '@b3lake/lake/duckdb';

import { WORKSPACE } from '@b3lake/replay';

export { cli, startCli } from '@b3lake/replay';
export const FIXTURES = resolve(WORKSPACE, 'tools/fixtures');

/**
 * Reads the lake the way `b3lake query` does (same catalog file and views), in-process to
 * save a process start per query; the catalog is closed again so the next CLI run can open it.
 */
export async function query<T = Record<string, unknown>>(dataDir: string, sql: string): Promise<T[]> {
  const catalog = await DuckDbCatalog.open(join(dataDir, 'catalog.duckdb'), join(dataDir, 'lake'));
  try {
    await catalog.refresh(TABLES);
    return (await catalog.query(sql)).rows as T[];
  } finally {
    catalog.close();
  }
}
