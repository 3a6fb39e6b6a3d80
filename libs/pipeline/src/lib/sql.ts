import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Path of the IBOV refine SQL, the one file both DuckDB (local) and the Glue job run. */
export const IBOV_REFINE_SQL_PATH = join(__dirname, '..', 'sql', 'ibov_refine.sql');

export function ibovRefineSql(): string {
  return readFileSync(IBOV_REFINE_SQL_PATH, 'utf8');
}
