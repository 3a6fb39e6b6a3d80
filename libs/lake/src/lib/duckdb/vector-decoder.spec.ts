import { FixedWidthRecordError, type FixedWidthValue } from '../fixed-width/mapping';
import { columnReader } from '../fixed-width/record-decoder';
import { BufferPool } from './buffer-pool';
import { VECTOR_WIDTH, VectorDecoder, type DecodedChunk, type VectorColumn } from './vector-decoder';

// A made-up layout of 64 bytes:
// code(0-6) name(6-20) kind(20-22) price(22-35, 2 decimals) factor(35-42) volume(42-60) day(60-68)
const LENGTH = 68;
const record = (f: {
  code?: string;
  name?: string;
  kind?: string;
  price?: string;
  factor?: string;
  volume?: string;
  day?: string;
}) =>
  Buffer.from(
    (f.code ?? 'PETR4').padEnd(6) +
      (f.name ?? 'PETROBRAS').padEnd(14) +
      (f.kind ?? '10') +
      (f.price ?? '0000000002346') +
      (f.factor ?? '0000001') +
      (f.volume ?? '000000143317769400') +
      (f.day ?? '20210326'),
    'latin1',
  );

const values: Record<string, Exclude<FixedWidthValue, { kind: 'constant' }>> = {
  code: { kind: 'text', start: 0, end: 6 },
  name: { kind: 'text', start: 6, end: 20 },
  kind: { kind: 'integer', start: 20, end: 22 },
  price: { kind: 'decimal', start: 22, end: 35, decimals: 2, per: { start: 35, end: 42 } },
  ask: { kind: 'decimal', start: 22, end: 35, decimals: 2, per: { start: 35, end: 42 } },
  volume: { kind: 'decimal', start: 42, end: 60, decimals: 2 },
  trades: { kind: 'integer', start: 42, end: 60 },
  day: { kind: 'date', start: 60, end: 68, nullWhen: '99991231' },
};
const columns: VectorColumn[] = [
  { name: 'code', type: 'VARCHAR', value: values['code'] },
  { name: 'name', type: 'VARCHAR', value: values['name'] },
  { name: 'kind', type: 'INTEGER', value: values['kind'] },
  { name: 'price', type: 'DOUBLE', value: values['price'] },
  { name: 'ask', type: 'DOUBLE', value: values['ask'] },
  { name: 'volume', type: 'DOUBLE', value: values['volume'] },
  { name: 'trades', type: 'BIGINT', value: values['trades'] },
  { name: 'day', type: 'DATE', value: values['day'] },
];

const pack = (records: Buffer[]) => Buffer.concat(records);

/** Row r of column c read back from DuckDB's layout, as the JavaScript column readers give it. */
function valueAt(decoder: VectorDecoder, chunk: DecodedChunk, c: number, r: number): unknown {
  const at = chunk.offsets[c] + r * VECTOR_WIDTH[decoder.columns[c].type];
  const view = new DataView(chunk.buffer);
  const validity = chunk.validity[c];
  if (validity !== null && !(view.getUint32(validity + 4 * (r >>> 5), true) & (1 << (r & 31)))) return null;
  switch (decoder.columns[c].type) {
    case 'DOUBLE':
      return view.getFloat64(at, true);
    case 'BIGINT':
      return view.getBigInt64(at, true);
    case 'INTEGER':
    case 'DATE':
      return view.getInt32(at, true);
    case 'VARCHAR': {
      const length = view.getUint32(at, true);
      const long = chunk.long.find((t) => t.column === c && t.row === r);
      if (long) return Buffer.from(long.bytes).toString('utf8');
      expect(length).toBeLessThanOrEqual(12);
      const bytes = Buffer.from(chunk.buffer, at + 4, 12);
      expect(bytes.subarray(length).every((b) => b === 0)).toBe(true); // DuckDB compares the padding
      return bytes.subarray(0, length).toString('utf8');
    }
  }
}

const decodeAll = (records: Buffer[]) => {
  const decoder = new VectorDecoder(columns);
  const chunk = decoder.decode(pack(records), 0, LENGTH, records.length, 1);
  return { decoder, chunk };
};

