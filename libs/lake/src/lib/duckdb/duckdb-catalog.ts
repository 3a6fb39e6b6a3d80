import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { isParquetKey, partitionPrefix, type PartitionValues } from '../hive';
import { isTemporaryName } from '../store/local-fs-store';
import type { Row } from '../parquet';
import { qualifiedName, type TableDef } from '../registry/tables';
import { localName, viewsOver } from '../registry/views';
import type { Catalog, SqlEngine, SqlInput } from '../catalog';
import {
  commentStatements,
  emptySelect,
  literal,
  quote,
  readOnePartition,
  readPartitionedFiles,
  viewName,
} from './duckdb-views';

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

/** A column as DuckDB describes it: its type and its comment (the registry's unit), null when it has none. */
export interface DescribedColumn {
  name: string;
  type: string;
  comment: string | null;
}

/** One partition of a table and the rows DuckDB reads in it. */
export interface PartitionCount {
  values: PartitionValues;
  rows: number;
}

/**
 * The local catalog: a DuckDB database (a file people can open, or in memory) with one schema per
 * Glue database and one view per table over its hive-partitioned parquet files
 * (`<lakeRoot>/<layer>/<table>/k=v/…`), columns commented with their units as in Glue.
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

  /**
   * A catalog that lives in memory only: it takes no file lock (a run may hold the catalog file)
   * and writes nothing, so it also reads a lake on read-only media. refresh() builds its views.
   */
  static openInMemory(lakeRoot: string): Promise<DuckDbCatalog> {
    return DuckDbCatalog.open(':memory:', lakeRoot);
  }

  tableDir(def: TableDef): string {
    return join(this.lakeRoot, def.layer, def.name);
  }

  /** One view per table over its files, commented from the registry, in one transaction (all or none). */
  async refresh(tables: readonly TableDef[]): Promise<void> {
    const sources = await Promise.all(tables.map((def) => this.viewSource(def)));
    await this.connection.run('BEGIN TRANSACTION');
    try {
      for (const [i, def] of tables.entries()) {
        await this.connection.run(`CREATE SCHEMA IF NOT EXISTS ${quote(def.database)}`);
        await this.connection.run(`CREATE OR REPLACE VIEW ${viewName(def)} AS ${sources[i]}`);
      }
      const views = viewsOver(tables.map((def) => def.key));
      for (const view of views) {
        await this.connection.run(`CREATE SCHEMA IF NOT EXISTS ${quote(view.database)}`);
        await this.connection.run(`CREATE OR REPLACE VIEW ${viewName(view)} AS ${view.sql(localName)}`);
      }
      const present = await this.viewColumns();
      // One call for every comment: hundreds of separate calls cost ~0.3 s per refresh.
      const comments = [...tables, ...views].flatMap((def) =>
        commentStatements(def, present.get(viewName(def)) ?? new Set()),
      );
      await this.connection.run(comments.join(';\n'));
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    }
  }

  /** A table's columns as DuckDB sees them (duckdb_columns()), in order, with their comments. */
  async columns(def: TableDef): Promise<DescribedColumn[]> {
    const { rows } = await this.query(
      'SELECT column_name AS name, data_type AS type, comment FROM duckdb_columns() ' +
        `WHERE database_name = current_database() AND schema_name = ${literal(def.database)} ` +
        `AND table_name = ${literal(def.name)} ORDER BY column_index`,
    );
    return rows as unknown as DescribedColumn[];
  }

  /** Every partition DuckDB reads rows from, with its row count, in key order (oldest first). */
  async partitions(def: TableDef): Promise<PartitionCount[]> {
    if (def.partitionKeys.length === 0) return [];
    const keys = def.partitionKeys.map((c) => quote(c.name)).join(', ');
    const { rows } = await this.query(
      `SELECT ${keys}, count(*) AS "rows" FROM ${viewName(def)} GROUP BY ${keys} ORDER BY ${keys}`,
    );
    return rows.map((row) => ({
      values: Object.fromEntries(def.partitionKeys.map((c) => [c.name, row[c.name] as string | number])),
      rows: Number(row['rows']),
    }));
  }

  /**
   * Runs any SQL against the catalog; BIGINT values come back as numbers when exact. A run that
   * overwrites a partition deletes the old object once the new one is in place: a query that listed
   * the old one a moment before cannot open it, and is run again (it then lists the current files).
   */
  async query(sql: string): Promise<QueryResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.queryOnce(sql);
      } catch (error) {
        if (attempt >= QUERY_ATTEMPTS || !isVanishedFile(error)) throw error;
      }
    }
  }

  private async queryOnce(sql: string): Promise<QueryResult> {
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
          ? readOnePartition(input.table, `${dir}*.parquet`, input.partition)
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

  /** The column names of every view, by `"database"."table"`, in one catalog query. */
  private async viewColumns(): Promise<Map<string, Set<string>>> {
    const { rows } = await this.query(
      'SELECT schema_name, table_name, column_name FROM duckdb_columns() ' +
        'WHERE database_name = current_database() AND NOT internal',
    );
    const columns = new Map<string, Set<string>>();
    for (const row of rows) {
      const view = `${quote(String(row['schema_name']))}.${quote(String(row['table_name']))}`;
      columns.set(view, (columns.get(view) ?? new Set()).add(String(row['column_name'])));
    }
    return columns;
  }

  private async viewSource(def: TableDef): Promise<string> {
    const dir = this.tableDir(def);
    return (await containsParquet(dir)) ? readPartitionedFiles(def, `${dir}/**/*.parquet`) : emptySelect(def);
  }
}

/** Attempts of one query when files vanish under it (each overwrite is one such moment). */
const QUERY_ATTEMPTS = 3;

/** DuckDB's error for a file its glob listed but that was gone when read. */
function isVanishedFile(error: unknown): boolean {
  return error instanceof Error && /^IO Error: (Cannot open file|No files found)/.test(error.message);
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
