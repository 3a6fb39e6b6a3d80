import { stat } from 'node:fs/promises';
import { TABLES, type TableDef } from '@b3lake/lake';
import { DuckDbCatalog } from '@b3lake/lake/duckdb';
import { dataDirArg } from '../options';
import { localPaths } from './context';

/** The folder holds no lake (no `lake/` folder in it): reading commands stop here and create nothing. */
export class NoLakeError extends Error {
  readonly code = 'NO_LAKE';
  readonly retryable = false;
  constructor(readonly dataDir: string) {
    super(
      `no lake at ${dataDir} (it has no lake/ folder); ` +
        `give the folder a run wrote with --data-dir, or create one with 'npx b3lake run${dataDirArg(dataDir)}'`,
    );
    this.name = 'NoLakeError';
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * The lake for reading (query, tables, describe, partitions): an in-memory DuckDB with the
 * registry's views over `<dataDir>/lake`. It never opens `catalog.duckdb`, so a run holding that
 * file's lock does not block it, a read-only lake can be read, and nothing is written. The file
 * stays the run's, refreshed at finalize with the same views for people who open it directly.
 */
/** Throws NoLakeError when `dataDir` holds no lake; creates nothing. */
export async function assertLakeExists(dataDir: string): Promise<void> {
  if (!(await isDirectory(localPaths(dataDir).lake))) throw new NoLakeError(dataDir);
}

export async function openLakeReader(dataDir: string, tables: readonly TableDef[] = TABLES): Promise<DuckDbCatalog> {
  const { lake } = localPaths(dataDir);
  await assertLakeExists(dataDir);
  const catalog = await DuckDbCatalog.openInMemory(lake);
  try {
    await catalog.refresh(tables);
    return catalog;
  } catch (error) {
    catalog.close();
    throw error;
  }
}
