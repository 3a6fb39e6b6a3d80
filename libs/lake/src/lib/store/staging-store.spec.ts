import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readObject, writeObject } from '../dataset';
import { SchemaMismatchError, decodeParquet, encodeParquet } from '../parquet';
import type { TableDef } from '../registry/tables';
import { LocalFsStore } from './local-fs-store';
import { ObjectNotFoundError } from './object-store';
import { StagingStore } from './staging-store';

const bytes = (text: string) => new TextEncoder().encode(text);

const T: TableDef = {
  key: 'sot_acoes',
  database: 'db_test',
  name: 't',
  layer: 'sot',
  description: 'test',
  columns: [
    { name: 's', type: 'STRING', comment: '' },
    { name: 'd', type: 'DOUBLE', comment: '' },
    { name: 'b', type: 'BIGINT', comment: '' },
    { name: 'dt', type: 'DATE', comment: '' },
    { name: 'ts', type: 'TIMESTAMP', comment: '' },
  ],
  partitionKeys: [{ name: 'd', type: 'INT', comment: '' }],
  writtenBy: 'prepare',
};
const ROW = {
  s: 'Cotação',
  d: -0.0291,
  b: 13044500000,
  dt: new Date('2022-05-24T00:00:00Z'),
  ts: new Date(1653400000000),
};

describe('StagingStore', () => {
  let dir: string;
  let disk: LocalFsStore;
  let store: StagingStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'b3lake-staging-'));
    disk = new LocalFsStore(dir);
    store = new StagingStore(disk, (key) => !key.includes('/part-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps staged keys in memory and writes the others through', async () => {
    await store.put('t/d=1/PETR4.parquet', bytes('a'));
    await store.put('t/d=1/part-00ff.parquet', bytes('compacted'));
    expect(readdirSync(join(dir, 't', 'd=1'))).toEqual(['part-00ff.parquet']);
    expect(store.stagedCount).toBe(1);
    expect(await store.get('t/d=1/PETR4.parquet')).toEqual(bytes('a'));
    expect(await store.get('t/d=1/part-00ff.parquet')).toEqual(bytes('compacted'));
  });

  it('lists memory and disk together, sorted, with sizes', async () => {
    await store.put('t/d=1/VALE3.parquet', bytes('vv'));
    await store.put('t/d=1/part-00ff.parquet', bytes('ccc'));
    await store.put('t/d=2/PETR4.parquet', bytes('p'));
    expect(await store.list('t/d=1/')).toEqual([
      { key: 't/d=1/VALE3.parquet', size: 2 },
      { key: 't/d=1/part-00ff.parquet', size: 3, modified: expect.anything() }, // a Date from fs (another realm)
    ]);
  });

  it('deletes from memory and from disk (a file an earlier run left behind)', async () => {
    await disk.put('t/d=1/ITUB4.parquet', bytes('old'));
    await store.put('t/d=1/PETR4.parquet', bytes('a'));
    await store.delete(['t/d=1/PETR4.parquet', 't/d=1/ITUB4.parquet']);
    expect(await store.list('t/')).toEqual([]);
    await expect(store.get('t/d=1/PETR4.parquet')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('stages a per-key parquet object as rows that read back exactly as its decoded file would', async () => {
    const key = await writeObject(store, T, { d: 1 }, 'PETR4', [ROW]);
    expect(key).toBe('t/d=1/PETR4.parquet');
    expect(readdirSync(dir)).toEqual([]); // nothing encoded, nothing on disk
    const viaFile = await decodeParquet(T, encodeParquet(T, [ROW]));
    expect(await readObject(store, T, key)).toEqual(viaFile);
    expect(await store.list('t/')).toEqual([{ key, size: 0 }]);
    // Anyone reading the bytes still gets a parquet file of the same rows.
    expect(await decodeParquet(T, await store.get(key))).toEqual(viaFile);
  });

  it('checks staged rows against the schema as encoding would', async () => {
    await expect(writeObject(store, T, { d: 1 }, 'PETR4', [{ ...ROW, d: '1,5' }])).rejects.toBeInstanceOf(
      SchemaMismatchError,
    );
    expect(store.stagedCount).toBe(0);
  });

  it('returns copies: changing rows read back does not change what is staged', async () => {
    const key = await writeObject(store, T, { d: 1 }, 'PETR4', [ROW]);
    const first = await readObject(store, T, key);
    first[0]['s'] = 'changed';
    (first[0]['ts'] as Date).setTime(0);
    const again = await readObject(store, T, key);
    expect(again[0]['s']).toBe('Cotação');
    expect((again[0]['ts'] as Date).getTime()).toBe(1653400000000);
  });

  it('writes keys it does not stage as parquet files, and deletes staged rows', async () => {
    await writeObject(store, T, { d: 1 }, 'part-00ff', [ROW]);
    expect(readdirSync(join(dir, 't', 'd=1'))).toEqual(['part-00ff.parquet']);
    const key = await writeObject(store, T, { d: 1 }, 'VALE3', [ROW]);
    await store.delete([key]);
    expect(store.stagedCount).toBe(0);
    await expect(store.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });
});
