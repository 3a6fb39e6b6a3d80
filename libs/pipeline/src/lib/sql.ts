import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Path of the IBOV refine SQL, the one file both DuckDB (local) and the Glue job run: beside
 * the sources (libs/pipeline/src/sql) or beside a bundle (dist/apps/cli/sql).
 */
export const IBOV_REFINE_SQL_PATH =
  [join(__dirname, '..', 'sql', 'ibov_refine.sql'), join(__dirname, 'sql', 'ibov_refine.sql')].find((p) =>
    existsSync(p),
  ) ?? join(__dirname, '..', 'sql', 'ibov_refine.sql');

export function ibovRefineSql(): string {
  return readFileSync(IBOV_REFINE_SQL_PATH, 'utf8');
}
