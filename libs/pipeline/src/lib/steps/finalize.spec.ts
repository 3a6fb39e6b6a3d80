import { compactPartition, countObjects, readPartition, table, writeObject, type TableKey } from '@b3lake/lake';
import { tempLake, type TempLake } from '../../test-support/lake';
import { sotRow } from '../rows';
import { extractStep, type Extracted } from './extract';
import { DAILY_TABLES, finalizeStep } from './finalize';
import { prepareStep, specializeStep } from './prepare';

const D = 20220524;
const day = { anomesdia_exec: D };
const ACOES = ['ITUB4', 'PETR4', 'TAEE11', 'VALE3'];
const FIIS = ['HGLG11', 'MXRF11'];

async function extractAll(lake: TempLake): Promise<Extracted[]> {
  const jobs = [
    ...ACOES.map((ticker) => ({ ticker, kind: 'acoes' as const })),
    ...FIIS.map((ticker) => ({ ticker, kind: 'fiis' as const })),
  ];
  return Promise.all(jobs.map((job) => extractStep(lake.ctx, { ...job, anomesdia: D })));
}

const rowsOf = (lake: TempLake, key: TableKey) => readPartition(lake.store(table(key).layer), table(key), day);
const byKey = (rows: Awaited<ReturnType<typeof rowsOf>>, key: string) => rows.map((r) => r[key]);

