import { AmbiguousTickerError, LayoutChangedError, TickerNotFoundError, ValueFormatError } from '../errors';
import {
  CHALLENGE_PAGE,
  companyPage,
  cp1252,
  expectKind,
  fiiPage,
  notFoundPage,
  renderPage,
  renderTable,
  selectTickerPage,
} from '../../test-support/pages';
import { parseDetailPage } from './detail-parser';

describe('parseDetailPage — company layout', () => {
  const page = expectKind(parseDetailPage(companyPage()), 'acao');

  it('detects a stock in the company layout', () => {
    expect(page).toMatchObject({ ticker: 'PETR4', kind: 'acao', layout: 'company', unknownLabels: [] });
  });

  it('types header values: text, decimal, ISO date, exact big integers', () => {
    expect(page.values).toMatchObject({
      nome_papel: 'PETR4',
      tipo_papel: 'PN N1',
      nome_empresa: 'PETROBRAS PN',
      nome_setor: 'Petróleo, Gás e Biocombustíveis',
      vlr_cot: 31.6,
      dt_ult_cot: '2022-05-24',
      vol_med_neg_2m: 2573320000,
      vlr_mercado: 412206000000,
      dt_ult_balanco_proc: '2022-03-31',
      num_acoes: 13044500000,
    });
  });

  it('keeps the minus sign of -2,91% and stores it as the fraction -0.0291', () => {
    expect(page.values.pct_var_dia).toBe(-0.0291);
  });

  it('stores percentage-valued vlr_ columns as fractions (Div. Yield 36,4% → 0.364)', () => {
    expect(page.values.vlr_ind_div_yield).toBe(0.364);
    expect(page.values.vlr_ind_roe).toBe(0.346);
    expect(page.values.pct_cresc_rec_liq_ult_5a).toBe(0.094);
  });

  it('keeps negative indicators negative (P/Ativ Circ Liq -1,14)', () => {
    expect(page.values.vlr_ind_p_sobre_ativ_circ_liq).toBe(-1.14);
  });

  it('reads the first income-statement label as 12 months and the repeat as 3 months', () => {
    expect(page.values.vlr_receita_liq_ult_12m).toBe(508135000000);
    expect(page.values.vlr_receita_liq_ult_3m).toBe(141641000000);
    expect(page.values.vlr_lucro_liq_ult_3m).toBe(44561000000);
    expect(page.raw['Receita Líquida']).toBe('508.135.000.000');
    expect(page.raw['Receita Líquida#2']).toBe('141.641.000.000');
  });

  it('keys year oscillations by the year printed on the page', () => {
    expect(page.values.num_ano_a0).toBe(2022);
    expect(page.values.pct_var_ano_a0).toBe(0.3496);
    expect(page.values.pct_var_ano_a2).toBe(-0.061);
    expect(page.values.pct_var_ano_a5).toBe(0.0984);
  });

  it('keeps every label verbatim in raw, without the "?" tooltip', () => {
    expect(page.raw['Cotação']).toBe('31,60');
    expect(page.raw['Dia']).toBe('-2,91%');
    expect(Object.keys(page.raw).some((k) => k.includes('?'))).toBe(false);
    expect(Object.keys(page.raw)).toHaveLength(58);
  });

  it('sets columns absent from the page to null (bank fields on a company)', () => {
    expect(page.values.vlr_depositos).toBeNull();
    expect(page.values.vlr_ind_divida_liq_sobre_patrim).toBeNull();
  });
});

describe('parseDetailPage — pairing and variants', () => {
  it('pairs each label with the cell next to it, so a missing row shifts nothing', () => {
    const page = expectKind(parseDetailPage(companyPage({ omit: ['P/L', 'Tipo', 'Disponibilidades'] })), 'acao');
    expect(page.values.vlr_ind_p_sobre_l).toBeNull();
    expect(page.values.vlr_ind_lpa).toBe(11.5);
    expect(page.values.vlr_ind_p_sobre_vp).toBe(0.95);
    expect(page.values.nome_empresa).toBe('PETROBRAS PN');
    expect(page.values.vlr_divida_liq).toBe(189850000000);
  });

  it('takes years from the page, not from the clock (a 2014 page has a0 = 2014)', () => {
    const page = expectKind(parseDetailPage(companyPage({ years: [2014, 2013, 2012, 2011, 2010, 2009] })), 'acao');
    expect(page.values.num_ano_a0).toBe(2014);
    expect(page.values.pct_var_ano_a0).toBe(0.3496);
  });

  it('reports unknown labels and keeps their values in raw', () => {
    const page = expectKind(parseDetailPage(companyPage({ extra: [['Novo Indicador', '1,23']] })), 'acao');
    expect(page.unknownLabels).toEqual(['Novo Indicador']);
    expect(page.raw['Novo Indicador']).toBe('1,23');
  });

  it('maps the 2026 label "Dív Líq / Patrim" to the net-debt column', () => {
    const page = expectKind(parseDetailPage(companyPage({ extra: [['Dív Líq / Patrim', '-0,20']] })), 'acao');
    expect(page.values.vlr_ind_divida_liq_sobre_patrim).toBe(-0.2);
  });

  it('detects the bank layout and fills its own columns', () => {
    const page = expectKind(parseDetailPage(companyPage({ ticker: 'ITUB4', bank: true })), 'acao');
    expect(page).toMatchObject({ kind: 'acao', layout: 'bank' });
    expect(page.values).toMatchObject({
      vlr_depositos: 933000000000,
      vlr_carteira_credito: 911000000000,
      vlr_result_int_financ_ult_12m: 103000000000,
      vlr_result_int_financ_ult_3m: 27000000000,
      vlr_rec_servicos_ult_12m: 40000000000,
      vlr_rec_servicos_ult_3m: 10000000000,
      vlr_firma: null,
      vlr_receita_liq_ult_12m: null,
    });
  });

  it('treats a ticker ending in 11 with a Papel label as a company (TAEE11)', () => {
    expect(expectKind(parseDetailPage(companyPage({ ticker: 'TAEE11' })), 'acao')).toMatchObject({
      kind: 'acao',
      layout: 'company',
    });
  });

  it('reads Windows-1252 bytes and UTF-8 bytes of the same page identically', () => {
    const html = companyPage();
    expect(parseDetailPage(cp1252(html))).toEqual(parseDetailPage(new TextEncoder().encode(html)));
  });

  it('checks the page against the requested ticker', () => {
    expect(() => parseDetailPage(companyPage(), { ticker: 'VALE3' })).toThrow(/for PETR4, not VALE3/);
  });
});

