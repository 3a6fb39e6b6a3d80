import type { FileHandle } from 'node:fs/promises';
import {
  FixedWidthRecordError,
  type FieldSpan,
  type FixedWidthMapping,
  type FixedWidthValue,
  type RecordBatches,
} from '../fixed-width/mapping';
import { checkRecordLength } from '../fixed-width/record-decoder';

/** Separates fields in the staged text: a control character, which no checked field can hold. */
export const DELIMITER = 0x01;
/** Stands for NULL in the staged text (DuckDB's `nullstr`), so an empty text stays an empty text. */
export const NULL_MARK = 0x02;
const LF = 0x0a;
const SPACE = 0x20;

/**
 * A field copied into the staged text, in the form DuckDB's CSV reader types by itself: digits
 * (BIGINT), text without its trailing spaces (VARCHAR, UTF-8), a date as YYYY-MM-DD (DATE).
 */
export interface StagedField extends FieldSpan {
  readonly name: string;
  readonly as: 'digits' | 'text' | 'date';
  /** A date field's text that means no date (written as NULL_MARK). */
  readonly nullWhen?: string;
  /** The column named in errors about this field. */
  readonly column: string;
}

export const CSV_TYPE: Record<StagedField['as'], string> = { digits: 'BIGINT', text: 'VARCHAR', date: 'DATE' };

/** The distinct fields the columns read, each once, in a stable order. */
export function stagedFields(mapping: FixedWidthMapping, columns: readonly string[]): StagedField[] {
  const byKey = new Map<string, StagedField>();
  const add = (span: FieldSpan, as: StagedField['as'], column: string, nullWhen?: string) => {
    const key = `${span.start}-${span.end}-${as}-${nullWhen ?? ''}`;
    if (!byKey.has(key)) {
      byKey.set(key, { start: span.start, end: span.end, as, column, nullWhen, name: `f${byKey.size}` });
    }
  };
  for (const column of columns) {
    const value = mapping.columns[column];
    if (value.kind === 'text') add(value, 'text', column);
    else if (value.kind === 'date') add(value, 'date', column, value.nullWhen);
    else if (value.kind !== 'constant') add(value, 'digits', column);
  }
  // Divisors last: a field read as a column too is named after that column in errors.
  for (const column of columns) {
    const value = mapping.columns[column];
    if (value.kind === 'decimal' && value.per) add(value.per, 'digits', column);
  }
  return [...byKey.values()];
}

/** The staged field a value reads. */
export function fieldOf(
  fields: readonly StagedField[],
  value: FixedWidthValue & FieldSpan,
  as?: StagedField['as'],
): StagedField {
  const kind = as ?? (value.kind === 'text' ? 'text' : value.kind === 'date' ? 'date' : 'digits');
  const nullWhen = value.kind === 'date' ? value.nullWhen : undefined;
  const field = fields.find(
    (f) =>
      f.start === value.start && f.end === value.end && f.as === kind && (kind !== 'date' || f.nullWhen === nullWhen),
  );
  if (!field) throw new FixedWidthRecordError(0, '', `no staged field at ${value.start}-${value.end}`);
  return field;
}

/** Dates seen, checked once each: AAAAMMDD as a number → its YYYY-MM-DD bytes. */
class DateCache {
  private readonly iso = new Map<number, Buffer>();

  bytes(record: Uint8Array, field: StagedField, index: number): Buffer {
    let key = 0;
    for (let i = field.start; i < field.end; i++) {
      const d = record[i] - 48;
      if (d < 0 || d > 9) throw notDigits(record, field, index);
      key = key * 10 + d;
    }
    let iso = this.iso.get(key);
    if (!iso) {
      const [y, m, d] = [Math.floor(key / 10_000), Math.floor(key / 100) % 100, key % 100];
      const back = new Date(Date.UTC(y, m - 1, d));
      if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
        throw new FixedWidthRecordError(index, field.column, `${key} is not a date (AAAAMMDD)`);
      }
      iso = Buffer.from(back.toISOString().slice(0, 10), 'latin1');
      this.iso.set(key, iso);
    }
    return iso;
  }
}

/**
 * Writes the records' fields to the file `openOutput` opens (a file or a pipe), one line per
 * record, fields separated by DELIMITER. Digits must be digits, dates must be dates, text holds no
 * control character (latin-1 becomes UTF-8), and divisors (a quotation factor) are not zero: an
 * error names the record and the column. Returns the records written.
 */
export async function stageText(
  records: RecordBatches,
  mapping: FixedWidthMapping,
  fields: readonly StagedField[],
  divisors: readonly (FieldSpan & { column: string })[],
  openOutput: () => Promise<FileHandle>,
): Promise<number> {
  const dates = new DateCache();
  const widest = fields.reduce((n, f) => n + Math.max((f.end - f.start) * 2, 10) + 1, 0);
  const nullKeys = fields.map((f) => (f.nullWhen === undefined ? -1 : Number(f.nullWhen)));
  const file = await openOutput();
  let count = 0;
  try {
    for await (const batch of records) {
      const out = Buffer.allocUnsafe(batch.length * widest);
      let at = 0;
      for (const record of batch) {
        checkRecordLength(mapping, record, ++count);
        for (const divisor of divisors) {
          let zero = true;
          for (let i = divisor.start; i < divisor.end && zero; i++) zero = record[i] === 48;
          if (zero) throw new FixedWidthRecordError(count, divisor.column, 'a divisor of 0');
        }
        for (let f = 0; f < fields.length; f++) {
          const field = fields[f];
          if (f > 0) out[at++] = DELIMITER;
          if (field.as === 'digits') {
            for (let i = field.start; i < field.end; i++) {
              const byte = record[i];
              if (byte < 48 || byte > 57) throw notDigits(record, field, count);
              out[at++] = byte;
            }
          } else if (field.as === 'date') {
            if (nullKeys[f] >= 0 && isNullDate(record, field, nullKeys[f])) out[at++] = NULL_MARK;
            else at += dates.bytes(record, field, count).copy(out, at);
          } else {
            let end = field.end;
            while (end > field.start && record[end - 1] === SPACE) end--;
            for (let i = field.start; i < end; i++) {
              const byte = record[i];
              if (byte < 0x20 || byte === 0x7f) {
                throw new FixedWidthRecordError(count, field.column, 'a control character in a text field');
              }
              if (byte < 0x80) out[at++] = byte;
              else {
                out[at++] = 0xc0 | (byte >> 6);
                out[at++] = 0x80 | (byte & 0x3f);
              }
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

function isNullDate(record: Uint8Array, field: StagedField, nullKey: number): boolean {
  let key = 0;
  for (let i = field.start; i < field.end; i++) key = key * 10 + record[i] - 48;
  return key === nullKey;
}

function notDigits(record: Uint8Array, field: StagedField, index: number): FixedWidthRecordError {
  const text = Buffer.from(record.subarray(field.start, field.end)).toString('latin1');
  return new FixedWidthRecordError(index, field.column, `"${text}" is not a number`);
}
