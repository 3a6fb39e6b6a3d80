import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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

  it('shows every registry column comment (unit) in duckdb_columns(), partition keys included', async () => {
    for (const def of TABLES) {
      const { rows } = await catalog.query(
        'SELECT column_name, comment FROM duckdb_columns() ' +
          `WHERE schema_name = '${def.database}' AND table_name = '${def.name}' ORDER BY column_index`,
      );
      const expected = [...def.columns, ...def.partitionKeys].map((c) => ({ column_name: c.name, comment: c.comment }));
      expect(rows).toEqual(expect.arrayContaining(expected));
    }
    const { rows } = await catalog.query(
      "SELECT comment FROM duckdb_columns() WHERE table_name = 'tbsot_fundamentus_indicadores_acoes_prep' " +
        "AND column_name = 'pct_var_dia'",
    );
    expect(rows[0]['comment']).toMatch(/fraction, 0\.123 = 12\.3%/);
  });

  it('keeps the table description as the view comment', async () => {
    const { rows } = await catalog.query(
      "SELECT comment FROM duckdb_views() WHERE schema_name = 'db_b3lake_spec' " +
        "AND view_name = 'tbspec_fundamentus_cotacao_ativos'",
    );
    expect(rows[0]['comment']).toBe(table('spec_cotacoes').description);
  });

  it('describes a table’s columns in order with DuckDB types and units', async () => {
    const columns = await catalog.columns(table('sot_acoes'));
    expect(columns.find((c) => c.name === 'vlr_cot')).toEqual({
      name: 'vlr_cot',
      type: 'DOUBLE',
      comment: table('sot_acoes').columns.find((c) => c.name === 'vlr_cot')?.comment,
    });
    expect(columns.at(-1)).toMatchObject({ name: 'anomesdia_exec', type: 'INTEGER' });
  });

  it('counts rows per partition in key order, dates typed as the registry says', async () => {
    expect(await catalog.partitions(table('sot_acoes'))).toEqual([
      { values: { anomesdia_exec: 20220524 }, rows: 1 },
      { values: { anomesdia_exec: 20220525 }, rows: 1 },
    ]);
    expect(await catalog.partitions(table('ibov_raw'))).toEqual([{ values: { date: '2022-05-24' }, rows: 1 }]);
    expect(await catalog.partitions(table('spec_cotacoes'))).toEqual([]);
  });

  it('refreshing again replaces the views and keeps their comments', async () => {
    await catalog.refresh(TABLES);
    const columns = await catalog.columns(table('ibov_raw'));
    expect(columns.every((c) => c.comment)).toBe(true);
  });

  it('leaves DuckDB’s own three-argument datediff alone in user queries', async () => {
    const { rows } = await catalog.query(`SELECT datediff('day', DATE '2022-05-24', DATE '2022-05-26') AS n`);
    expect(rows[0]['n']).toBe(2);
  });
});

describe('DuckDbCatalog in memory', () => {
  it('reads the lake without writing anything beside it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'b3lake-duck-mem-'));
    try {
      await writeObject(
        new LocalFsStore(join(root, 'lake', 'sot')),
        table('sot_acoes'),
        { anomesdia_exec: 20220524 },
        'VALE3',
        [{ nome_papel: 'VALE3', vlr_cot: 70.5 }],
      );
      const before = readdirSync(root, { recursive: true }).sort();
      const reader = await DuckDbCatalog.openInMemory(join(root, 'lake'));
      try {
        await reader.refresh(TABLES);
        const { rows } = await reader.query(
          'SELECT nome_papel, anomesdia_exec FROM db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep',
        );
        expect(rows).toEqual([{ nome_papel: 'VALE3', anomesdia_exec: 20220524 }]);
      } finally {
        reader.close();
      }
      expect(readdirSync(root, { recursive: true }).sort()).toEqual(before);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
