import { LakeError } from '../errors';

/** The DuckDB fixed-width writer failed: a DuckDB error, a worker that stopped, or a misuse. */
export class DuckDbWriterError extends LakeError {
  readonly code = 'DUCKDB_WRITER';
  constructor(message: string) {
    super(`DuckDB could not write the parquet files: ${message}`);
    this.name = 'DuckDbWriterError';
  }
}
