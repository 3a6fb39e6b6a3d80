/**
 * @b3lake/lake — table registry, hive paths, parquet I/O, object stores and dataset writes.
 * DuckDB lives behind `@b3lake/lake/duckdb` and S3 behind `@b3lake/lake/s3`.
 */
export * from './lib/registry/columns';
export * from './lib/registry/tables';
export * from './lib/registry/cotahist-tables';
export * from './lib/registry/proventos-tables';
export * from './lib/registry/partition-keys';
export * from './lib/registry/asset-kinds';
export * from './lib/registry/groups';
export * from './lib/errors';
export { stagedNames } from './lib/registry/stage';
export {
  ACAO_COLUMNS,
  FII_COLUMNS,
  ACOES_SUMMARY_COLUMNS,
  FIIS_SUMMARY_COLUMNS,
} from './lib/registry/fundamentus-columns';
export { encodeParquet, decodeParquet, SchemaMismatchError } from './lib/parquet';
export type { Row } from './lib/parquet';
export {
  partitionPath,
  partitionPrefix,
  leadingPartitionPrefix,
  objectKey,
  objectStem,
  isParquetKey,
  parseObjectKey,
  keyFromTable,
  parsePartition,
  safeSegment,
  UnsafePathError,
} from './lib/hive';
export type { PartitionValues } from './lib/hive';
export { LocalFsStore, temporaryPath, isTemporaryName, writeFileAtomic } from './lib/store/local-fs-store';
export { StagingStore } from './lib/store/staging-store';
export { ObjectNotFoundError, assertSafeKey } from './lib/store/object-store';
export type { ObjectStore, ObjectInfo } from './lib/store/object-store';
export {
  writeObject,
  overwritePartition,
  readPartition,
  readMergedPartition,
  mergeGenerations,
  compactPartition,
  isCompactedKey,
  compactedStem,
  parsePerKeyObject,
  hasCompactedObject,
  listPartitions,
  countObjects,
  DuplicateRowsError,
  UnreadableObjectError,
  readObject,
} from './lib/dataset';
export type { CompactionResult, StoreFor } from './lib/dataset';
export type { Catalog, SqlEngine, SqlInput } from './lib/catalog';
export { glueTableInput } from './lib/glue/glue-table';
export type { GlueTableInput, GlueColumn } from './lib/glue/glue-table';
export { putFile, putStream, getStream } from './lib/store/object-store';
export { encodeParquetColumns, parquetSchema } from './lib/parquet';
export type { ParquetColumnValues } from './lib/parquet';
export { HyparquetFixedWidthWriter } from './lib/fixed-width/hyparquet-writer';
export { FixedWidthRecordError, checkMapping } from './lib/fixed-width/mapping';
export type {
  FieldSpan,
  FixedWidthValue,
  FixedWidthMapping,
  FixedWidthOutput,
  FixedWidthWriter,
  RecordBatches,
  RowFilter,
} from './lib/fixed-width/mapping';
export { VIEWS, viewsOver, localName, NOT_INCOME, tablesNamedIn } from './lib/registry/views';
export type { ViewDef } from './lib/registry/views';
