import { FixedWidthRecordError, type FieldSpan, type FixedWidthValue } from '../fixed-width/mapping';
import { DuckDbWriterError } from './writer-error';

/** The DuckDB type of a vector a fixed-width field fills. */
export type VectorType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DATE';

/** A column read from the records (constants are added in SQL, not decoded per row). */
export interface VectorColumn {
  readonly name: string;
  readonly type: VectorType;
  readonly value: Exclude<FixedWidthValue, { kind: 'constant' }>;
}

/** Rows per chunk: DuckDB's vector size, the most a table function returns per call. */
export const CHUNK_ROWS = 2048;

/** Bytes per value in DuckDB's vector layout: a VARCHAR is a 16-byte string_t. */
export const VECTOR_WIDTH: Record<VectorType, number> = { VARCHAR: 16, INTEGER: 4, BIGINT: 8, DOUBLE: 8, DATE: 4 };

/** A text of more UTF-8 bytes than a string_t holds inline: DuckDB must copy it into its own heap. */
export interface LongText {
  readonly column: number;
  readonly row: number;
  readonly bytes: Uint8Array;
}

/**
 * Decoded rows in DuckDB's vector layout (see VectorDecoder), in one buffer: each column's values
 * at `offsets[c]`, its validity words (bit set = a value) at `validity[c]` when it holds a null.
 * One buffer, so posting a chunk to another thread hands over one thing.
 */
export interface DecodedChunk {
  readonly rows: number;
  readonly buffer: ArrayBuffer;
  readonly offsets: readonly number[];
  readonly validity: readonly (number | null)[];
  /** Texts too long to inline (DuckDB copies them one by one). */
  readonly long: readonly LongText[];
}

/** DuckDB inlines a string of up to 12 bytes in its string_t (4 bytes of length, 12 of text). */
const INLINE = 12;
const SPACE = 0x20;
const TWO_32 = 4_294_967_296;

/**
 * Decodes fixed-width records straight into the memory layout of DuckDB's vectors (doubles,
 * int32/int64 little-endian, days since 1970 for DATE, string_t for VARCHAR), one buffer per
 * column, so a chunk is handed to DuckDB as a memory copy per column. Every field is checked as it
 * is read, with the JavaScript writer's rules and messages: digits only, exact below 2^53, a real
 * date, a divisor not zero. Values equal the JavaScript column readers' (one division by scale ×
 * factor), which a spec holds both writers to.
 */
export class VectorDecoder {
  /** The chunk buffer's size, and where each column's values and validity words start in it. */
  readonly chunkBytes: number;
  private readonly offsets: number[] = [];
  private readonly validityOffsets: number[] = [];
  private buffer!: ArrayBuffer;
  private validity: Uint32Array[] = [];
  private hasNull: boolean[] = [];
  private long: LongText[] = [];
  private f64: Float64Array[] = [];
  private i32: Int32Array[] = [];
  private u8: Uint8Array[] = [];
  private readonly days = new Map<number, number>();
  /** Quotation factors read once per chunk however many prices they divide, by their field. */
  private readonly factors = new Map<number, { pass: number; values: Float64Array }>();
  /** Bumped per pass over a chunk's columns: the factors read in an earlier pass are stale. */
  private pass = 0;

  constructor(
    readonly columns: readonly VectorColumn[],
    readonly capacity = CHUNK_ROWS,
    /** Where buffers come from (a pool of the buffers handed back). */
    private readonly newBuffer: (bytes: number) => ArrayBuffer = (bytes) => new ArrayBuffer(bytes),
  ) {
    let at = 0;
    for (const column of columns) {
      this.offsets.push(at);
      at += Math.ceil((capacity * VECTOR_WIDTH[column.type]) / 8) * 8; // doubles stay aligned
    }
    for (let c = 0; c < columns.length; c++) {
      this.validityOffsets.push(at);
      at += Math.ceil(capacity / 64) * 8;
    }
    this.chunkBytes = at;
    this.allocate();
  }

  /**
   * Decodes `count` records (at most `capacity`) laid `stride` bytes apart from `offset` into rows
   * 0..count-1; `firstIndex` is the first one's 1-based number, named in errors. The chunk's
   * buffers are the decoder's own, overwritten by the next decode, unless `detach` hands them
   * over (to post them to another thread) and the decoder takes new ones.
   */
  decode(bytes: Uint8Array, offset: number, stride: number, count: number, firstIndex: number, detach = false) {
    if (count > this.capacity) throw new DuckDbWriterError(`${count} records where a chunk holds ${this.capacity}`);
    this.long = [];
    try {
      this.pass++;
      const records: Records = { bytes, offset, stride, count, firstIndex };
      for (let c = 0; c < this.columns.length; c++) this.column(c, records);
    } catch (error) {
      if (!(error instanceof FixedWidthRecordError)) throw error;
      // Column by column, the error found may not be the first: record by record up to it, it is.
      for (let r = 0; r <= error.record - firstIndex; r++) {
        this.pass++;
        const one: Records = { bytes, offset: offset + r * stride, stride, count: 1, firstIndex: firstIndex + r };
        for (let c = 0; c < this.columns.length; c++) this.column(c, one);
      }
      throw error;
    }
    const chunk: DecodedChunk = {
      rows: count,
      buffer: this.buffer,
      offsets: this.offsets,
      validity: this.validityOffsets.map((at, c) => (this.hasNull[c] ? at : null)),
      long: this.long,
    };
    if (detach) this.allocate();
    return chunk;
  }

