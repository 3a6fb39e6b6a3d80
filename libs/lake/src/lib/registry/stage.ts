import { InvalidStageError } from '../errors';
import type { TableDef } from './tables';

/**
 * Glue names of a table in a deployment stage, so two stages fit one account: `prod` keeps the
 * registry's names (pynvest-compatible queries keep working); another stage suffixes the
 * database (`db_b3lake_sot_dev`) or, in the shared `default` database, the table name.
 */
export function stagedNames(def: TableDef, stage?: string): { database: string; name: string } {
  if (!stage || stage === 'prod') return { database: def.database, name: def.name };
  if (!/^[a-z][a-z0-9]{0,15}$/.test(stage)) throw new InvalidStageError(stage);
  return def.database === 'default'
    ? { database: 'default', name: `${def.name}_${stage}` }
    : { database: `${def.database}_${stage}`, name: def.name };
}
