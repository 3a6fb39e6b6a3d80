import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HyparquetFixedWidthWriter } from '../fixed-width/hyparquet-writer';
import type { FixedWidthMapping, FixedWidthOutput, FixedWidthWriter } from '../fixed-width/mapping';
import { decodeParquet } from '../parquet';
import { big, date, dbl, int, str } from '../registry/columns';
import type { TableDef } from '../registry/tables';
import { LocalFsStore } from '../store/local-fs-store';
import { DuckDbFixedWidthWriter } from './fixed-width-duckdb';

// A made-up layout of 32 bytes: code(0-6) name(6-14) kind(14-16) price(16-22, 2 decimals) factor(22-24) day(24-32)
const record = (code: string, name: string, kind: string, price: string, factor: string, day: string) =>
  Buffer.from(code.padEnd(6) + name.padEnd(8) + kind + price + factor + day, 'latin1');

const mapping: FixedWidthMapping = {
  recordLength: 32,
  columns: {
    code: { kind: 'text', start: 0, end: 6 },
    name: { kind: 'text', start: 6, end: 14 },
    kind: { kind: 'integer', start: 14, end: 16 },
    price: { kind: 'decimal', start: 16, end: 22, decimals: 2, per: { start: 22, end: 24 } },
    raw_price: { kind: 'integer', start: 16, end: 22 },
    day: { kind: 'date', start: 24, end: 32, nullWhen: '99991231' },
    source: { kind: 'constant', value: 'FILE_A.ZIP' },
  },
};

const base = { layer: 'sot' as const, partitionKeys: [int('ano', 'year')], writtenBy: 'cotahist' as const };
const all: TableDef = {
  ...base,
  key: 'cotahist',
  database: 'db',
  name: 'all_rows',
  description: 'every record',
  columns: [
    str('code', 'code'),
    str('name', 'name'),
    int('kind', 'kind'),
    dbl('price', 'per unit'),
    big('raw_price', 'centavos'),
    date('day', 'day'),
    str('source', 'file'),
  ],
};
const spot: TableDef = {
  ...all,
  key: 'cotahist_spot',
  name: 'spot_rows',
  columns: [str('code', 'code'), dbl('price', 'per unit'), date('day', 'day')],
};

const byCode = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String(a['code']).localeCompare(String(b['code']));

const records = [
  record('PETR4', 'PETROBRÁ', '10', '002346', '01', '20210326'),
  record('FNAM11', 'FINAM', '10', '123457', '10', '20210326'),
  record('PETRD2', 'PETR', '70', '000012', '01', '20210419'),
  record('ABCB10', 'ABC', '10', '000100', '01', '99991231'),
];