  private allocate(): void {
    const buffer = (this.buffer = this.newBuffer(this.chunkBytes));
    const n = this.capacity;
    this.f64 = this.offsets.map((at, c) => new Float64Array(buffer, at, this.columns[c].type === 'DOUBLE' ? n : 0));
    this.i32 = this.offsets.map((at, c) => new Int32Array(buffer, at, (n * VECTOR_WIDTH[this.columns[c].type]) / 4));
    this.u8 = this.offsets.map((at, c) => new Uint8Array(buffer, at, n * VECTOR_WIDTH[this.columns[c].type]));
    // Stale words do not matter: a column's words are all set at its first null, and sent only then.
    this.validity = this.validityOffsets.map((at) => new Uint32Array(buffer, at, Math.ceil(n / 64) * 2));
    this.hasNull = this.columns.map(() => false);
  }

  /** The quotation factors of the chunk's records (digits, not zero), read once per pass. */
  private factorsOf(per: FieldSpan, name: string, records: Records): Float64Array {
    const { bytes, offset, stride, count, firstIndex } = records;
    const key = per.start * 65_536 + per.end;
    let entry = this.factors.get(key);
    if (!entry) this.factors.set(key, (entry = { pass: -1, values: new Float64Array(this.capacity) }));
    if (entry.pass !== this.pass) {
      const values = entry.values;
      for (let r = 0, at = offset; r < count; r++, at += stride) {
        const factor = digits(bytes, at + per.start, at + per.end);
        if (factor < 0) throw numberError(bytes, at, per, firstIndex + r, name, factor);
        if (factor === 0) throw new FixedWidthRecordError(firstIndex + r, name, 'a divisor of 0');
        values[r] = factor;
      }
      entry.pass = this.pass;
    }
    return entry.values;
  }

  /** One column of `count` records (a loop per column: each stays simple for the JIT). */
  private column(c: number, records: Records) {
    const { type, value, name } = this.columns[c];
    this.hasNull[c] = false;
    if (type === 'VARCHAR') this.texts(c, records);
    else if (type === 'DATE') this.dates(c, name, value as DateValue, records);
    else if (value.kind === 'decimal') this.decimals(c, name, value, records);
    else this.integers(c, name, value, type === 'BIGINT', records);
  }

  private decimals(
    c: number,
    name: string,
    value: FieldSpan & { decimals: number; per?: FieldSpan },
    records: Records,
  ) {
    const { bytes, offset, stride, count, firstIndex } = records;
    const out = this.f64[c];
    const scale = 10 ** value.decimals;
    const { start, end, per } = value;
    const factors = per && this.factorsOf(per, name, records);
    for (let r = 0, at = offset; r < count; r++, at += stride) {
      const raw = digits(bytes, at + start, at + end);
      if (raw < 0) throw numberError(bytes, at, value, firstIndex + r, name, raw);
      out[r] = factors ? raw / (scale * factors[r]) : raw / scale;
    }
  }

  private integers(c: number, name: string, span: FieldSpan, wide: boolean, records: Records): void {
    const { bytes, offset, stride, count, firstIndex } = records;
    const out = this.i32[c];
    for (let r = 0, at = offset; r < count; r++, at += stride) {
      const value = digits(bytes, at + span.start, at + span.end);
      if (value < 0) throw numberError(bytes, at, span, firstIndex + r, name, value);
      if (wide) {
        out[2 * r] = value % TWO_32;
        out[2 * r + 1] = Math.floor(value / TWO_32);
      } else if (value > 0x7fffffff) throw new FixedWidthRecordError(firstIndex + r, name, 'a number beyond INT');
      else out[r] = value;
    }
  }

