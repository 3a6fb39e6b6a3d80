import { companyPage, fiiPage } from '../../test-support/pages';
import { columnTexts } from './column-texts';
import { parseDetailPage } from './detail-parser';

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
});
