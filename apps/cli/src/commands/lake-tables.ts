import { TABLES, type TableDef } from '@b3lake/lake';
import type { DuckDbCatalog } from '@b3lake/lake/duckdb';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { NoLakeError, openLakeReader } from '../local/lake-reader';

/** Names that are keywords in DuckDB and Athena: they only work quoted (`"default".x`). */
const RESERVED = new Set(['default']);

const identifier = (name: string) => (RESERVED.has(name) || !/^[a-z_][a-z0-9_]*$/.test(name) ? `"${name}"` : name);

/** A table's name exactly as it must be typed in SQL, locally and in Athena: `"default".tbrefined_b3_carteira_ibov`. */
export function sqlName(def: TableDef): string {
  return `${identifier(def.database)}.${identifier(def.name)}`;
}

/** `db.table`, `"default".table` (quoted or not) or just `table`, in any case. */
export function findTable(text: string): TableDef {
  const wanted = text.trim().toLowerCase().replace(/"/g, '');
  const def = TABLES.find((t) => `${t.database}.${t.name}` === wanted || t.name === wanted);
  if (def) return def;
  throw new UsageError(`unknown table ${text}; 'npx b3lake tables' lists them`);
}

/** Runs a reading command over the lake at dataDir; "no lake at DIR" exits 4 and creates nothing. */
export async function withLake(
  io: Io,
  dataDir: string,
  body: (lake: DuckDbCatalog) => Promise<number>,
  tables: readonly TableDef[] = TABLES,
) {
  let lake: DuckDbCatalog;
  try {
    lake = await openLakeReader(dataDir, tables);
  } catch (error) {
    if (!(error instanceof NoLakeError)) throw error;
    io.err(`b3lake: error: ${error.message}`);
    return EXIT.IO;
  }
  try {
    return await body(lake);
  } finally {
    lake.close();
  }
}
