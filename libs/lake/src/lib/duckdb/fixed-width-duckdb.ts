import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Layer } from '../registry/tables';
import { putFile, type ObjectStore } from '../store/object-store';
import {
  FixedWidthRecordError,
  checkMapping,
  type FieldSpan,
  type FixedWidthMapping,
  type FixedWidthOutput,
  type FixedWidthValue,
  type FixedWidthWriter,
  type RecordBatches,
  type RowFilter,
} from '../fixed-width/mapping';
import { checkRecordLength, columnReader } from '../fixed-width/record-decoder';
import { literal, quote } from './duckdb-views';

/** Separates fields in the staged text: a control character, which no checked field can hold. */
const DELIMITER = 0x01;
const LF = 0x0a;
/**
 * Rows per row group: DuckDB's writer holds a row group per thread in memory, so this bounds the
 * process's memory (30,720 rows of COTAHIST keep a year's load under 300 MB); 30 row groups a year.
 */
const ROW_GROUP_SIZE = 30_720;
/** Bytes DuckDB's CSV reader buffers (4 MB; its default of 32 MB per thread was most of the memory). */
const READ_BUFFER = 4 << 20;

/** A field copied into the staged text: digits (read as BIGINT) or text (VARCHAR, UTF-8). */
interface StagedField extends FieldSpan {
  readonly name: string;
  readonly digits: boolean;
}

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
      const fields = stagedFields(used.map((name) => mapping.columns[name]));
      const text = join(scratch, 'records.txt');
      const piped = this.options.pipe !== false && makeFifo(text);
      const copy = (i: number, results: { path: string; rows: number }[]) =>
        copyOutput(connection, i, text, mapping, fields, outputs, results, scratch);
      const results: { path: string; rows: number }[] = [];
      if (piped) {
        // DuckDB reads the pipe while the records are staged into it: both cores work at once.
        const first = copy(0, results);
        first.catch(() => undefined);
        await stageText(records, mapping, fields, used, () => openPipeForWriting(text, first)).catch(
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
        await stageText(records, mapping, fields, used, () => open(text, 'w'));
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
  const typesOf = fields.map((f) => `${literal(f.name)}: '${f.digits ? 'BIGINT' : 'VARCHAR'}'`).join(', ');
  const delimiter = literal(String.fromCharCode(DELIMITER));
  // A small read buffer: DuckDB's default (16 lines of 2 MB per thread) is most of its memory here.
  const source =
    `read_csv(${literal(text)}, columns = {${typesOf}}, delim = ${delimiter}, quote = '', escape = '', ` +
    `header = false, auto_detect = false, new_line = '\\n', buffer_size = ${READ_BUFFER})`;
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

/** The distinct fields the columns read, each once, in a stable order. */
function stagedFields(values: readonly FixedWidthValue[]): StagedField[] {
  const byKey = new Map<string, StagedField>();
  const add = (span: FieldSpan, digits: boolean) => {
    const key = `${span.start}-${span.end}-${digits}`;
    if (!byKey.has(key)) byKey.set(key, { start: span.start, end: span.end, digits, name: `f${byKey.size}` });
  };
  for (const value of values) {
    if (value.kind === 'constant') continue;
    add(value, value.kind === 'integer' || value.kind === 'decimal');
    if (value.kind === 'decimal' && value.per) add(value.per, true);
  }
  return [...byKey.values()];
}

function fieldOf(fields: StagedField[], span: FieldSpan, digits: boolean): string {
  const field = fields.find((f) => f.start === span.start && f.end === span.end && f.digits === digits);
  if (!field) throw new FixedWidthRecordError(0, '', `no staged field at ${span.start}-${span.end}`);
  return quote(field.name);
}

/** The SQL of one column over the staged fields; the same values as the JavaScript column readers. */
function expression(value: FixedWidthValue, fields: StagedField[], type: string): string {
  switch (value.kind) {
    case 'constant':
      return literal(value.value);
    case 'text':
      return `rtrim(${fieldOf(fields, value, false)}, ' ')`;
    case 'integer':
      return `CAST(${fieldOf(fields, value, true)} AS ${type === 'BIGINT' ? 'BIGINT' : 'INTEGER'})`;
    case 'date': {
      const f = fieldOf(fields, value, false);
      const date = `CAST(strptime(${f}, '%Y%m%d') AS DATE)`;
      return value.nullWhen === undefined
        ? date
        : `CASE WHEN ${f} = ${literal(value.nullWhen)} THEN NULL ELSE ${date} END`;
    }
    case 'decimal': {
      const scale = `${10 ** value.decimals}.0`;
      const divisor = value.per ? `(${scale} * CAST(${fieldOf(fields, value.per, true)} AS DOUBLE))` : scale;
      return `CAST(${fieldOf(fields, value, true)} AS DOUBLE) / ${divisor}`;
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

/**
 * Writes the records' fields to `path`, one line per record, fields separated by \x01, latin-1
 * turned into UTF-8. Digit fields must hold digits and dates must be dates (checked by the same
 * readers the JavaScript writer uses), text no control character. Returns the records written.
 */
async function stageText(
  records: RecordBatches,
  mapping: FixedWidthMapping,
  fields: StagedField[],
  columns: readonly string[],
  openOutput: () => Promise<FileHandle>,
): Promise<number> {
  // Dates are checked through a cache of the dates seen; a divisor only needs to be non-zero.
  const checks = columns.flatMap((name) => {
    const value = mapping.columns[name];
    return value.kind === 'date' ? [columnReader(name, 'DATE', value)] : [];
  });
  const divisors = [
    ...new Map(
      columns.flatMap((name) => {
        const value = mapping.columns[name];
        return value.kind === 'decimal' && value.per ? [[`${value.per.start}`, { name, ...value.per }] as const] : [];
      }),
    ).values(),
  ];
  const names = fields.map((f) => columns.find((c) => covers(mapping.columns[c], f)) ?? f.name);
  const widest = fields.reduce((n, f) => n + (f.end - f.start) * 2 + 1, 0);
  const file = await openOutput();
  let count = 0;
  try {
    for await (const batch of records) {
      const out = Buffer.allocUnsafe(batch.length * widest);
      let at = 0;
      for (const record of batch) {
        checkRecordLength(mapping, record, ++count);
        for (const check of checks) check(record, count);
        for (const divisor of divisors) {
          let zero = true;
          for (let i = divisor.start; i < divisor.end && zero; i++) zero = record[i] === 48;
          if (zero) throw new FixedWidthRecordError(count, divisor.name, 'a divisor of 0');
        }
        for (let f = 0; f < fields.length; f++) {
          const field = fields[f];
          if (f > 0) out[at++] = DELIMITER;
          for (let i = field.start; i < field.end; i++) {
            const byte = record[i];
            if (field.digits) {
              if (byte < 48 || byte > 57) throw notDigits(record, field, count, names[f]);
              out[at++] = byte;
            } else if (byte < 0x20 || byte === 0x7f) {
              throw new FixedWidthRecordError(count, names[f], 'a control character in a text field');
            } else if (byte < 0x80) {
              out[at++] = byte;
            } else {
              out[at++] = 0xc0 | (byte >> 6);
              out[at++] = 0x80 | (byte & 0x3f);
            }
          }
        }
        out[at++] = LF;
      }
      await file.write(out, 0, at);
    }
  } finally {
    await file.close();
  }
  return count;
}

function covers(value: FixedWidthValue | undefined, field: StagedField): boolean {
  return !!value && value.kind !== 'constant' && value.start === field.start && value.end === field.end;
}

function notDigits(record: Uint8Array, field: StagedField, index: number, column: string): FixedWidthRecordError {
  const text = Buffer.from(record.subarray(field.start, field.end)).toString('latin1');
  return new FixedWidthRecordError(index, column, `"${text}" is not a number`);
}
