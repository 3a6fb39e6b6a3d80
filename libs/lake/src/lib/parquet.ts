import { createHash } from 'node:crypto';
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import { LakeError } from './errors';
import type { Column, ColumnType } from './registry/columns';
import type { TableDef } from './registry/tables';

/** A row as the lake's code sees it: DATE as 'YYYY-MM-DD', TIMESTAMP as Date, BIGINT as number. */
export type Row = Record<string, string | number | boolean | Date | null>;

/** A row whose values do not fit its table's schema; names the table, row, column and value. */
export class SchemaMismatchError extends LakeError {
  readonly code = 'SCHEMA_MISMATCH';
  constructor(
    readonly table: string,
    readonly row: number,
    readonly column: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    const got = `${JSON.stringify(value)} (${value === null ? 'null' : typeof value})`;
    super(`${table}, row ${row}: column ${column} expects ${expected}, got ${got}`);
    this.name = 'SchemaMismatchError';
  }
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const ELEMENT: Record<ColumnType, Omit<SchemaElement, 'name'>> = {
  STRING: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  DOUBLE: { type: 'DOUBLE' },
  BIGINT: { type: 'INT64' },
  INT: { type: 'INT32' },
  DATE: { type: 'INT32', converted_type: 'DATE' },
  // Naive TIMESTAMP holding UTC, as Athena/Glue expect (the UTC-adjusted logical type reads as TIMESTAMPTZ in DuckDB).
  TIMESTAMP: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
  BOOLEAN: { type: 'BOOLEAN' },
};

/** Checks one value and converts it to what the writer expects; throws on a mismatch. */
function toParquet(column: Column, value: unknown, fail: (expected: string) => never): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'STRING':
      return typeof value === 'string' ? value : fail('STRING');
    case 'DOUBLE':
      return typeof value === 'number' && Number.isFinite(value) ? value : fail('a finite DOUBLE');
    case 'BIGINT':
      if (typeof value === 'bigint') return value;
      return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : fail('a BIGINT (safe integer)');
    case 'INT':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31
        ? value
        : fail('an INT (32-bit integer)');
    case 'DATE': {
      if (value instanceof Date && !Number.isNaN(value.getTime())) return Math.floor(value.getTime() / DAY_MS);
      if (typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
        return Math.round(Date.parse(`${value}T00:00:00Z`) / DAY_MS);
      }
      return fail('a DATE (YYYY-MM-DD)');
    }
    case 'TIMESTAMP': {
      const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
      return Number.isNaN(ms) ? fail('a TIMESTAMP (Date or ISO string)') : BigInt(ms);
    }
    case 'BOOLEAN':
      return typeof value === 'boolean' ? value : fail('a BOOLEAN');
  }
}

/**
 * Rows of files this process encoded, by content hash: decoding bytes we just produced is
 * pure, and a run reads back thousands of one-row files (prepare, specialize, finalize).
 * Bounded; a miss simply decodes.
 */
const recentlyEncoded = new Map<string, Row[]>();
const CACHE_LIMIT = 20_000;

function contentKey(def: TableDef, bytes: Uint8Array): string {
  return `${def.name}:${createHash('sha1').update(bytes).digest('base64')}`;
}

function remember(key: string, rows: Row[]): void {
  if (recentlyEncoded.size >= CACHE_LIMIT) recentlyEncoded.delete(recentlyEncoded.keys().next().value as string);
  recentlyEncoded.set(key, rows);
}

/** The row as decodeParquet returns it: every column present, DATE as text, TIMESTAMP as Date. */
function normalised(def: TableDef, row: Row): Row {
  const out: Row = {};
  for (const column of def.columns) {
    const value = row[column.name];
    if (value === null || value === undefined) out[column.name] = null;
    else if (column.type === 'DATE')
      out[column.name] = value instanceof Date ? value.toISOString().slice(0, 10) : value;
    else if (column.type === 'TIMESTAMP')
      out[column.name] = value instanceof Date ? new Date(value.getTime()) : new Date(String(value));
    else if (typeof value === 'bigint') out[column.name] = Number(value);
    else out[column.name] = value;
  }
  return out;
}

/** Copies of rows; only TIMESTAMP values are objects (Dates), so only those need copying again. */
function copy(def: TableDef, rows: readonly Row[]): Row[] {
  const timestamps = def.columns.filter((c) => c.type === 'TIMESTAMP').map((c) => c.name);
  return rows.map((row) => {
    const out: Row = { ...row };
    for (const name of timestamps) {
      const value = out[name];
      if (value instanceof Date) out[name] = new Date(value.getTime());
    }
    return out;
  });
}

