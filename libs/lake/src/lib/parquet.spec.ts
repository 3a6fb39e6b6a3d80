import { decodeParquet, encodeParquet, SchemaMismatchError } from './parquet';
import type { TableDef } from './registry/tables';

const T: TableDef = {
  key: 'sot_acoes',
  database: 'db_test',
  name: 'tbtest',
  layer: 'sot',
  description: 'test',
  columns: [
    { name: 's', type: 'STRING', comment: '' },
    { name: 'd', type: 'DOUBLE', comment: '' },
    { name: 'b', type: 'BIGINT', comment: '' },
    { name: 'i', type: 'INT', comment: '' },
    { name: 'dt', type: 'DATE', comment: '' },
    { name: 'ts', type: 'TIMESTAMP', comment: '' },
    { name: 'ok', type: 'BOOLEAN', comment: '' },
  ],
  partitionKeys: [{ name: 'anomesdia_exec', type: 'INT', comment: '' }],
  writtenBy: 'prepare',
};

describe('parquet encode/decode', () => {
  it('round-trips every column type, nulls included, with exact big integers and negative fractions', async () => {
    const rows = [
      {
        s: 'Cotação',
        d: -0.0291,
        b: 13044500000,
        i: 2022,
        dt: '2022-05-24',
        ts: new Date('2022-05-24T21:45:00.123Z'),
        ok: true,
      },
      { s: null, d: null, b: null, i: null, dt: null, ts: null, ok: null },
    ];
    const bytes = encodeParquet(T, rows);
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('PAR1');
    expect(await decodeParquet(T, bytes)).toEqual(rows);
  });

  it('decodes a copy of the bytes to the same rows, and the file itself holds those values', async () => {
    const rows = [{ s: 'x', d: 1.5, b: 7, i: 1, dt: '2022-05-24', ts: new Date(0), ok: false }];
    const bytes = encodeParquet(T, rows);
    const foreign = new Uint8Array([...bytes]);
    expect(await decodeParquet(T, foreign)).toEqual(rows);
    const { parquetReadObjects } = await import('hyparquet');
    const raw = await parquetReadObjects({ file: bytes.buffer.slice(0) as ArrayBuffer });
    expect(raw[0]).toMatchObject({ s: 'x', d: 1.5, b: 7n, i: 1, ok: false });
  });

  it('returns copies: changing a decoded row does not change the next decode', async () => {
    const bytes = encodeParquet(T, [{ s: 'a', ts: new Date(5) }]);
    const first = await decodeParquet(T, bytes);
    first[0]['s'] = 'changed';
    (first[0]['ts'] as Date).setTime(99);
    expect(await decodeParquet(T, bytes)).toMatchObject([{ s: 'a', ts: new Date(5) }]);
  });

  it('ignores partition columns in the row (they live in the path)', async () => {
    const bytes = encodeParquet(T, [{ s: 'x', anomesdia_exec: 20220524 }]);
    expect(await decodeParquet(T, bytes)).toEqual([
      { s: 'x', d: null, b: null, i: null, dt: null, ts: null, ok: null },
    ]);
  });

  it('writes column statistics by default and can leave them out', async () => {
    const { parquetMetadata } = await import('hyparquet');
    const stats = (bytes: Uint8Array) =>
      parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
        .row_groups[0].columns[1].meta_data?.statistics;
    const rows = [{ d: 1.5 }, { d: -2 }];
    expect(stats(encodeParquet(T, rows))).toMatchObject({ min_value: -2, max_value: 1.5 });
    expect(stats(encodeParquet(T, rows, { statistics: false }))).toBeUndefined();
  });

  it('writes an empty file with the schema', async () => {
    expect(await decodeParquet(T, encodeParquet(T, []))).toEqual([]);
  });

  it.each([
    ['d', '31,60', /column d expects a finite DOUBLE, got "31,60"/],
    ['d', Number.NaN, /column d expects a finite DOUBLE/],
    ['b', 1.5, /column b expects a BIGINT/],
    ['b', 2 ** 60, /column b expects a BIGINT/],
    ['i', 2 ** 40, /column i expects an INT/],
    ['dt', '24/05/2022', /column dt expects a DATE \(YYYY-MM-DD\), got "24\/05\/2022"/],
    ['ts', 'yesterday', /column ts expects a TIMESTAMP/],
    ['s', 5, /column s expects STRING, got 5 \(number\)/],
    ['ok', 'true', /column ok expects a BOOLEAN/],
  ])('rejects %s = %p naming the column and value', (column, value, message) => {
    expect(() => encodeParquet(T, [{ [column]: value } as never])).toThrow(SchemaMismatchError);
    expect(() => encodeParquet(T, [{ s: 'fine' }, { [column]: value } as never])).toThrow(message);
  });

  it('rejects a column that is not in the table', () => {
    expect(() => encodeParquet(T, [{ s: 'x', typo: 1 } as never])).toThrow(
      /tbtest, row 0: column typo expects no such column/,
    );
  });
});
