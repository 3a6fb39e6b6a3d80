import { rmSync } from 'node:fs';
import { cli } from '../test-support/run-cli';
import { writeSmallLake } from '../test-support/small-lake';

// Each command builds an in-memory DuckDB over the lake (~0.3 s); a loaded machine needs room.
jest.setTimeout(20_000);

let lake: string;
beforeAll(async () => {
  lake = await writeSmallLake();
});
afterAll(() => rmSync(lake, { recursive: true, force: true }));

describe('b3lake partitions', () => {
  it('lists a daily table’s partitions oldest first: ISO date, the INT key as SQL compares it, rows', async () => {
    const { code, out } = await cli('partitions', 'tbsot_fundamentus_indicadores_acoes_prep', '--data-dir', lake);
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      'db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep: 3 rows',
      'date        anomesdia_exec  rows',
      '----------  --------------  ----',
      '2022-05-24  20220524        2',
      '2022-05-25  20220525        1',
      '(2 partitions)',
    ]);
  });

  it('lists the refined IBOV table by date and ticker, the name printed with "default" quoted', async () => {
    const { out } = await cli('partitions', '"default".tbrefined_b3_carteira_ibov', '--data-dir', lake);
    expect(out.split('\n')).toEqual([
      '"default".tbrefined_b3_carteira_ibov: 2 rows',
      'date        ticker  rows',
      '----------  ------  ----',
      '2022-05-24  PETR4   1',
      '2022-05-24  VALE3   1',
      '(2 partitions)',
    ]);
  });

  it('--json gives the ISO date, the key values typed as in SQL and the row count', async () => {
    const { out } = await cli(
      'partitions',
      'db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep',
      '--json',
      '--data-dir',
      lake,
    );
    expect(JSON.parse(out)).toEqual([
      { date: '2022-05-24', partition: { anomesdia_exec: 20220524 }, rows: 2 },
      { date: '2022-05-25', partition: { anomesdia_exec: 20220525 }, rows: 1 },
    ]);
    const raw = await cli('partitions', 'tbsor_b3_carteira_ibov_raw', '--json', '--data-dir', lake);
    expect(JSON.parse(raw.out)).toEqual([{ date: '2022-05-24', partition: { date: '2022-05-24' }, rows: 2 }]);
  });

  it('prints no partitions for a table without files', async () => {
    const { code, out } = await cli('partitions', 'tbspec_fundamentus_cotacao_ativos', '--data-dir', lake);
    expect(code).toBe(0);
    expect(out.split('\n').at(-1)).toBe('(0 partitions)');
  });

  it('exits 2 on an unknown table', async () => {
    expect((await cli('partitions', 'nope', '--data-dir', lake)).code).toBe(2);
  });
});
