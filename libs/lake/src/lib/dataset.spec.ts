import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DuplicateRowsError,
  UnreadableObjectError,
  compactPartition,
  countObjects,
  hasCompactedObject,
  isCompactedKey,
  compactedStem,
  parsePerKeyObject,
  listPartitions,
  mergeGenerations,
  overwritePartition,
  readMergedPartition,
  readPartition,
  writeObject,
} from './dataset';
import { table } from './registry/tables';
import { LocalFsStore } from './store/local-fs-store';

const SPEC = table('spec_cotacoes');
const day = { anomesdia_exec: 20220524 };
const row = (ticker: string, cot: number) => ({ codigo_ticker_ativo: ticker, tipo_ativo: 'Ação', vlr_cot: cot });

describe('dataset writes', () => {
  let root: string;
  let store: LocalFsStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'b3lake-ds-'));
    store = new LocalFsStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('uses deterministic keys: writing the same ticker twice overwrites, never duplicates', async () => {
    const first = await writeObject(store, SPEC, day, 'PETR4', [row('PETR4', 31.6)]);
    const second = await writeObject(store, SPEC, day, 'PETR4', [row('PETR4', 31.7)]);
    expect(second).toBe(first);
    expect(await readPartition(store, SPEC, day)).toMatchObject([{ codigo_ticker_ativo: 'PETR4', vlr_cot: 31.7 }]);
  });

  it('compacts a partition into one object, sorted by the unique key', async () => {
    await writeObject(store, SPEC, day, 'VALE3', [row('VALE3', 78.1)]);
    await writeObject(store, SPEC, day, 'PETR4', [row('PETR4', 31.6)]);
    const result = await compactPartition(store, SPEC, day);
    expect(result).toMatchObject({ rows: 2, objectsBefore: 2 });
    expect(await countObjects(store, SPEC, day)).toBe(1);
    expect((await readPartition(store, SPEC, day)).map((r) => r['codigo_ticker_ativo'])).toEqual(['PETR4', 'VALE3']);
  });

  it('compaction is idempotent: compacting again keeps the same single object', async () => {
    await writeObject(store, SPEC, day, 'PETR4', [row('PETR4', 31.6)]);
    const a = await compactPartition(store, SPEC, day);
    const b = await compactPartition(store, SPEC, day);
    expect(b.key).toBe(a.key);
    expect(await countObjects(store, SPEC, day)).toBe(1);
  });

  it('lets per-key objects written after a compaction replace their rows and keeps the others', async () => {
    await writeObject(store, SPEC, day, 'PETR4', [row('PETR4', 31.6)]);
    await writeObject(store, SPEC, day, 'VALE3', [row('VALE3', 78.1)]);
    await compactPartition(store, SPEC, day);
    await writeObject(store, SPEC, day, 'PETR4', [row('PETR4', 32.0)]);
    expect(await compactPartition(store, SPEC, day)).toMatchObject({ rows: 2, objectsBefore: 2 });
    expect((await readPartition(store, SPEC, day)).map((r) => [r['codigo_ticker_ativo'], r['vlr_cot']])).toEqual([
      ['PETR4', 32],
      ['VALE3', 78.1],
    ]);
  });

  it('refuses two rows with one key in the same generation, leaving the partition as it was', async () => {
    await writeObject(store, SPEC, day, 'A', [row('PETR4', 1)]);
    await writeObject(store, SPEC, day, 'B', [row('PETR4', 2)]);
    await expect(compactPartition(store, SPEC, day)).rejects.toThrow(DuplicateRowsError);
    expect(await countObjects(store, SPEC, day)).toBe(2);
  });

  it('reports an empty partition without writing anything', async () => {
    expect(await compactPartition(store, SPEC, day)).toEqual({ key: null, rows: 0, objectsBefore: 0 });
    expect(await store.list('')).toEqual([]);
  });

  it('overwrite-partition writes the new object before deleting the old ones', async () => {
    await writeObject(store, SPEC, day, 'OLD', [row('OLD3', 1)]);
    const puts: string[] = [];
    const deletes: string[][] = [];
    const spy = {
      ...store,
      location: store.location,
      put: async (k: string, b: Uint8Array) => {
        puts.push(k);
        await store.put(k, b);
      },
      delete: async (keys: readonly string[]) => {
        deletes.push([...keys]);
        expect(puts).toHaveLength(1);
        await store.delete(keys);
      },
      get: store.get.bind(store),
      list: store.list.bind(store),
    };
    await overwritePartition(spy, SPEC, day, [row('NEW3', 2)]);
    expect(deletes).toEqual([[expect.stringMatching(/OLD\.parquet$/)]]);
    expect(await readPartition(store, SPEC, day)).toMatchObject([{ codigo_ticker_ativo: 'NEW3' }]);
  });

  it('reads a partition as readers see it: per-key objects over the compacted one, without writing', async () => {
    await writeObject(store, SPEC, day, 'PETR4', [row('PETR4', 31.6)]);
    await writeObject(store, SPEC, day, 'VALE3', [row('VALE3', 78.1)]);
    await compactPartition(store, SPEC, day);
    await writeObject(store, SPEC, day, 'PETR4', [row('PETR4', 32.0)]);
    await writeObject(store, SPEC, day, 'ABEV3', [row('ABEV3', 14.2)]);
    const { rows, objects } = await readMergedPartition(store, SPEC, day);
    expect(rows.map((r) => [r['codigo_ticker_ativo'], r['vlr_cot']])).toEqual([
      ['ABEV3', 14.2],
      ['PETR4', 32],
      ['VALE3', 78.1],
    ]);
    expect(objects).toHaveLength(3);
    expect(await countObjects(store, SPEC, day)).toBe(3);
  });

  it('tells a compacted partition from one holding only per-key writes', async () => {
    await writeObject(store, SPEC, day, 'PETR4', [row('PETR4', 31.6)]);
    expect(await hasCompactedObject(store, SPEC, day)).toBe(false);
    const { key } = await compactPartition(store, SPEC, day);
    expect(isCompactedKey(key!)).toBe(true);
    expect(isCompactedKey('tbspec_fundamentus_cotacao_ativos/anomesdia_exec=20220524/PETR4.parquet')).toBe(false);
    expect(await hasCompactedObject(store, SPEC, day)).toBe(true);
    expect(await hasCompactedObject(store, SPEC, { anomesdia_exec: 20220525 })).toBe(false);
    expect(key!.slice(key!.lastIndexOf('/') + 1)).toMatch(/^part-[0-9a-f]{16}\.parquet$/);
    expect(parsePerKeyObject(SPEC, key!)).toBeUndefined();
    expect(parsePerKeyObject(SPEC, 'tbspec_fundamentus_cotacao_ativos/anomesdia_exec=20220524/PETR4.parquet')).toEqual({
      partition: day,
      stem: 'PETR4',
    });
    expect(compactedStem(Uint8Array.of(1))).toMatch(/^part-[0-9a-f]{16}$/);
  });

  it('merges generations by key: later ones win, rows sorted by key, duplicates within one refused', () => {
    const merged = mergeGenerations(SPEC, [[row('VALE3', 1), row('PETR4', 1)], [row('PETR4', 2)]]);
    expect(merged.map((r) => [r['codigo_ticker_ativo'], r['vlr_cot']])).toEqual([
      ['PETR4', 2],
      ['VALE3', 1],
    ]);
    expect(() => mergeGenerations(SPEC, [[row('PETR4', 1), row('PETR4', 2)]])).toThrow(DuplicateRowsError);
  });

  it('lists partitions from object keys', async () => {
    await writeObject(store, SPEC, { anomesdia_exec: 20220524 }, 'A', [row('A', 1)]);
    await writeObject(store, SPEC, { anomesdia_exec: 20220525 }, 'A', [row('A', 1)]);
    expect(await listPartitions(store, SPEC)).toEqual([{ anomesdia_exec: 20220524 }, { anomesdia_exec: 20220525 }]);
  });
});

describe('readObject', () => {
  it('names the object that is not parquet instead of failing with the decoder message alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'b3lake-unreadable-'));
    try {
      const store = new LocalFsStore(dir);
      const key = 'tbsor_fundamentus_indicadores_fiis_raw/anomesdia_exec=20220524/BROKEN11.parquet';
      await store.put(key, new TextEncoder().encode('not parquet'));
      const failure = readPartition(store, table('sor_fiis'), { anomesdia_exec: 20220524 });
      await expect(failure).rejects.toThrow(UnreadableObjectError);
      await expect(failure).rejects.toThrow(
        /anomesdia_exec=20220524\/BROKEN11\.parquet is not a readable parquet object/,
      );
      await expect(compactPartition(store, table('sor_fiis'), { anomesdia_exec: 20220524 })).rejects.toMatchObject({
        code: 'UNREADABLE_OBJECT',
        key,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