/** Every value checked against the table's schema and converted to what the writer expects, column by column. */
function checkedColumns(def: TableDef, rows: readonly Row[]): { name: string; data: unknown[] }[] {
  const known = new Set(def.columns.map((c) => c.name));
  const partitions = new Set(def.partitionKeys.map((c) => c.name));
  rows.forEach((row, i) => {
    for (const key of Object.keys(row)) {
      if (!known.has(key) && !partitions.has(key))
        throw new SchemaMismatchError(def.name, i, key, row[key], 'no such column in the table');
    }
  });
  return def.columns.map((column) => ({
    name: column.name,
    data: rows.map((row, i) =>
      toParquet(column, row[column.name], (expected) => {
        throw new SchemaMismatchError(def.name, i, column.name, row[column.name], expected);
      }),
    ),
  }));
}

/**
 * The rows exactly as `decodeParquet(encodeParquet(def, rows))` would return them, checked the
 * same way (a SchemaMismatchError for a value its column cannot hold), without encoding them.
 * For objects that are staged in memory and compacted before they would ever be read as files.
 */
export function validateRows(def: TableDef, rows: readonly Row[]): Row[] {
  checkedColumns(def, rows);
  return rows.map((row) => normalised(def, row));
}

/** Copies of rows, so a caller that changes them cannot change what was stored. */
export function copyRows(def: TableDef, rows: readonly Row[]): Row[] {
  return copy(def, rows);
}

/**
 * Encodes rows as one snappy-compressed parquet file, with column statistics unless asked not
 * to. Partition columns are not stored (they live in the hive path). Every value is checked
 * against the table's schema.
 */
export function encodeParquet(def: TableDef, rows: readonly Row[], options: { statistics?: boolean } = {}): Uint8Array {
  const bytes = writeColumns(def, checkedColumns(def, rows), options.statistics ?? true);
  remember(
    contentKey(def, bytes),
    rows.map((row) => normalised(def, row)),
  );
  return bytes;
}

/** Column values in the writer's form: DATE as days since 1970-01-01, BIGINT and TIMESTAMP (ms) as bigint. */
export type ParquetColumnValues = ArrayLike<unknown>;

/**
 * Encodes whole columns already in the writer's form (see ParquetColumnValues), in the table's
 * column order, for writers that build columns rather than rows (a million rows as objects would
 * cost several times the memory). Values are not checked: the caller types them.
 */
export function encodeParquetColumns(
  def: TableDef,
  columns: Readonly<Record<string, ParquetColumnValues>>,
  options: { rowGroupSize?: number } = {},
): Uint8Array {
  const columnData = def.columns.map((column) => {
    const data = columns[column.name];
    if (!data) throw new SchemaMismatchError(def.name, 0, column.name, undefined, 'a column of values');
    return { name: column.name, data: Array.isArray(data) ? data : Array.from(data) };
  });
  return writeColumns(def, columnData, true, options.rowGroupSize);
}

function writeColumns(
  def: TableDef,
  columnData: { name: string; data: unknown[] }[],
  statistics: boolean,
  rowGroupSize?: number,
): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData,
    schema: parquetSchema(def),
    codec: 'SNAPPY',
    statistics,
    createdBy: 'b3lake',
    ...(rowGroupSize ? { rowGroupSize } : {}),
  } as Parameters<typeof parquetWriteBuffer>[0]);
  return new Uint8Array(buffer);
}

/** The parquet schema of a table's files: every column optional, partition keys not stored. */
export function parquetSchema(def: TableDef): SchemaElement[] {
  return [
    { name: 'root', num_children: def.columns.length },
    ...def.columns.map((c) => ({ name: c.name, repetition_type: 'OPTIONAL' as const, ...ELEMENT[c.type] })),
  ];
}

/** Reads a parquet file back into rows with the lake's conventions (DATE → 'YYYY-MM-DD', BIGINT → number). */
export async function decodeParquet(def: TableDef, bytes: Uint8Array): Promise<Row[]> {
  const cached = recentlyEncoded.get(contentKey(def, bytes));
  if (cached) return copy(def, cached);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const objects = (await parquetReadObjects({ file, utf8: true })) as Record<string, unknown>[];
  const types = new Map(def.columns.map((c) => [c.name, c.type]));
  return objects.map((object) => {
    const row: Row = {};
    for (const [name, value] of Object.entries(object)) row[name] = fromParquet(types.get(name), value);
    return row;
  });
}

function fromParquet(type: ColumnType | undefined, value: unknown): Row[string] {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    if (type === 'TIMESTAMP') return new Date(Number(value));
    return Number(value);
  }
  if (value instanceof Date) return type === 'DATE' ? value.toISOString().slice(0, 10) : value;
  if (type === 'DATE' && typeof value === 'number') return new Date(value * DAY_MS).toISOString().slice(0, 10);
  return value as Row[string];
}