  private dates(c: number, name: string, value: DateValue, records: Records): void {
    const { bytes, offset, stride, count, firstIndex } = records;
    const out = this.i32[c];
    const validity = this.validity[c];
    const nullKey = value.nullWhen === undefined ? -1 : Number(value.nullWhen);
    let nulls = false;
    // No key yet: -1 is what smallDigits returns for a non-digit, so it must not stand for "none".
    let lastKey = -2;
    let lastDay = 0;
    for (let r = 0, at = offset; r < count; r++, at += stride) {
      const key = smallDigits(bytes, at + value.start, at + value.end);
      if (key === lastKey) {
        out[r] = lastDay;
        continue;
      }
      if (key < 0) throw numberError(bytes, at, value, firstIndex + r, name, key);
      if (key === nullKey) {
        if (!nulls) validity.fill(0xffffffff);
        nulls = true;
        validity[r >>> 5] &= ~(1 << (r & 31));
        out[r] = 0;
        continue;
      }
      let day = this.days.get(key);
      if (day === undefined) {
        day = epochDay(key);
        if (day === undefined) throw new FixedWidthRecordError(firstIndex + r, name, `${key} is not a date (AAAAMMDD)`);
        this.days.set(key, day);
      }
      out[r] = day;
      lastKey = key;
      lastDay = day;
    }
    this.hasNull[c] = nulls;
  }

  /** latin-1 text without its trailing spaces, as UTF-8 in a string_t: inline when it fits, else kept aside. */
  private texts(c: number, records: Records): void {
    const { bytes, offset, stride, count } = records;
    const u8 = this.u8[c];
    const i32 = this.i32[c];
    const { start, end } = this.columns[c].value as FieldSpan;
    u8.fill(0, 0, count * 16);
    for (let r = 0, at = offset; r < count; r++, at += stride) {
      const from = at + start;
      let to = at + end;
      while (to > from && bytes[to - 1] === SPACE) to--;
      let high = 0;
      if (to - from <= INLINE) {
        // Copied as it is checked: an ASCII text is its own UTF-8.
        for (let i = from, o = r * 16 + 4; i < to; i++, o++) {
          const byte = bytes[i];
          high |= byte;
          u8[o] = byte;
        }
        if (high < 0x80) {
          i32[r * 4] = to - from;
          continue;
        }
        u8.fill(0, r * 16 + 4, r * 16 + 16);
      }
      const utf8 = Buffer.from(
        Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1'),
        'utf8',
      );
      if (utf8.length <= INLINE) {
        i32[r * 4] = utf8.length;
        u8.set(utf8, r * 16 + 4);
      } else this.long.push({ column: c, row: r, bytes: utf8 });
    }
  }
}

type DateValue = FieldSpan & { nullWhen?: string };

/** The records of one decode: `count` of them `stride` bytes apart from `offset`, the first numbered `firstIndex`. */
interface Records {
  readonly bytes: Uint8Array;
  readonly offset: number;
  readonly stride: number;
  readonly count: number;
  readonly firstIndex: number;
}

/**
 * The digits of bytes[from, to) as a number; -1 when a byte is not a digit, -2 when the number
 * is beyond 2^53 (not exact as a double). Read as two runs of at most 9 digits in small-integer
 * arithmetic, joined once: twice as fast as one long chain of double multiply-adds.
 */
function digits(bytes: Uint8Array, from: number, to: number): number {
  if (to - from <= 9) return smallDigits(bytes, from, to);
  // Longer than 18 digits (no COTAHIST field is): the leading runs the same way, recursively.
  const high = to - from <= 18 ? smallDigits(bytes, from, to - 9) : digits(bytes, from, to - 9);
  const low = smallDigits(bytes, to - 9, to);
  if (high === -1 || low < 0) return -1;
  if (high === -2) return -2;
  const value = high * 1e9 + low;
  return value > Number.MAX_SAFE_INTEGER ? -2 : value;
}

/** digits() for a field of at most 9 digits, in small-integer arithmetic; -1 when a byte is not a digit. */
function smallDigits(bytes: Uint8Array, from: number, to: number): number {
  let value = 0;
  let check = 0;
  for (let i = from; i < to; i++) {
    const d = bytes[i] - 48;
    check |= d | (9 - d);
    value = (value * 10 + d) | 0;
  }
  return check < 0 ? -1 : value;
}

function numberError(
  bytes: Uint8Array,
  at: number,
  span: FieldSpan,
  index: number,
  column: string,
  code: number,
): FixedWidthRecordError {
  if (code === -2) return new FixedWidthRecordError(index, column, 'a number beyond 2^53');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + at + span.start, span.end - span.start).toString('latin1');
  return new FixedWidthRecordError(index, column, `"${text}" is not a number`);
}

/** Days since 1970-01-01 of AAAAMMDD, undefined when it is not a calendar date. */
function epochDay(key: number): number | undefined {
  const [y, m, d] = [Math.floor(key / 10_000), Math.floor(key / 100) % 100, key % 100];
  const time = Date.UTC(y, m - 1, d);
  const back = new Date(time);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
  return time / 86_400_000;
}
