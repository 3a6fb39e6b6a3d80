import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Layer } from '../registry/tables';
import { putFile, type ObjectStore } from '../store/object-store';
import {
  checkMapping,
  type FixedWidthMapping,
  type FixedWidthOutput,
  type FixedWidthValue,
  type FixedWidthWriter,
  type RecordBatches,
  type RowFilter,
} from '../fixed-width/mapping';
import { CSV_TYPE, DELIMITER, NULL_MARK, fieldOf, stageText, stagedFields, type StagedField } from './staged-text';
import { literal, quote } from './duckdb-views';

/**
 * Rows per row group: DuckDB's writer holds a row group per thread in memory, so this bounds the
 * process's memory (30,720 rows of COTAHIST keep a year's load under 300 MB); 30 row groups a year.
 */
const ROW_GROUP_SIZE = 30_720;
/** Bytes DuckDB's CSV reader buffers (4 MB; its default of 32 MB per thread was most of the memory). */
const READ_BUFFER = 4 << 20;

export interface DuckDbFixedWidthOptions {
  /** Where the staged text and the parquet files are written before they are moved into the store. */
  scratchDir?: string;
  /** DuckDB's threads (default 2) and memory limit (default 150MB): the process stays under 300 MB. */
  threads?: number;
  memoryLimit?: string;
  /** Stage through a named pipe DuckDB reads as it is written (default true where mkfifo exists). */
  pipe?: boolean;
}

/**
 * The fixed-width writer with DuckDB, for local runs and backfills. The records' fields are copied
 * by position into a delimited UTF-8 text file (every digit field and date checked, so an error
 * names its record as the JavaScript writer's would), then DuckDB's CSV reader types it and its
 * parquet writer writes each output. Why not an appender: values cross from JavaScript one by one
 * (about 80,000 rows/s); DuckDB's own reader parses the staged text at over 150 MB/s.
 */
export class DuckDbFixedWidthWriter implements FixedWidthWriter {
  constructor(private readonly options: DuckDbFixedWidthOptions = {}) {}