describe('VectorDecoder: fixed-width records into DuckDB vector memory', () => {
  const records = [
    record({}),
    record({ code: 'FNAM11', name: 'FINAM', price: '0000000123457', factor: '0001000' }),
    record({ code: 'ABCB10', name: 'AÇÕES ÚNICAS', day: '99991231' }),
    record({ code: 'X', name: 'ÁÉÍÓÚÀÂÊÔÃÕÇ', volume: '009007199254740991' }),
    record({ code: '', name: '' }),
  ];

  it('gives every column the value the JavaScript writer reads from the same record', () => {
    const { decoder, chunk } = decodeAll(records);
    const type = { VARCHAR: 'STRING', INTEGER: 'INT', BIGINT: 'BIGINT', DOUBLE: 'DOUBLE', DATE: 'DATE' } as const;
    for (const [c, column] of columns.entries()) {
      const read = columnReader(column.name, type[column.type], column.value);
      for (const [r, bytes] of records.entries()) {
        expect([column.name, r, valueAt(decoder, chunk, c, r)]).toEqual([column.name, r, read(bytes, r + 1)]);
      }
    }
  });

  it('divides a price once by the scale times its factor, and marks 9999-12-31 as null', () => {
    const { decoder, chunk } = decodeAll(records);
    expect(valueAt(decoder, chunk, 3, 1)).toBe(123457 / (100 * 1000));
    expect(valueAt(decoder, chunk, 7, 0)).toBe(Date.UTC(2021, 2, 26) / 86_400_000);
    expect(valueAt(decoder, chunk, 7, 2)).toBeNull();
    expect(chunk.validity[7]).not.toBeNull();
    expect(chunk.validity[0]).toBeNull();
  });

  it('inlines texts of up to 12 UTF-8 bytes and keeps longer ones (accents take two) aside', () => {
    const { chunk } = decodeAll(records);
    expect(chunk.long.map((t) => [t.column, t.row, Buffer.from(t.bytes).toString('utf8')])).toEqual([
      [1, 2, 'AÇÕES ÚNICAS'],
      [1, 3, 'ÁÉÍÓÚÀÂÊÔÃÕÇ'],
    ]);
  });

  it('names the first wrong record and its column, whatever column is read first', () => {
    const wrong = [
      record({}),
      record({ day: '20210230' }), // record 2: not a date, in the last column
      record({ kind: '1A' }), // record 3: not a number, in the third column
    ];
    expect(() => decodeAll(wrong)).toThrow(new FixedWidthRecordError(2, 'day', '20210230 is not a date (AAAAMMDD)'));
    // A wrong date in the first record of a chunk, and after a run of null dates.
    expect(() => decodeAll([record({ day: '2021X326' })])).toThrow(
      new FixedWidthRecordError(1, 'day', '"2021X326" is not a number'),
    );
    expect(() => decodeAll([record({ day: '99991231' }), record({ day: 'ABCDEFGH' })])).toThrow(
      new FixedWidthRecordError(2, 'day', '"ABCDEFGH" is not a number'),
    );
    // Found column by column (kind in record 3 first), reported record by record (day in record 2).
    expect(() => decodeAll([record({}), record({ day: '2021X326' }), record({ kind: '1A' })])).toThrow(
      new FixedWidthRecordError(2, 'day', '"2021X326" is not a number'),
    );
    expect(() => decodeAll([record({ factor: '0000000' })])).toThrow(
      new FixedWidthRecordError(1, 'price', 'a divisor of 0'),
    );
    expect(() => decodeAll([record({ factor: '00000-1' })])).toThrow(
      new FixedWidthRecordError(1, 'price', '"00000-1" is not a number'),
    );
    expect(() => decodeAll([record({ volume: '999999999999999999' })])).toThrow(
      new FixedWidthRecordError(1, 'volume', 'a number beyond 2^53'),
    );
    expect(() => decodeAll([record({ volume: '1'.padStart(18, '0') }), record({ volume: '1'.repeat(18) })])).toThrow(
      new FixedWidthRecordError(2, 'volume', 'a number beyond 2^53'),
    );
    expect(() => decodeAll([record({}), record({ price: '00000000023 6' })])).toThrow(
      new FixedWidthRecordError(2, 'price', '"00000000023 6" is not a number'),
    );
  });

  it('numbers records from the first one given, and reads a chunk at any offset and stride', () => {
    const decoder = new VectorDecoder(columns);
    const withBreaks = Buffer.concat(records.map((r) => Buffer.concat([r, Buffer.from('\r\n')])));
    const chunk = decoder.decode(withBreaks, LENGTH + 2, LENGTH + 2, 2, 1);
    expect(valueAt(decoder, chunk, 0, 0)).toBe('FNAM11');
    expect(() => decoder.decode(pack([record({ kind: 'XX' })]), 0, LENGTH, 1, 4097)).toThrow(
      /record 4097, column kind/,
    );
  });

  it('hands its buffer over when detached and takes the next from its pool', () => {
    const pool = new BufferPool();
    const decoder = new VectorDecoder(columns, 16, (bytes) => pool.take(bytes));
    const first = decoder.decode(pack(records), 0, LENGTH, records.length, 1, true);
    const second = decoder.decode(pack(records), 0, LENGTH, 1, 1, true);
    expect(second.buffer).not.toBe(first.buffer);
    pool.give([first.buffer]);
    // The buffer after a detach is taken at once: the one given back comes with the next detach.
    decoder.decode(pack(records), 0, LENGTH, 1, 1, true);
    expect(decoder.decode(pack(records), 0, LENGTH, 1, 1, true).buffer === first.buffer).toBe(true);
    expect(() => decoder.decode(pack(records), 0, LENGTH, 17, 1)).toThrow(/17 records where a chunk holds 16/);
  });

  it('reads a field of more than 18 digits exactly below 2^53, and refuses beyond', () => {
    const wide = new VectorDecoder([{ name: 'n', type: 'BIGINT', value: { kind: 'integer', start: 0, end: 20 } }]);
    const read = (text: string) => {
      const chunk = wide.decode(Buffer.from(text, 'latin1'), 0, 20, 1, 1);
      return new DataView(chunk.buffer).getBigInt64(chunk.offsets[0], true);
    };
    expect(read('00009007199254740991')).toBe(9_007_199_254_740_991n);
    expect(read('00000000000000000123')).toBe(123n);
    expect(() => read('12345678901234567890')).toThrow(/record 1, column n: a number beyond 2\^53/);
    expect(() => read('1234567890123456789X')).toThrow(/"1234567890123456789X" is not a number/);
  });
});
