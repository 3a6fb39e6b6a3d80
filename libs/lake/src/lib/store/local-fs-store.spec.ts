import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFsStore, isTemporaryName, temporaryPath } from './local-fs-store';
import { ObjectNotFoundError } from './object-store';

describe('LocalFsStore', () => {
  let root: string;
  let store: LocalFsStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'b3lake-store-'));
    store = new LocalFsStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes through a temporary file and a rename, leaving no temporary file behind', async () => {
    await store.put('t/anomesdia_exec=1/a.parquet', Uint8Array.of(1, 2));
    expect(await store.get('t/anomesdia_exec=1/a.parquet')).toEqual(Uint8Array.of(1, 2));
    expect(readdirSync(join(root, 't', 'anomesdia_exec=1'))).toEqual(['a.parquet']);
  });

  it('overwrites in place', async () => {
    await store.put('k.bin', Uint8Array.of(1));
    await store.put('k.bin', Uint8Array.of(2));
    expect(await store.get('k.bin')).toEqual(Uint8Array.of(2));
  });

  it('never lists a temporary file left by a killed writer, and sweeps old ones', async () => {
    await store.put('t/p/a.parquet', Uint8Array.of(1));
    const stale = join(root, 't', 'p', 'b.parquet.tmp-999-dead');
    writeFileSync(stale, 'partial');
    expect((await store.list('t/')).map((o) => o.key)).toEqual(['t/p/a.parquet']);
    utimesSync(stale, new Date(0), new Date(0));
    expect(await store.sweepTemporaryFiles()).toBe(1);
    expect(isTemporaryName(temporaryPath('/x/a.parquet'))).toBe(true);
    expect(isTemporaryName('/x/a.parquet')).toBe(false);
  });

  it('lists by prefix with sizes and write times, sorted, and returns [] for an absent prefix', async () => {
    const before = Date.now() - 1000;
    await store.put('t/b', Uint8Array.of(1, 2, 3));
    await store.put('t/a', Uint8Array.of(1));
    await store.put('u/a', Uint8Array.of(1));
    const listed = await store.list('t/');
    expect(listed.map(({ key, size }) => ({ key, size }))).toEqual([
      { key: 't/a', size: 1 },
      { key: 't/b', size: 3 },
    ]);
    for (const { modified } of listed) expect(modified!.getTime()).toBeGreaterThan(before);
    expect(await store.list('none/')).toEqual([]);
  });

  it('deletes, ignoring absent keys', async () => {
    await store.put('t/a', Uint8Array.of(1));
    await store.delete(['t/a', 't/zzz']);
    await expect(store.get('t/a')).rejects.toThrow(ObjectNotFoundError);
  });

  it.each(['../x', '/etc/passwd', 'a/../../b', 'a\\b', 'a/\u0000', '', 'a//b'])(
    'refuses the unsafe key %j',
    async (key) => {
      await expect(store.put(key, Uint8Array.of(1))).rejects.toThrow(/Unsafe object key/);
    },
  );
});
