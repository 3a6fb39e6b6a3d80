import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { isParquetKey, partitionPrefix } from '../hive';
import { isTemporaryName } from '../store/local-fs-store';
import type { Row } from '../parquet';
import type { ColumnType } from '../registry/columns';
import { qualifiedName, type TableDef } from '../registry/tables';
import type { Catalog, SqlEngine, SqlInput } from '../catalog';

const SQL_TYPE: Record<ColumnType, string> = {
  STRING: 'VARCHAR',
  DOUBLE: 'DOUBLE',
  BIGINT: 'BIGINT',
  INT: 'INTEGER',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  BOOLEAN: 'BOOLEAN',
};

/**
 * Dialect bridges so one SQL file runs in DuckDB and Spark SQL: Spark's two-argument
 * `datediff(end, start)`. Defined only on the transformation connection, so user queries keep
 * DuckDB's own three-argument datediff.
 */
const SPARK_COMPAT_MACROS = [
  'CREATE OR REPLACE TEMP MACRO datediff(end_date, start_date) AS ' +
    "date_diff('day', CAST(start_date AS DATE), CAST(end_date AS DATE))",
];

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The local catalog: a DuckDB database file with one schema per Glue database and one view per
 * table over its hive-partitioned parquet files (`<lakeRoot>/<layer>/<table>/k=v/…`).
 */
export class DuckDbCatalog implements Catalog, SqlEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly lakeRoot: string,
  ) {}

  static async open(databaseFile: string, lakeRoot: string): Promise<DuckDbCatalog> {
    if (databaseFile !== ':memory:') mkdirSync(dirname(databaseFile), { recursive: true });
    const instance = await DuckDBInstance.create(databaseFile);
    return new DuckDbCatalog(instance, await instance.connect(), lakeRoot);
  }

  tableDir(def: TableDef): string {
    return join(this.lakeRoot, def.layer, def.name);
  }

  async refresh(tables: readonly TableDef[]): Promise<void> {
    for (const def of tables) {
      await this.connection.run(`CREATE SCHEMA IF NOT EXISTS ${quote(def.database)}`);
      const hasFiles = await containsParquet(this.tableDir(def));
      const source = hasFiles ? this.readParquet(def, `${this.tableDir(def)}/**/*.parquet`) : emptySelect(def);
      await this.connection.run(`CREATE OR REPLACE VIEW ${quote(def.database)}.${quote(def.name)} AS ${source}`);
      const comment = `${def.description}. Columns: ${def.columns.map((c) => `${c.name} (${c.comment})`).join('; ')}`;
      await this.connection.run(`COMMENT ON VIEW ${quote(def.database)}.${quote(def.name)} IS ${literal(comment)}`);
    }
  }

  /** Runs any SQL against the catalog; BIGINT values come back as numbers when exact. */
  async query(sql: string): Promise<QueryResult> {
    const reader = await this.connection.runAndReadAll(sql);
    const columns = reader.columnNames().map((name, i) => ({ name, type: String(reader.columnTypes()[i]) }));
    const rows = reader
      .getRowObjects()
      .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
    return { columns, rows };
  }

  async transform(sql: string, inputs: Record<string, SqlInput>): Promise<Row[]> {
    const connection = await this.instance.connect();
    try {
      for (const macro of SPARK_COMPAT_MACROS) await connection.run(macro);
      for (const [view, input] of Object.entries(inputs)) {
        const dir = join(this.lakeRoot, input.table.layer, partitionPrefix(input.table, input.partition));
        const source = (await containsParquet(dir))
          ? this.readParquet(input.table, `${dir}*.parquet`, input.partition)
          : emptySelect(input.table);
        await connection.run(`CREATE OR REPLACE TEMP VIEW ${quote(view)} AS ${source}`);
      }
      const reader = await connection.runAndReadAll(sql);
      return reader
        .getRowObjects()
        .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v) as Row[string]])));
    } finally {
      connection.closeSync();
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private readParquet(def: TableDef, glob: string, partition?: Record<string, string | number>): string {
    const hiveTypes = def.partitionKeys.map((c) => `${literal(c.name)}: ${SQL_TYPE[c.type]}`).join(', ');
    // A single partition's files are read without hive parsing; its key values are added as constants.
    if (partition) {
      const constants = def.partitionKeys
        .map((c) => `CAST(${literal(String(partition[c.name]))} AS ${SQL_TYPE[c.type]}) AS ${quote(c.name)}`)
        .join(', ');
      return `SELECT *, ${constants} FROM read_parquet(${literal(glob)}, union_by_name = true)`;
    }
    const options = `hive_partitioning = true, hive_types = {${hiveTypes}}, union_by_name = true`;
    return `SELECT * FROM read_parquet(${literal(glob)}, ${options})`;
  }
}

function emptySelect(def: TableDef): string {
  const columns = [...def.columns, ...def.partitionKeys].map(
    (c) => `CAST(NULL AS ${SQL_TYPE[c.type]}) AS ${quote(c.name)}`,
  );
  return `SELECT ${columns.join(', ')} WHERE false`;
}

async function containsParquet(dir: string): Promise<boolean> {
  const names = (await readdir(dir, { recursive: true, encoding: 'utf8' }).catch(() => [])) as string[];
  return names.some((n) => isParquetKey(n) && !isTemporaryName(n));
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (
    value !== null &&
    typeof value === 'object' &&
    'toString' in value &&
    value.constructor?.name?.startsWith('DuckDB')
  ) {
    const text = String(value);
    // DuckDB timestamps print as "2022-05-24 10:00:00[.mmm]"; turn them into ISO strings.
    return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  }
  return value;
}

export { qualifiedName };