  async write(
    records: RecordBatches,
    mapping: FixedWidthMapping,
    outputs: readonly FixedWidthOutput[],
    stores: (layer: Layer) => ObjectStore,
  ): Promise<number[]> {
    checkMapping(mapping, outputs);
    const scratch = await mkdtemp(join(this.options.scratchDir ?? tmpdir(), 'b3lake-fw-'));
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(this.options.threads ?? 2),
      memory_limit: this.options.memoryLimit ?? '150MB',
      // Row groups are written as they fill, not held back to keep the input's order: the order of
      // rows in a file means nothing to the tables, and holding them costs the memory budget.
      preserve_insertion_order: 'false',
      temp_directory: join(scratch, 'duckdb.tmp'),
    });
    const connection = await instance.connect();
    try {
      const used = [...new Set(outputs.flatMap((o) => o.table.columns.map((c) => c.name)))];
      const fields = stagedFields(mapping, used);
      const divisors = [
        ...new Map(
          used.flatMap((name) => {
            const value = mapping.columns[name];
            return value.kind === 'decimal' && value.per
              ? [[value.per.start, { column: name, ...value.per }] as const]
              : [];
          }),
        ).values(),
      ];
      const text = join(scratch, 'records.txt');
      const piped = this.options.pipe !== false && makeFifo(text);
      const copy = (i: number, results: { path: string; rows: number }[]) =>
        copyOutput(connection, i, text, mapping, fields, outputs, results, scratch);
      const results: { path: string; rows: number }[] = [];
      if (piped) {
        // DuckDB reads the pipe while the records are staged into it: both cores work at once.
        const first = copy(0, results);
        first.catch(() => undefined);
        await stageText(records, mapping, fields, divisors, () => openPipeForWriting(text, first)).catch(
          async (error: unknown) => {
            const failed = await first.then(
              () => undefined,
              (duckdbError: unknown) => duckdbError,
            );
            throw (error as NodeJS.ErrnoException).code === 'EPIPE' && failed ? failed : error;
          },
        );
        results.push(await first);
      } else {
        await stageText(records, mapping, fields, divisors, () => open(text, 'w'));
        results.push(await copy(0, results));
      }
      for (let i = 1; i < outputs.length; i++) results.push(await copy(i, results));
      for (const [i, output] of outputs.entries()) {
        await putFile(stores(output.table.layer), output.key, results[i].path);
      }
      return results.map((r) => r.rows);
    } finally {
      connection.closeSync();
      instance.closeSync();
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

/** Writes output `i`: from the staged text, or from the first output's file when it holds every column needed. */
async function copyOutput(
  connection: DuckDBConnection,
  i: number,
  text: string,
  mapping: FixedWidthMapping,
  fields: StagedField[],
  outputs: readonly FixedWidthOutput[],
  results: readonly { path: string; rows: number }[],
  scratch: string,
): Promise<{ path: string; rows: number }> {
  const output = outputs[i];
  const path = join(scratch, `${i}.parquet`);
  const typesOf = fields.map((f) => `${literal(f.name)}: '${CSV_TYPE[f.as]}'`).join(', ');
  const delimiter = literal(String.fromCharCode(DELIMITER));
  const nullMark = literal(String.fromCharCode(NULL_MARK));
  // A small read buffer: DuckDB's default (16 lines of 2 MB per thread) is most of its memory here.
  const source =
    `read_csv(${literal(text)}, columns = {${typesOf}}, delim = ${delimiter}, quote = '', escape = '', ` +
    `header = false, auto_detect = false, new_line = '\\n', nullstr = ${nullMark}, dateformat = '%Y-%m-%d', ` +
    `buffer_size = ${READ_BUFFER})`;
  const needed = [...new Set([...output.table.columns.map((c) => c.name), ...filterColumns(output.where)])];
  const first = i > 0 ? outputs[0] : undefined;
  const fromFirst = first && !first.where && needed.every((n) => first.table.columns.some((f) => f.name === n));
  const typeOf = (name: string) => outputs.flatMap((o) => o.table.columns).find((c) => c.name === name)?.type;
  const inner = fromFirst
    ? `SELECT * FROM read_parquet(${literal(results[0].path)})`
    : `SELECT ${needed
        .map((name) => `${expression(mapping.columns[name], fields, typeOf(name) ?? '')} AS ${quote(name)}`)
        .join(', ')} FROM ${source}`;
  const columns = output.table.columns.map((c) => quote(c.name)).join(', ');
  const sql =
    `COPY (SELECT ${columns} FROM (${inner}) ${where(output.where)}) TO ${literal(path)} ` +
    `(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`;
  const reader = await connection.runAndReadAll(sql);
  return { path, rows: Number(reader.getRows()[0]?.[0] ?? 0) };
}

/** A named pipe at `path`, where the system has mkfifo; false otherwise (a plain file is staged then). */
function makeFifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens the pipe for writing, which waits for DuckDB to open it for reading. Should DuckDB fail
 * before it does, the wait is released (by opening the reading end ourselves) and its error thrown.
 */
async function openPipeForWriting(path: string, reader: Promise<unknown>): Promise<FileHandle> {
  const opening = open(path, 'w');
  const failed = reader.then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  const first = await Promise.race([opening.then(() => undefined), failed]);
  if (first) {
    const release = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    await (await opening).close();
    await release.close();
    throw first.error;
  }
  return opening;
}

/** The SQL of one column over the staged fields; the same values as the JavaScript column readers. */
function expression(value: FixedWidthValue, fields: readonly StagedField[], type: string): string {
  switch (value.kind) {
    case 'constant':
      return literal(value.value);
    case 'text':
    case 'date':
      return quote(fieldOf(fields, value).name);
    case 'integer':
      return `CAST(${quote(fieldOf(fields, value).name)} AS ${type === 'BIGINT' ? 'BIGINT' : 'INTEGER'})`;
    case 'decimal': {
      const scale = `${10 ** value.decimals}.0`;
      const per = value.per && quote(fieldOf(fields, { kind: 'integer', ...value.per }).name);
      const divisor = per ? `(${scale} * CAST(${per} AS DOUBLE))` : scale;
      return `CAST(${quote(fieldOf(fields, value).name)} AS DOUBLE) / ${divisor}`;
    }
  }
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
