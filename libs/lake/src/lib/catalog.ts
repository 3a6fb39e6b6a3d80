import type { PartitionValues } from './hive';
import type { Row } from './parquet';
import type { TableDef } from './registry/tables';

/** Makes the lake's tables queryable by `database.table` (DuckDB locally, Glue on AWS). */
export interface Catalog {
  /** Creates or updates every given table (and its database) from the registry. */
  refresh(tables: readonly TableDef[]): Promise<void>;
  /** Registers partitions a step wrote (Glue); catalogs that discover files themselves omit it. */
  addPartitions?(table: TableDef, partitions: readonly PartitionValues[]): Promise<void>;
}

/** One input of a SQL transformation: the rows of one table partition, under a view name. */
export interface SqlInput {
  table: TableDef;
  partition: PartitionValues;
}

/** Runs a transformation SQL file over table partitions (DuckDB locally, Spark in Glue). */
export interface SqlEngine {
  transform(sql: string, inputs: Record<string, SqlInput>): Promise<Row[]>;
}
