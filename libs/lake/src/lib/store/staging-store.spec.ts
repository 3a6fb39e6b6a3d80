import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFsStore } from './local-fs-store';
import { ObjectNotFoundError } from './object-store';
import { StagingStore } from './staging-store';

const bytes = (text: string) => new TextEncoder().encode(text);

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
      { key: 't/d=1/part-00ff.parquet', size: 3 },
    ]);
  });

  it('deletes from memory and from disk (a file an earlier run left behind)', async () => {
    await disk.put('t/d=1/ITUB4.parquet', bytes('old'));
    await store.put('t/d=1/PETR4.parquet', bytes('a'));
    await store.delete(['t/d=1/PETR4.parquet', 't/d=1/ITUB4.parquet']);
    expect(await store.list('t/')).toEqual([]);
    await expect(store.get('t/d=1/PETR4.parquet')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });
});
