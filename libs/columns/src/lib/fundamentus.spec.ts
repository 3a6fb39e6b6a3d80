import { LISTING_ZERO_IS_NULL, type ColumnDecl, type ListingField } from './column';
import {
  ACAO_COLUMNS,
  ACAO_FIELDS,
  DETAIL_PAGES,
  FII_COLUMNS,
  FII_FIELDS,
  LISTING_PAGES,
  OSCILLATION_COLUMNS,
  YEAR_COLUMNS,
  YEAR_OF_A0_COLUMN,
} from './fundamentus';

const names = (decls: readonly ColumnDecl[]) => decls.map((d) => d.column);

describe('the Fundamentus column declarations', () => {
  it('give a row every field, each 3-month twin after its 12-month column, the years after the oscillations', () => {
    const acao = names(ACAO_COLUMNS);
    expect(acao.slice(acao.indexOf('pct_var_dia'), acao.indexOf('pct_var_dia') + 11)).toEqual([
      'pct_var_dia',
      'pct_var_mes',
      'pct_var_30d',
      'pct_var_12m',
      ...YEAR_COLUMNS,
      YEAR_OF_A0_COLUMN,
    ]);
    expect(acao.indexOf('vlr_receita_liq_ult_3m')).toBe(acao.indexOf('vlr_receita_liq_ult_12m') + 1);
    for (const [fields, columns] of [
      [ACAO_FIELDS, ACAO_COLUMNS],
      [FII_FIELDS, FII_COLUMNS],
    ] as const) {
      const expected = fields.flatMap((f) => [f.column, ...('column3m' in f ? [f.column3m] : [])]);
      expect(names(columns).filter((c) => !names(OSCILLATION_COLUMNS).slice(4).includes(c))).toEqual(expected);
    }
  });

  it('name every column of a table once, and type a name the same way wherever it appears', () => {
    const tables = [
      ACAO_COLUMNS,
      FII_COLUMNS,
      ...Object.values(LISTING_PAGES).map((p) => [p.ticker, p.name, ...p.columns]),
    ];
    const types = new Map<string, string>();
    for (const columns of tables) {
      expect(new Set(names(columns)).size).toBe(columns.length);
      for (const c of columns) {
        expect([c.column, types.get(c.column) ?? c.type]).toEqual([c.column, c.type]);
        types.set(c.column, c.type);
      }
    }
  });

  it('state a unit or meaning for every column, and map every label of a page once', () => {
    for (const c of [...ACAO_COLUMNS, ...FII_COLUMNS])
      expect([c.column, c.comment.length > 2]).toEqual([c.column, true]);
    for (const fields of [ACAO_FIELDS, FII_FIELDS]) {
      const labels = fields.map((f) => f.label.normalize('NFKD').toLowerCase());
      expect(new Set(labels).size).toBe(labels.length);
    }
  });

  it('name the asset by fields of the page', () => {
    expect(DETAIL_PAGES.acao.ticker.label).toBe('Papel');
    expect(DETAIL_PAGES.fii.ticker.label).toBe('FII');
    expect(DETAIL_PAGES.acao.ticker.required && DETAIL_PAGES.fii.ticker.required).toBe(true);
  });

  it('read a listing 0,00 as NULL and say so in the comment, but where zero is a real value', () => {
    const numeric = Object.values(LISTING_PAGES).flatMap((p): ListingField[] =>
      p.columns.filter((c) => c.type !== 'text'),
    );
    const keptZero = numeric.filter((c) => c.zeroIsValue).map((c) => c.column);
    expect(keptZero).toEqual([
      'vlr_ind_div_yield',
      'vlr_liq_media_2m',
      'vlr_div_yield',
      'vlr_liquidez_media',
      'qtd_imoveis',
      'vlr_vacancia_media',
    ]);
    for (const c of numeric) {
      const says = c.comment.endsWith(`; ${LISTING_ZERO_IS_NULL}`);
      expect([c.column, says]).toEqual([c.column, !c.zeroIsValue]);
    }
    expect(ACAO_FIELDS.find((f) => f.column === 'vlr_ind_p_sobre_l')?.comment).toBe('P/L ratio');
  });
});
