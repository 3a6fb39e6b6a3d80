import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Layer } from '../registry/tables';
import { putFile, type ObjectStore } from '../store/object-store';
import {
  FixedWidthRecordError,
  checkMapping,
  type FixedWidthMapping,
  type FixedWidthOutput,
  type FixedWidthWriter,
  type RecordBatches,
  type RowFilter,
} from '../fixed-width/mapping';
import { checkRecordLength } from '../fixed-width/record-decoder';
import { literal, quote } from './duckdb-views';
import type { VectorColumn } from './vector-decoder';
import { WorkerHost, type WorkerFeed } from './worker-feed';

/**
 * Rows per row group: DuckDB's writer holds a row group per thread in memory, so this bounds the
 * process's memory (30,720 rows of COTAHIST keep a year's load under 300 MB); 30 row groups a year.
 */
const ROW_GROUP_SIZE = 30_720;
/** Records per batch posted to the worker (about 1 MB of COTAHIST). */
const BATCH_RECORDS = 2048;

export interface DuckDbFixedWidthOptions {
  /** Where the parquet files are written before they are moved into the store. */
  scratchDir?: string;
  /** DuckDB's threads (default 2) and memory limit (default 150MB): the process stays under 300 MB. */
  threads?: number;
  memoryLimit?: string;
  /**
   * Batches waiting for the worker before this thread decodes the next one itself (default 2).
   * 0 decodes every batch here, Infinity none: how the specs hold both paths to the same rows.
   */
  decodeHereFrom?: number;
}

/**
 * The fixed-width writer with DuckDB, for local runs and backfills. A worker thread runs DuckDB,
 * whose COPY … TO parquet reads the records through a table function that decodes each field
 * straight into DuckDB's vector memory (checked as the JavaScript writer checks it, an error
 * naming the record and column); this thread keeps reading the file and posts the records in
 * batches. Nothing is parsed twice and no text is staged: JavaScript decodes while DuckDB's
 * threads write parquet. (Rejected, measured: staged delimited text read by DuckDB's CSV reader,
 * 60–70 MB/s, its parsing was most of the time; an appender, values crossing one by one, 80,000
 * rows/s.)
 */
export class DuckDbFixedWidthWriter implements FixedWidthWriter {
  private host?: WorkerHost;
  /** Writes run one at a time: the worker's DuckDB serves one job after another. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DuckDbFixedWidthOptions = {}) {}

  write(
    records: RecordBatches,
    mapping: FixedWidthMapping,
    outputs: readonly FixedWidthOutput[],
    stores: (layer: Layer) => ObjectStore,
  ): Promise<number[]> {
    const written = this.queue.then(() => this.writeNow(records, mapping, outputs, stores));
    this.queue = written.catch(() => undefined);
    return written;
  }

  /** Stops the worker thread and its DuckDB (a later write starts them again). */
  async close(): Promise<void> {
    const host = this.host;
    this.host = undefined;
    await host?.close();
  }

