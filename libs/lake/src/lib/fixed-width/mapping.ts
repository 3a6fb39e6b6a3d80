import { LakeError } from '../errors';
import type { Layer } from '../registry/tables';
import type { TableDef } from '../registry/tables';
import type { ObjectStore } from '../store/object-store';

/** A field of a fixed-width record: 0-based, end exclusive. */
export interface FieldSpan {
  readonly start: number;
  readonly end: number;
}

/** How one column's value is read from a record. */
export type FixedWidthValue =
  /** latin-1 text, trailing spaces removed. */
  | ({ readonly kind: 'text' } & FieldSpan)
  /** Digits: an INT or BIGINT column. */
  | ({ readonly kind: 'integer' } & FieldSpan)
  /** AAAAMMDD; `nullWhen` (e.g. 99991231) means no date. */
  | ({ readonly kind: 'date'; readonly nullWhen?: string } & FieldSpan)
  /** Digits with implied decimals, optionally divided by another field's integer (a quotation factor). */
  | ({ readonly kind: 'decimal'; readonly decimals: number; readonly per?: FieldSpan } & FieldSpan)
  /** The same text on every row (the source file's name). */
  | { readonly kind: 'constant'; readonly value: string };

/** How a table's columns are read from records of one length. */
export interface FixedWidthMapping {
  readonly recordLength: number;
  /** Every column of each output table, by column name. */
  readonly columns: Readonly<Record<string, FixedWidthValue>>;
}

/** Rows kept by an output: columns equal to a value, and columns not in a list of texts. */
export interface RowFilter {
  readonly equals?: Readonly<Record<string, string | number>>;
  readonly notIn?: Readonly<Record<string, readonly string[]>>;
}

/** One parquet object to write: a table, its key in the table's layer store, and the rows it keeps. */
export interface FixedWidthOutput {
  readonly table: TableDef;
  readonly key: string;
  readonly where?: RowFilter;
}

/** Records as views of `recordLength` bytes, in arrays (CotahistReader.quoteRecords gives them). */
export type RecordBatches = AsyncIterable<readonly Uint8Array[]>;

/**
 * Writes fixed-width records into parquet objects, streamed: DuckDB locally (fast), hyparquet in
 * Lambda (no native binary). Both produce the same rows (a spec holds them to it).
 */
export interface FixedWidthWriter {
  /** Returns the rows written per output, in order. */
  write(
    records: RecordBatches,
    mapping: FixedWidthMapping,
    outputs: readonly FixedWidthOutput[],
    stores: (layer: Layer) => ObjectStore,
  ): Promise<number[]>;
}

/** A record a writer cannot read (a field that should hold digits, a record of another length). */
export class FixedWidthRecordError extends LakeError {
  readonly code = 'FIXED_WIDTH_RECORD';
  constructor(
    readonly record: number,
    readonly column: string,
    readonly reason: string,
  ) {
    super(`record ${record}${column ? `, column ${column}` : ''}: ${reason}`);
    this.name = 'FixedWidthRecordError';
  }
}

/** Fails unless every column of every output has a mapping whose kind fits the column's type. */
export function checkMapping(mapping: FixedWidthMapping, outputs: readonly FixedWidthOutput[]): void {
  const fits: Record<FixedWidthValue['kind'], readonly string[]> = {
    text: ['STRING'],
    integer: ['INT', 'BIGINT'],
    date: ['DATE'],
    decimal: ['DOUBLE'],
    constant: ['STRING'],
  };
  const names = new Set(outputs.flatMap((o) => o.table.columns.map((c) => c.name)));
  for (const { table, where } of outputs) {
    for (const name of [...Object.keys(where?.equals ?? {}), ...Object.keys(where?.notIn ?? {})]) {
      if (!names.has(name)) throw new FixedWidthRecordError(0, name, `${table.name} filters on a column no output has`);
    }
    for (const column of table.columns) {
      const value = mapping.columns[column.name];
      if (!value) throw new FixedWidthRecordError(0, column.name, `${table.name} has no mapping for it`);
      if (!fits[value.kind].includes(column.type)) {
        throw new FixedWidthRecordError(0, column.name, `a ${value.kind} field cannot fill a ${column.type} column`);
      }
    }
  }
}
