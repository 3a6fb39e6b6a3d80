import type { PartitionValues } from '../hive';
import type { Column, ColumnType } from '../registry/columns';
import type { TableDef } from '../registry/tables';

/** The DuckDB type of each registry column type (Glue's are in glue-table.ts). */
export const SQL_TYPE: Record<ColumnType, string> = {
  STRING: 'VARCHAR',
  DOUBLE: 'DOUBLE',
  BIGINT: 'BIGINT',
  INT: 'INTEGER',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  BOOLEAN: 'BOOLEAN',
};

export const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
export const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** `"database"."table"`, quoted so `default` and any other keyword work. */
export const viewName = (def: { database: string; name: string }) => `${quote(def.database)}.${quote(def.name)}`;

/** Every parquet file under `glob`, partition keys typed from the registry (not guessed from folder names). */
export function readPartitionedFiles(def: TableDef, glob: string): string {
  const hiveTypes = def.partitionKeys.map((c) => `${literal(c.name)}: ${SQL_TYPE[c.type]}`).join(', ');
  const options = `hive_partitioning = true, hive_types = {${hiveTypes}}, union_by_name = true`;
  return `SELECT * FROM read_parquet(${literal(glob)}, ${options})`;
}

/** One partition's files, read without hive parsing; its key values are added as typed constants. */
export function readOnePartition(def: TableDef, glob: string, partition: PartitionValues): string {
  const constants = def.partitionKeys
    .map((c) => `CAST(${literal(String(partition[c.name]))} AS ${SQL_TYPE[c.type]}) AS ${quote(c.name)}`)
    .join(', ');
  return `SELECT *, ${constants} FROM read_parquet(${literal(glob)}, union_by_name = true)`;
}

/** No rows, but every registry column with its type: an empty table still describes itself. */
export function emptySelect(def: TableDef): string {
  const columns = [...def.columns, ...def.partitionKeys].map(
    (c) => `CAST(NULL AS ${SQL_TYPE[c.type]}) AS ${quote(c.name)}`,
  );
  return `SELECT ${columns.join(', ')} WHERE false`;
}

/**
 * The registry's comments (units) as DuckDB comments: the view's description and one per column,
 * so `duckdb_columns().comment` says what Glue's column comments say. Only columns the view has
 * are commented (files written before a column existed do not have it).
 */
export function commentStatements(
  def: Pick<TableDef, 'database' | 'name' | 'description' | 'columns'> & { partitionKeys?: readonly Column[] },
  viewColumns: ReadonlySet<string>,
): string[] {
  const columns: Column[] = [...def.columns, ...(def.partitionKeys ?? [])].filter((c) => viewColumns.has(c.name));
  return [
    `COMMENT ON VIEW ${viewName(def)} IS ${literal(def.description)}`,
    ...columns.map((c) => `COMMENT ON COLUMN ${viewName(def)}.${quote(c.name)} IS ${literal(c.comment)}`),
  ];
}