describe('parseDetailPage — FII layout', () => {
  const page = expectKind(parseDetailPage(fiiPage()), 'fii');

  it('detects a FII by its labels', () => {
    expect(page).toMatchObject({ ticker: 'HGLG11', kind: 'fii', layout: 'fii', unknownLabels: [] });
  });

  it('types FII values with percentages as fractions', () => {
    expect(page.values).toMatchObject({
      fii: 'HGLG11',
      tipo_mandato: null,
      segmento: 'Multicategoria',
      vlr_cot: 150.3,
      num_cotas: 45601745,
      dt_ult_relat_ger: '2026-05-29',
      dt_ult_informe_trim: '2026-03-31',
      pct_var_30d: -0.0176,
      vlr_ffo_yield: 0.0647,
      vlr_div_yield: 0.087,
      vlr_rec_bruta_ult_12m: 491532000,
      vlr_rec_bruta_ult_3m: 143645000,
      vlr_rendim_distr_ult_3m: 148125000,
      vlr_patrim_liq: 7570060000,
      qtd_imoveis: 60,
      total_area_m2: 3404765,
      vlr_cap_rate: 0.076,
      vlr_vacancia_media: 0.032,
      vlr_imoveis_sobre_pl: 0.946,
      num_ano_a0: 2026,
      pct_var_ano_a5: 0.0404,
    });
  });
});

describe('parseDetailPage — errors', () => {
  it('throws TickerNotFoundError for "Nenhum papel encontrado", with the ticker from the title', () => {
    expect(() => parseDetailPage(notFoundPage('XXXX99'))).toThrow(TickerNotFoundError);
    expect(() => parseDetailPage(notFoundPage('XXXX99'))).toThrow(/XXXX99/);
  });

  it('throws AmbiguousTickerError with the candidates of "Selecione o Papel"', () => {
    const html = selectTickerPage([
      ['AURA32', 'AURA 360', 'AURA MINERALS INC.'],
      ['AURA33', 'AURA 360', 'AURA MINERALS INC.'],
    ]);
    try {
      parseDetailPage(html, { ticker: 'AURA3' });
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(AmbiguousTickerError);
      expect((error as AmbiguousTickerError).candidates).toEqual([
        { ticker: 'AURA32', name: 'AURA 360' },
        { ticker: 'AURA33', name: 'AURA 360' },
      ]);
      expect((error as AmbiguousTickerError).ticker).toBe('AURA3');
    }
  });

  it('throws LayoutChangedError naming Cotação when the page has no Cotação', () => {
    const run = () => expectKind(parseDetailPage(companyPage({ omit: ['Cotação'] })), 'acao');
    expect(run).toThrow(LayoutChangedError);
    expect(run).toThrow(/missing required labels: Cotação/);
  });

  it('says a Cloudflare challenge is not data', () => {
    expect(() => parseDetailPage(CHALLENGE_PAGE)).toThrow(/Cloudflare challenge page, not data/);
  });

  it('refuses a stock page without Papel, naming the missing label', () => {
    expect(() =>
      parseDetailPage(
        renderPage([
          renderTable([
            [
              ['Ativo', '1'],
              ['Cotação', '2,00'],
            ],
          ]),
        ]),
      ),
    ).toThrow(/missing required labels: Papel/);
  });

  it('rejects a label that is not followed by a data cell', () => {
    const html = renderPage([
      '<table class="w728"><tr>' +
        '<td class="label"><span class="txt">Papel</span></td>' +
        '<td class="label"><span class="txt">Cotação</span></td>' +
        '</tr></table>',
    ]);
    expect(() => parseDetailPage(html)).toThrow(/"Papel" is not followed by a data cell/);
  });

  it('rejects a label printed a third time', () => {
    const html = companyPage({
      extra: [
        ['EBIT', '1'],
        ['EBIT', '2'],
      ],
    });
    expect(() => parseDetailPage(html)).toThrow(/"EBIT" appears 3 times/);
  });

  it('refuses to turn a malformed value into a number', () => {
    expect(() => expectKind(parseDetailPage(companyPage({ override: { Dia: '-2,91' } })), 'acao')).toThrow(
      ValueFormatError,
    );
    expect(() => expectKind(parseDetailPage(companyPage({ override: { Cotação: '31.6' } })), 'acao')).toThrow(
      /vlr_cot \(Cotação\)/,
    );
  });

  it('throws LayoutChangedError for a page with no label cells at all', () => {
    expect(() => parseDetailPage('<html><body><p>manutenção</p></body></html>')).toThrow(/no label\/data cells/);
  });
});