describe('finalizeStep', () => {
  const lakes: TempLake[] = [];
  const newLake = () => {
    const lake = tempLake();
    lakes.push(lake);
    return lake;
  };
  afterEach(() => lakes.splice(0).forEach((l) => l.cleanup()));

  it('puts every ticker whose SoR row landed in SoT and Spec, counting those prepare/specialize missed', async () => {
    const lake = newLake();
    const items = await extractAll(lake);
    // Only PETR4 went through the S3-triggered steps before finalize; the others lagged.
    const petr4 = items.find((i) => i.ticker === 'PETR4')!;
    await prepareStep(lake.ctx, petr4);
    await specializeStep(lake.ctx, petr4);

    const results = await finalizeStep(lake.ctx, D);

    expect(results.map((r) => r.table)).toEqual(DAILY_TABLES.map((k) => table(k).name));
    const result = (key: TableKey) => results.find((r) => r.table === table(key).name);
    expect(result('sor_acoes')).toEqual({ table: table('sor_acoes').name, rows: 4, objectsBefore: 4, objectsAfter: 1 });
    expect(result('sot_acoes')).toEqual({
      table: table('sot_acoes').name,
      rows: 4,
      objectsBefore: 1,
      objectsAfter: 1,
      repaired: 3,
    });
    expect(result('sot_fiis')).toEqual({
      table: table('sot_fiis').name,
      rows: 2,
      objectsBefore: 0,
      objectsAfter: 1,
      repaired: 2,
    });
    expect(result('spec_cotacoes')).toEqual({
      table: table('spec_cotacoes').name,
      rows: 6,
      objectsBefore: 1,
      objectsAfter: 1,
      repaired: 5,
    });
    expect(byKey(await rowsOf(lake, 'sot_acoes'), 'nome_papel')).toEqual(ACOES);
    expect(byKey(await rowsOf(lake, 'spec_cotacoes'), 'codigo_ticker_ativo')).toEqual([...FIIS, ...ACOES].sort());
    // Listing pages were not fetched here, so the summary tables stay empty.
    for (const key of DAILY_TABLES.filter((k) => !k.startsWith('summary_')))
      expect(await countObjects(lake.store(table(key).layer), table(key), day)).toBe(1);
  });

  it('gives the same SoT and Spec rows (ts_extracao included) as the per-ticker steps plus compaction', async () => {
    const derived = newLake();
    await extractAll(derived);
    await finalizeStep(derived.ctx, D);

    const stepped = newLake();
    for (const item of await extractAll(stepped)) {
      await prepareStep(stepped.ctx, item);
      await specializeStep(stepped.ctx, item);
    }
    for (const key of DAILY_TABLES) await compactPartition(stepped.store(table(key).layer), table(key), day);

    for (const key of ['sot_acoes', 'sot_fiis', 'spec_cotacoes'] as const) {
      const rows = await rowsOf(derived, key);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows).toEqual(await rowsOf(stepped, key));
    }
    expect((await rowsOf(derived, 'spec_cotacoes'))[0]['ts_extracao']).toEqual(new Date('2022-05-24T21:45:00Z'));
  });

  it('in one call compacts sources first, then writes SoT, then Spec', async () => {
    const lake = newLake();
    await extractAll(lake);
    lake.puts.length = 0;
    await finalizeStep(lake.ctx, D, ['spec_cotacoes', 'sot_fiis', 'sor_fiis', 'sot_acoes', 'sor_acoes']);
    const firstIndex = (name: string) => lake.puts.findIndex((k) => k.includes(`/${name}/`) || k.includes(`:${name}/`));
    const [sorA, sorF, sotA, sotF, spec] = (
      ['sor_acoes', 'sor_fiis', 'sot_acoes', 'sot_fiis', 'spec_cotacoes'] as const
    ).map((k) => firstIndex(table(k).name));
    expect(Math.max(sorA, sorF)).toBeLessThan(Math.min(sotA, sotF));
    expect(Math.max(sotA, sotF)).toBeLessThan(spec);
    expect(lake.puts).toHaveLength(5);
  });

  it('supports the AWS split: SoR+SoT per kind in parallel, then Spec from the compacted SoT', async () => {
    const lake = newLake();
    await extractAll(lake);
    await Promise.all([
      finalizeStep(lake.ctx, D, ['sor_acoes', 'sot_acoes']),
      finalizeStep(lake.ctx, D, ['sor_fiis', 'sot_fiis']),
    ]);
    const [spec] = await finalizeStep(lake.ctx, D, ['spec_cotacoes', 'raw_pages', 'summary_acoes', 'summary_fiis']);
    expect(spec).toMatchObject({ rows: 6, objectsAfter: 1, repaired: 6 });
    expect(byKey(await rowsOf(lake, 'spec_cotacoes'), 'codigo_ticker_ativo')).toEqual([...FIIS, ...ACOES].sort());
  });

  it('reads an uncalled source as is: a newer per-ticker SoR row beats the compacted one; SoR untouched', async () => {
    const lake = newLake();
    await extractAll(lake);
    await finalizeStep(lake.ctx, D, ['sor_acoes']);
    const sor = table('sor_acoes');
    const [old] = (await rowsOf(lake, 'sor_acoes')).filter((r) => r['nome_papel'] === 'PETR4');
    const later = new Date('2022-05-24T23:00:00Z');
    await writeObject(lake.store('sor'), sor, day, 'PETR4', [{ ...old, ts_extracao: later }]);

    const [sot] = await finalizeStep(lake.ctx, D, ['sot_acoes']);

    expect(sot).toMatchObject({ rows: 4, repaired: 4 });
    expect(await countObjects(lake.store('sor'), sor, day)).toBe(2);
    const petr4 = (await rowsOf(lake, 'sot_acoes')).find((r) => r['nome_papel'] === 'PETR4');
    expect(petr4).toEqual(sotRow('acao', { ...old, ts_extracao: later }));
  });

  it('re-running finalize rewrites the same objects and counts no repair', async () => {
    const lake = newLake();
    await extractAll(lake);
    const first = await finalizeStep(lake.ctx, D);
    lake.puts.length = 0;
    const second = await finalizeStep(lake.ctx, D);
    expect(second.map((r) => r.rows)).toEqual(first.map((r) => r.rows));
    expect(second.filter((r) => r.repaired !== undefined).map((r) => r.repaired)).toEqual([0, 0, 0]);
    expect(second.filter((r) => r.rows > 0).every((r) => r.objectsBefore === 1 && r.objectsAfter === 1)).toBe(true);
    expect(lake.puts.filter((k) => !/\/part-[0-9a-f]{16}\.parquet$/.test(k))).toEqual([]);
  });

  it('refreshes the catalog once, registers only partitions with rows, skips a sourceless derived table', async () => {
    const lake = newLake();
    await extractStep(lake.ctx, { ticker: 'PETR4', kind: 'acoes', anomesdia: D });
    const results = await finalizeStep(lake.ctx, D, ['sor_acoes', 'sor_fiis', 'sot_acoes', 'sot_fiis']);
    expect(results.map((r) => r.rows)).toEqual([1, 0, 1, 0]);
    expect(results[3]).toEqual({
      table: table('sot_fiis').name,
      rows: 0,
      objectsBefore: 0,
      objectsAfter: 0,
      repaired: 0,
    });
    expect(lake.refreshed).toBe(1);
    expect(lake.partitions).toEqual([
      { table: table('sor_acoes').name, values: [day] },
      { table: table('sot_acoes').name, values: [day] },
    ]);
  });

  it('rejects a table that is not partitioned by the business date, before touching anything', async () => {
    const lake = newLake();
    await expect(finalizeStep(lake.ctx, D, ['ibov_raw'])).rejects.toThrow(/ibov_raw is not a daily table/);
    expect(lake.refreshed).toBe(0);
  });
});
