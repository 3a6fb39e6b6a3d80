/**
 * @b3lake/lake/duckdb — the local catalog and SQL engine. A separate entry point: Lambda code
 * imports `@b3lake/lake`, which never re-exports this, so DuckDB's native binary stays out of
 * Lambda bundles.
 */
export { DuckDbCatalog } from './lib/duckdb/duckdb-catalog';
export type { QueryResult, DescribedColumn, PartitionCount } from './lib/duckdb/duckdb-catalog';
export { DuckDbFixedWidthWriter } from './lib/duckdb/fixed-width-duckdb';
export type { DuckDbFixedWidthOptions } from './lib/duckdb/fixed-width-duckdb';
export { DuckDbWriterError } from './lib/duckdb/writer-error';
export { SQL_TYPE } from './lib/duckdb/duckdb-views';
