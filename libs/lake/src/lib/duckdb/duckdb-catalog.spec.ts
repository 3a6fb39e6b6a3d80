import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeObject } from '../dataset';
import { TABLES, table } from '../registry/tables';
import { LocalFsStore } from '../store/local-fs-store';
import { DuckDbCatalog } from './duckdb-catalog';

describe('DuckDbCatalog', () => {
  let root: string;
  let catalog: DuckDbCatalog;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'b3lake-duck-'));
    const sot = new LocalFsStore(join(root, 'lake', 'sot'));
    const def = table('sot_acoes');
    await writeObject(sot, def, { anomesdia_exec: 20220524 }, 'PETR4', [
      {
        nome_papel: 'PETR4',
        vlr_cot: 31.6,
        dt_ult_cot: '2022-05-24',
        pct_var_dia: -0.0291,
        num_acoes: 13044500000,
        ts_extracao: new Date('2022-05-24T21:45:00Z'),
      },
    ]);
    await writeObject(sot, def, { anomesdia_exec: 20220525 }, 'PETR4', [
      { nome_papel: 'PETR4', vlr_cot: 32.1, dt_ult_cot: '2022-05-25' },
    ]);
    const sor = new LocalFsStore(join(root, 'lake', 'sor'));
    await writeObject(sor, table('ibov_raw'), { date: '2022-05-24' }, 'part-0', [
      { cod: 'PETR4', asset: 'PETROBRAS', part: '38,250', ts_extracao: new Date('2022-05-26T12:00:00Z') },
    ]);
    catalog = await DuckDbCatalog.open(join(root, 'catalog.duckdb'), join(root, 'lake'));
    await catalog.refresh(TABLES);
  });

  afterAll(() => {
    catalog.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers database.table names with their types: DOUBLE, DATE, BIGINT, TIMESTAMP, INTEGER partition', async () => {
    const result = await catalog.query(
      'SELECT vlr_cot, dt_ult_cot, pct_var_dia, num_acoes, ts_extracao, anomesdia_exec ' +
        'FROM db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep ORDER BY anomesdia_exec',
    );
    expect(Object.fromEntries(result.columns.map((c) => [c.name, c.type]))).toEqual({
      vlr_cot: 'DOUBLE',
      dt_ult_cot: 'DATE',
      pct_var_dia: 'DOUBLE',
      num_acoes: 'BIGINT',
      ts_extracao: 'TIMESTAMP',
      anomesdia_exec: 'INTEGER',
    });
    expect(result.rows[0]).toMatchObject({
      vlr_cot: 31.6,
      pct_var_dia: -0.0291,
      num_acoes: 13044500000,
      anomesdia_exec: 20220524,
    });
    expect(result.rows).toHaveLength(2);
  });

  it('creates every table of the registry, empty ones with their typed columns', async () => {
    const { rows } = await catalog.query(`SELECT count(*) AS n FROM db_b3lake_spec.tbspec_fundamentus_cotacao_ativos`);
    expect(rows[0]['n']).toBe(0);
    const { columns } = await catalog.query(`SELECT * FROM "default".tbrefined_b3_carteira_ibov`);
    expect(columns.map((c) => c.name)).toEqual(
      [...table('ibov_refined').columns, ...table('ibov_refined').partitionKeys].map((c) => c.name),
    );
  });

  it('runs a transformation with Spark’s two-argument datediff bridged by a macro', async () => {
    const rows = await catalog.transform(
      "SELECT cod AS ticker, CAST(REPLACE(REPLACE(part, '.', ''), ',', '.') AS DOUBLE) / 100 AS p, " +
        'datediff(CAST(ts_extracao AS DATE), date) AS lag FROM ibov_raw',
      { ibov_raw: { table: table('ibov_raw'), partition: { date: '2022-05-24' } } },
    );
    expect(rows).toEqual([{ ticker: 'PETR4', p: 0.3825, lag: 2 }]);
  });

  it('leaves DuckDB’s own three-argument datediff alone in user queries', async () => {
    const { rows } = await catalog.query(`SELECT datediff('day', DATE '2022-05-24', DATE '2022-05-26') AS n`);
    expect(rows[0]['n']).toBe(2);
  });
});