async function* batches(list: Buffer[], size = 3): AsyncGenerator<Buffer[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

const outputs: FixedWidthOutput[] = [
  { table: all, key: 'all_rows/ano=2021/FILE_A.parquet' },
  {
    table: spot,
    key: 'spot_rows/ano=2021/FILE_A.parquet',
    where: { equals: { kind: 10 }, notIn: { code: ['ABCB10'] } },
  },
];

// A DuckDB writer spawns a worker thread and DuckDB per write: seconds on a busy CI machine.
jest.setTimeout(30_000);

describe('both writers, row for row', () => {
  it('give identical rows for 9,000 records: nulls across chunks, long accented texts, factors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'b3lake-fw-parity-'));
    try {
      // 3,000 rows without a date (9999-12-31) first, so a whole chunk is null; then dated rows.
      const many = Array.from({ length: 9_000 }, (_, i) =>
        record(
          `T${i}`,
          ['AÇÕESÚNI', 'ÁÉÍÓÚ', `N${i % 97}`, ''][i % 4],
          ['10', '70', '20'][i % 3],
          String((i * 7919) % 1_000_000).padStart(6, '0'),
          ['01', '10', '99'][i % 3],
          i < 3_000
            ? '99991231'
            : `2021${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`,
        ),
      );
      const rowsOf = async (writer: FixedWidthWriter, name: string) => {
        const store = new LocalFsStore(join(dir, name));
        await writer.write(batches(many, 777), mapping, outputs, () => store);
        const rows = await decodeParquet(all, await store.get(outputs[0].key));
        return rows.sort(byCode);
      };
      const hyp = await rowsOf(new HyparquetFixedWidthWriter({ scratchDir: dir }), 'hyparquet');
      // Every batch decoded by the worker, every batch decoded by this thread, and as it comes.
      for (const decodeHereFrom of [Infinity, 0, undefined]) {
        const writer = new DuckDbFixedWidthWriter({ scratchDir: dir, decodeHereFrom });
        expect(await rowsOf(writer, `duckdb-${decodeHereFrom}`)).toEqual(hyp);
        await writer.close();
      }
      const duck = await rowsOf(new DuckDbFixedWidthWriter({ scratchDir: dir }), 'duckdb');
      expect(duck).toHaveLength(9_000);
      expect(duck.filter((r) => r['day'] === null)).toHaveLength(3_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the DuckDB writer across writes (one worker thread and DuckDB for all)', () => {
  it('writes after a failed write, runs concurrent writes in turn, starts again after close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'b3lake-fw-reuse-'));
    const store = new LocalFsStore(join(dir, 'lake'));
    const writer = new DuckDbFixedWidthWriter({ scratchDir: dir });
    const many = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => record(`${prefix}${i}`, 'N', '10', '000100', '01', '20210326'));
    const at = (key: string): FixedWidthOutput[] => [
      { table: all, key: `all_rows/ano=2021/${key}.parquet` },
      { ...outputs[1], key: `spot_rows/ano=2021/${key}.parquet` },
    ];
    try {
      expect(await writer.write(batches(many('A', 5_000), 600), mapping, at('A'), () => store)).toEqual([5_000, 5_000]);
      // Fails at record 4,500, its later batches already posted: the next write must not read them.
      const bad = [...many('B', 4_499), record('X', 'Y', 'ZZ', '000001', '01', '20210326'), ...many('B', 3_000)];
      await expect(writer.write(batches(bad, 600), mapping, at('B'), () => store)).rejects.toThrow(
        /record 4500, column kind/,
      );
      const [c, d] = await Promise.all([
        writer.write(batches(many('C', 3_000), 500), mapping, at('C'), () => store),
        writer.write(batches(many('D', 2_000), 500), mapping, at('D'), () => store),
      ]);
      expect([c, d]).toEqual([
        [3_000, 3_000],
        [2_000, 2_000],
      ]);
      const codes = async (key: string) =>
        (await decodeParquet(all, await store.get(`all_rows/ano=2021/${key}.parquet`))).map(
          (r) => String(r['code'])[0],
        );
      expect(new Set(await codes('C'))).toEqual(new Set(['C']));
      expect(await codes('D')).toHaveLength(2_000);
      await writer.close();
      expect(await writer.write(batches(many('E', 10)), mapping, at('E'), () => store)).toEqual([10, 10]);
      await writer.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each([
  ['DuckDB', (dir: string) => new DuckDbFixedWidthWriter({ scratchDir: dir })],
  [
    'DuckDB, every batch decoded on the main thread',
    (dir: string) => new DuckDbFixedWidthWriter({ scratchDir: dir, decodeHereFrom: 0 }),
  ],
  ['hyparquet', (dir: string) => new HyparquetFixedWidthWriter({ scratchDir: dir })],
] as const)('fixed-width records into parquet (%s writer)', (_, make: (dir: string) => FixedWidthWriter) => {
  let dir: string;
  let store: LocalFsStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'b3lake-fw-spec-'));
    store = new LocalFsStore(join(dir, 'lake'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('types every field by position and filters the second output, with the same values either way', async () => {
    const counts = await make(dir).write(batches(records), mapping, outputs, () => store);
    expect(counts).toEqual([4, 2]);
    const rows = await decodeParquet(all, await store.get(outputs[0].key));
    expect(rows.sort(byCode)).toEqual(
      [
        {
          code: 'PETR4',
          name: 'PETROBRÁ',
          kind: 10,
          price: 23.46,
          raw_price: 2346,
          day: '2021-03-26',
          source: 'FILE_A.ZIP',
        },
        {
          code: 'FNAM11',
          name: 'FINAM',
          kind: 10,
          price: 123.457,
          raw_price: 123457,
          day: '2021-03-26',
          source: 'FILE_A.ZIP',
        },
        { code: 'PETRD2', name: 'PETR', kind: 70, price: 0.12, raw_price: 12, day: '2021-04-19', source: 'FILE_A.ZIP' },
        { code: 'ABCB10', name: 'ABC', kind: 10, price: 1, raw_price: 100, day: null, source: 'FILE_A.ZIP' },
      ].sort(byCode),
    );
    const spotRows = await decodeParquet(spot, await store.get(outputs[1].key));
    expect(spotRows.sort(byCode)).toEqual([
      { code: 'FNAM11', price: 123.457, day: '2021-03-26' },
      { code: 'PETR4', price: 23.46, day: '2021-03-26' },
    ]);
  });

  it('divides once by the scale times the factor, so both writers give the same double', async () => {
    await make(dir).write(batches(records), mapping, outputs, () => store);
    const rows = await decodeParquet(all, await store.get(outputs[0].key));
    expect(rows.find((r) => r['code'] === 'FNAM11')?.['price']).toBe(123457 / (100 * 10));
  });

  it('writes empty objects for no records', async () => {
    expect(await make(dir).write(batches([]), mapping, outputs, () => store)).toEqual([0, 0]);
    expect(await decodeParquet(all, await store.get(outputs[0].key))).toEqual([]);
  });

  it('names the record and the column of a value that is not digits, a date or the right length', async () => {
    const cases: [Buffer, RegExp][] = [
      [record('X', 'Y', '1A', '000001', '01', '20210326'), /record 2, column kind: "1A" is not a number/],
      [record('X', 'Y', '10', '000001', '01', '20210230'), /record 2, column day: 20210230 is not a date/],
      [Buffer.from('short', 'latin1'), /record 2: 5 bytes where records have 32/],
    ];
    for (const [bad, message] of cases) {
      const write = make(dir).write(batches([records[0], bad]), mapping, outputs, () => store);
      await expect(write).rejects.toMatchObject({ code: 'FIXED_WIDTH_RECORD', message });
    }
    expect(await store.list('')).toEqual([]);
  });

  it('writes thousands of records across batches and chunks, long accented names included', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      record(
        `T${i}`,
        i % 7 === 0 ? 'AÇÕESÚNI' : `N${i % 50}`,
        i % 3 ? '10' : '70',
        String(i).padStart(6, '0'),
        '01',
        '20210326',
      ),
    );
    const counts = await make(dir).write(batches(many, 700), mapping, outputs, () => store);
    expect(counts).toEqual([10_000, many.filter((_, i) => i % 3 !== 0).length]);
    const rows = await decodeParquet(all, await store.get(outputs[0].key));
    expect(rows).toHaveLength(10_000);
    const byName = new Map(rows.map((r) => [r['code'], r]));
    expect(byName.get('T7')).toMatchObject({ name: 'AÇÕESÚNI', kind: 10, price: 0.07, raw_price: 7 });
    expect(byName.get('T9999')).toMatchObject({ name: 'N49', kind: 70, price: 99.99, day: '2021-03-26' });
  });

  it('names a wrong record far into the file, and the earliest of two wrong ones', async () => {
    const many = Array.from({ length: 9_000 }, (_, i) => record(`T${i}`, 'N', '10', '000001', '01', '20210326'));
    const late = [...many.slice(0, 6_999), record('X', 'Y', '10', '0000A1', '01', '20210326'), ...many.slice(7_000)];
    await expect(make(dir).write(batches(late, 500), mapping, outputs, () => store)).rejects.toMatchObject({
      message: 'record 7000, column price: "0000A1" is not a number',
    });
    // A record the writer reads (record 5) before one of the wrong length (record 6).
    const two = [...many.slice(0, 4), record('X', 'Y', '1B', '000001', '01', '20210326'), Buffer.from('x')];
    await expect(make(dir).write(batches(two), mapping, outputs, () => store)).rejects.toMatchObject({
      message: 'record 5, column kind: "1B" is not a number',
    });
    expect(await store.list('')).toEqual([]);
  });

  it("stops on its source's error and throws it, writing nothing", async () => {
    const many = Array.from({ length: 5_000 }, (_, i) => record(`T${i}`, 'N', '10', '000001', '01', '20210326'));
    const failing = async function* () {
      yield* batches(many, 1_000);
      throw new Error('the download was cut');
    };
    await expect(make(dir).write(failing(), mapping, outputs, () => store)).rejects.toThrow('the download was cut');
    expect(await store.list('')).toEqual([]);
  });

  it('refuses a mapping that misses a column or does not fit its type', async () => {
    const missing = { ...mapping, columns: { ...mapping.columns, name: undefined } } as unknown as FixedWidthMapping;
    await expect(make(dir).write(batches(records), missing, outputs, () => store)).rejects.toThrow(
      /column name: all_rows has no mapping for it/,
    );
    const wrong = { ...mapping, columns: { ...mapping.columns, price: mapping.columns['code'] } };
    await expect(make(dir).write(batches(records), wrong, outputs, () => store)).rejects.toThrow(
      /a text field cannot fill a DOUBLE column/,
    );
  });
});
