import { companyPage, fiiPage } from '../../test-support/pages';
import { columnTexts } from './column-texts';
import { parseDetailPage } from './detail-parser';
import { typeColumn } from './detail-fields';

describe('columnTexts', () => {
  it('gives each column the text the page printed, 12 m and 3 m apart, years by the page', () => {
    const texts = columnTexts(parseDetailPage(companyPage()));
    expect(texts).toMatchObject({
      nome_papel: 'PETR4',
      vlr_cot: '31,60',
      pct_var_dia: '-2,91%',
      dt_ult_cot: '24/05/2022',
      vlr_receita_liq_ult_12m: '508.135.000.000',
      vlr_receita_liq_ult_3m: '141.641.000.000',
      pct_var_ano_a0: '34,96%',
      pct_var_ano_a2: '-6,10%',
      num_ano_a0: '2022',
      vlr_depositos: null,
    });
  });

  it('covers exactly the columns of values', () => {
    const page = parseDetailPage(fiiPage());
    expect(Object.keys(columnTexts(page)).sort()).toEqual(Object.keys(page.values).sort());
  });

  it('are the texts the parse typed values from, kept off the JSON shape, and rebuilt for copies', () => {
    const page = parseDetailPage(companyPage());
    expect(Object.keys(page).sort()).toEqual(['kind', 'layout', 'raw', 'ticker', 'unknownLabels', 'values']);
    expect(columnTexts(page)).toBe(page.texts);
    for (const copy of [JSON.parse(JSON.stringify(page)), { ...page }]) {
      expect(copy.texts).toBeUndefined();
      expect(columnTexts(copy)).toEqual(page.texts);
    }
    for (const [column, text] of Object.entries(page.texts!)) {
      expect([column, text === null ? null : typeColumn(column, text)]).toEqual([
        column,
        (page.values as never)[column],
      ]);
    }
  });
});
