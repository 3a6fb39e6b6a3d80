import { TABLES } from './tables';
import { tablesNamedIn } from './views';

const names = (sql: string) => tablesNamedIn(sql).map((t) => t.name);

describe('the tables a query names (only their views are built)', () => {
  it('finds a table by its name, qualified or quoted, in any case', () => {
    expect(names('SELECT * FROM DB_B3LAKE_SPEC.TBSPEC_B3_COTACOES_DIARIAS WHERE x = 1')).toEqual([
      'tbspec_b3_cotacoes_diarias',
    ]);
    expect(names('select * from "default"."tbrefined_b3_carteira_ibov"')).toEqual(['tbrefined_b3_carteira_ibov']);
  });

  it('adds the tables a named view reads', () => {
    expect(names('SELECT * FROM db_b3lake_spec.vwspec_proventos_yield_12m')).toEqual([
      'tbspec_b3_cotacoes_diarias',
      'tbsot_fundamentus_proventos',
    ]);
  });

  it('does not take a longer name for a shorter one', () => {
    expect(names('SELECT * FROM db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep')).toEqual([
      'tbsot_fundamentus_indicadores_acoes_prep',
    ]);
  });

  it('builds every view when the query names no table (SHOW ALL TABLES, information_schema)', () => {
    expect(tablesNamedIn('SHOW ALL TABLES')).toBe(TABLES);
  });
});
