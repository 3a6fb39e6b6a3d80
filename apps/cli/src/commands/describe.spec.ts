import { rmSync } from 'node:fs';
import { table } from '@b3lake/lake';
import { cli } from '../test-support/run-cli';
import { writeSmallLake } from '../test-support/small-lake';

// Each command builds an in-memory DuckDB over the lake (~0.3 s); a loaded machine needs room.
jest.setTimeout(20_000);

let lake: string;
beforeAll(async () => {
  lake = await writeSmallLake();
});
afterAll(() => rmSync(lake, { recursive: true, force: true }));

const describeJson = async (name: string) =>
  JSON.parse((await cli('describe', name, '--json', '--data-dir', lake)).out);

describe('b3lake describe', () => {
  it('prints the name as typed, the description, partition keys, every column with its type and unit', async () => {
    const { code, out } = await cli(
      'describe',
      'db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep',
      '--data-dir',
      lake,
    );
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe('db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep — Stock indicators, typed');
    expect(lines[1]).toBe('layer sot · partitioned by anomesdia_exec (INT yyyymmdd)');
    expect(out).toMatch(/^pct_var_dia\s+DOUBLE\s+.*fraction, 0\.123 = 12\.3%$/m);
    expect(out).toMatch(/^dt_ult_cot\s+DATE\s+/m);
    expect(out).toMatch(/^anomesdia_exec\s+INTEGER\s+partition key; business date of the run, yyyymmdd/m);
    expect(lines.at(-1)).toBe(`(${table('sot_acoes').columns.length + 1} columns)`);
  });

  it('--json lists every registry column with its DuckDB type and the registry’s comment', async () => {
    const def = table('ibov_refined');
    const described = await describeJson('"default".tbrefined_b3_carteira_ibov');
    expect(described).toMatchObject({
      table: '"default".tbrefined_b3_carteira_ibov',
      database: 'default',
      layer: 'refined',
      partitionKeys: [
        { name: 'date', type: 'DATE', format: 'yyyy-mm-dd' },
        { name: 'ticker', type: 'STRING' },
      ],
    });
    expect(described.columns.map((c: { name: string; comment: string }) => [c.name, c.comment])).toEqual(
      [...def.columns, ...def.partitionKeys].map((c) => [c.name, c.comment]),
    );
    expect(described.columns.at(-2)).toEqual({
      name: 'date',
      type: 'DATE',
      comment: 'portfolio date; DATE',
      partitionKey: true,
    });
  });

  it('accepts db.table, "default".table, default.table or the bare name for the same table', async () => {
    const expected = await describeJson('"default".tbrefined_b3_carteira_ibov');
    for (const name of [
      'default.tbrefined_b3_carteira_ibov',
      'tbrefined_b3_carteira_ibov',
      'TBREFINED_B3_CARTEIRA_IBOV',
    ])
      expect(await describeJson(name)).toEqual(expected);
    expect((await describeJson('tbspec_fundamentus_cotacao_ativos')).table).toBe(
      'db_b3lake_spec.tbspec_fundamentus_cotacao_ativos',
    );
  });

  it('describes a table that has no files yet from the registry', async () => {
    const described = await describeJson('db_b3lake_spec.tbspec_fundamentus_cotacao_ativos');
    expect(described.columns).toHaveLength(table('spec_cotacoes').columns.length + 1);
    expect(described.columns.every((c: { comment: string | null }) => c.comment)).toBe(true);
  });

  it('exits 2 on an unknown table and says where the names are', async () => {
    const { code, err } = await cli('describe', 'db_b3lake_sot.nope', '--data-dir', lake);
    expect(code).toBe(2);
    expect(err).toMatch(/unknown table db_b3lake_sot\.nope; 'npx b3lake tables' lists them/);
  });
});
