import { FixedWidthRecordError, type FieldSpan, type FixedWidthMapping, type FixedWidthValue } from './mapping';
import type { ColumnType } from '../registry/columns';

const DAY_MS = 86_400_000;
const SPACE = 0x20;

/** Reads one column of a record in the parquet writer's form (DATE as epoch days, BIGINT as bigint). */
export type ColumnReader = (record: Uint8Array, index: number) => unknown;

/** Digits of a span as a number; a non-digit is an error naming the record and the column. */
function digits(record: Uint8Array, span: FieldSpan, index: number, column: string): number {
  let value = 0;
  for (let i = span.start; i < span.end; i++) {
    const d = record[i] - 48;
    if (d < 0 || d > 9) {
      const text = Buffer.from(record.subarray(span.start, span.end)).toString('latin1');
      throw new FixedWidthRecordError(index, column, `"${text}" is not a number`);
    }
    value = value * 10 + d;
  }
  if (!Number.isSafeInteger(value)) throw new FixedWidthRecordError(index, column, 'a number beyond 2^53');
  return value;
}

function textReader(span: FieldSpan): ColumnReader {
  return (record) => {
    let end = span.end;
    while (end > span.start && record[end - 1] === SPACE) end--;
    return Buffer.from(record.buffer, record.byteOffset + span.start, end - span.start).toString('latin1');
  };
}

function dateReader(span: FieldSpan & { nullWhen?: string }, column: string): ColumnReader {
  const nullKey = span.nullWhen === undefined ? -1 : Number(span.nullWhen);
  const days = new Map<number, number>();
  return (record, index) => {
    const key = digits(record, span, index, column);
    if (key === nullKey) return null;
    let day = days.get(key);
    if (day === undefined) {
      const [y, m, d] = [Math.floor(key / 10_000), Math.floor(key / 100) % 100, key % 100];
      const time = Date.UTC(y, m - 1, d);
      const back = new Date(time);
      if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
        throw new FixedWidthRecordError(index, column, `${key} is not a date (AAAAMMDD)`);
      }
      day = time / DAY_MS;
      days.set(key, day);
    }
    return day;
  };
}

/** A column's reader, for the column's type. */
export function columnReader(name: string, type: ColumnType, value: FixedWidthValue): ColumnReader {
  switch (value.kind) {
    case 'constant':
      return () => value.value;
    case 'text':
      return textReader(value);
    case 'date':
      return dateReader(value, name);
    case 'integer':
      return type === 'BIGINT'
        ? (record, index) => BigInt(digits(record, value, index, name))
        : (record, index) => digits(record, value, index, name);
    case 'decimal': {
      const scale = 10 ** value.decimals;
      const per = value.per;
      // One division by (scale × factor), exact integers both: DuckDB's writer computes the same double.
      return per
        ? (record, index) => {
            const factor = digits(record, per, index, name);
            if (factor === 0) throw new FixedWidthRecordError(index, name, 'a divisor of 0');
            return digits(record, value, index, name) / (scale * factor);
          }
        : (record, index) => digits(record, value, index, name) / scale;
    }
  }
}

/** Fails on a record of another length than the mapping's (its fields would be shifted). */
export function checkRecordLength(mapping: FixedWidthMapping, record: Uint8Array, index: number): void {
  if (record.length !== mapping.recordLength) {
    throw new FixedWidthRecordError(index, '', `${record.length} bytes where records have ${mapping.recordLength}`);
  }
}
