import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDetailPage, parseListingPage } from '@b3lake/scraper';
import { stockValues } from './asset-values';
import { detailTemplate, listingCells, withDetailValues } from './page-values';
import { seededRandom } from './synthetic';

const fixture = (name: string) => readFileSync(resolve(__dirname, '../../fixtures/fundamentus', name));

describe('detail templates', () => {
  it.each(['PETR4', 'ITUB4', 'HGLG11', 'MXRF11'])('give back the recorded %s page when no value is given', (t) => {
    const page = fixture(`detalhes_${t}.html`);
    expect(withDetailValues(detailTemplate(page), {})).toBe(page.toString('latin1'));
  });

  it('put each value where the parser reads its column, at the page’s precision and colour', () => {
    const template = detailTemplate(fixture('detalhes_PETR4.html'));
    const values = stockValues(seededRandom(5));
    const html = withDetailValues(template, values, { nome_empresa: 'AAAB SINTÉTICA ON' });
    const page = parseDetailPage(Buffer.from(html, 'latin1')).values as unknown as Record<string, unknown>;
    expect(page).toMatchObject({
      nome_empresa: 'AAAB SINTÉTICA ON',
      vlr_cot: values['vlr_cot'],
      num_acoes: values['num_acoes'],
      pct_var_ano_a5: values['pct_var_ano_a5'],
      vlr_receita_liq_ult_3m: values['vlr_receita_liq_ult_3m'],
    });
    expect(page['vlr_ind_p_sobre_l']).toBeCloseTo(values['vlr_ind_p_sobre_l'], 2);
    const day = /<span class="txt">Dia<\/span><\/td><td class="data w1"><span class="oscil">\s*<font color="(#\w+)">/;
    expect(day.exec(html)?.[1]).toBe(values['pct_var_dia'] < 0 ? '#F75D59' : '#306EFF');
  });

  it('read the twice-printed labels as the 12-month then the 3-month column', () => {
    const { slots } = detailTemplate(fixture('detalhes_PETR4.html'));
    const income = slots.map((s) => s.column).filter((c) => c.startsWith('vlr_lucro_liq'));
    expect(income).toEqual(['vlr_lucro_liq_ult_12m', 'vlr_lucro_liq_ult_3m']);
  });
});

describe('listingCells', () => {
  it('print the values like the template row and 0,00 where the detail page prints "-"', () => {
    const listing = parseListingPage(fixture('fii_resultado.html'));
    const mxrf = listing.rows.find((r) => r.ticker === 'MXRF11')!;
    const cells = listingCells('fiis', listing.headers, mxrf.raw, { vlr_cot: 10.5 }, new Set(['vlr_do_m2']));
    const byHeader = Object.fromEntries(listing.headers.slice(1).map((h, i) => [h, cells[i]]));
    expect(byHeader).toMatchObject({ Cotação: '10,50', 'Preço do m2': '0,00', Segmento: mxrf.raw['Segmento'] });
  });
});