  private async writeNow(
    records: RecordBatches,
    mapping: FixedWidthMapping,
    outputs: readonly FixedWidthOutput[],
    stores: (layer: Layer) => ObjectStore,
  ): Promise<number[]> {
    checkMapping(mapping, outputs);
    const scratch = await mkdtemp(join(this.options.scratchDir ?? tmpdir(), 'b3lake-fw-'));
    try {
      const plan = copyPlan(mapping, outputs, scratch);
      this.host ??= new WorkerHost(
        {
          threads: this.options.threads ?? 2,
          memoryLimit: this.options.memoryLimit ?? '150MB',
          // Only used should DuckDB spill, which these bounded row groups do not make it do.
          tempDirectory: join(this.options.scratchDir ?? tmpdir(), `b3lake-duckdb-spill-${process.pid}`),
        },
        this.options.decodeHereFrom,
      );
      const feed = this.host.start({
        columns: plan.columns,
        recordLength: mapping.recordLength,
        statements: plan.statements,
      });
      const rows = await feedRecords(feed, records, mapping);
      for (const [i, output] of outputs.entries()) {
        await putFile(stores(output.table.layer), output.key, plan.paths[i]);
      }
      return plan.rowsOf.map((statement) => rows[statement]);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

/** Posts the records to the worker in batches; the worker's row counts per statement, or the first error. */
async function feedRecords(feed: WorkerFeed, records: RecordBatches, mapping: FixedWidthMapping): Promise<number[]> {
  const length = mapping.recordLength;
  let batch = feed.batch(BATCH_RECORDS);
  let held = 0;
  let posted = 0;
  const post = async () => {
    await feed.post(batch, held, posted + 1);
    posted += held;
    batch = feed.batch(BATCH_RECORDS);
    held = 0;
  };
  try {
    for await (const list of records) {
      for (const record of list) {
        checkRecordLength(mapping, record, posted + held + 1);
        batch.set(record, held * length);
        if (++held === BATCH_RECORDS) await post();
      }
      if (feed.settled) break;
    }
  } catch (error) {
    if (!(error instanceof FixedWidthRecordError)) {
      await feed.abort();
      throw error;
    }
    // The records before this one may hold an earlier error: the worker reads them, then its error wins.
    if (held) await post();
    const earlier = await feed.end().then(
      () => undefined,
      (workerError: unknown) => workerError,
    );
    throw earlier instanceof FixedWidthRecordError ? earlier : error;
  }
  if (held) await post();
  return feed.end();
}

interface CopyPlan {
  columns: VectorColumn[];
  statements: string[];
  /** The parquet file of each output. */
  paths: string[];
  /** The statement whose row count is each output's. */
  rowsOf: number[];
}

/**
 * The COPY statements: the first output straight from the records when it holds every column the
 * others read (the COTAHIST SoT table does), the others from its file; otherwise every needed
 * column into a scratch file first, and each output from it. The records are read once.
 */
function copyPlan(mapping: FixedWidthMapping, outputs: readonly FixedWidthOutput[], scratch: string): CopyPlan {
  const needed = [
    ...new Set(outputs.flatMap((o) => [...o.table.columns.map((c) => c.name), ...filterColumns(o.where)])),
  ];
  const typeOf = (name: string) => outputs.flatMap((o) => o.table.columns).find((c) => c.name === name)?.type ?? '';
  const columns = needed.flatMap((name): VectorColumn[] => {
    const value = mapping.columns[name];
    if (value.kind === 'constant') return [];
    const type =
      value.kind === 'text'
        ? 'VARCHAR'
        : value.kind === 'date'
          ? 'DATE'
          : value.kind === 'decimal'
            ? 'DOUBLE'
            : typeOf(name) === 'BIGINT'
              ? 'BIGINT'
              : 'INTEGER';
    return [{ name, type, value }];
  });
  const select = (names: readonly string[]) =>
    names
      .map((name) => {
        const value = mapping.columns[name];
        return value.kind === 'constant' ? `${literal(value.value)} AS ${quote(name)}` : quote(name);
      })
      .join(', ');
  const copy = (query: string, path: string) =>
    `COPY (${query}) TO ${literal(path)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`;
  const records = 'fixed_width_records()';
  const paths = outputs.map((_, i) => join(scratch, `${i}.parquet`));
  const [first] = outputs;
  const firstHoldsAll = !first.where && needed.every((n) => first.table.columns.some((c) => c.name === n));
  const base = firstHoldsAll ? paths[0] : join(scratch, 'records.parquet');
  const statements = firstHoldsAll
    ? [copy(`SELECT ${select(first.table.columns.map((c) => c.name))} FROM ${records}`, base)]
    : [copy(`SELECT ${select(needed)} FROM ${records}`, base)];
  const rowsOf: number[] = [];
  for (const [i, output] of outputs.entries()) {
    if (i === 0 && firstHoldsAll) {
      rowsOf.push(0);
      continue;
    }
    const names = output.table.columns.map((c) => quote(c.name)).join(', ');
    statements.push(copy(`SELECT ${names} FROM read_parquet(${literal(base)}) ${where(output.where)}`, paths[i]));
    rowsOf.push(statements.length - 1);
  }
  return { columns, statements, paths, rowsOf };
}

function filterColumns(filter: RowFilter | undefined): string[] {
  return [...Object.keys(filter?.equals ?? {}), ...Object.keys(filter?.notIn ?? {})];
}

function where(filter: RowFilter | undefined): string {
  const terms = [
    ...Object.entries(filter?.equals ?? {}).map(
      ([name, value]) => `${quote(name)} = ${typeof value === 'number' ? value : literal(value)}`,
    ),
    ...Object.entries(filter?.notIn ?? {}).map(
      ([name, list]) => `${quote(name)} NOT IN (${list.map((v) => literal(v)).join(', ')})`,
    ),
  ];
  return terms.length ? `WHERE ${terms.join(' AND ')}` : '';
}
