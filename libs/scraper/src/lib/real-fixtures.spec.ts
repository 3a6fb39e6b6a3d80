/**
 * Runs the parsers over pages recorded from the real sites (shared/fixtures/real, provenance in
 * its SOURCES.md). Skipped, with a visible message, where that folder is absent.
 */
import { gzipSync } from 'node:zlib';
import { AmbiguousTickerError, NotAPortfolioError, TickerNotFoundError } from './errors';
import { parseContent } from './detect';
import { parseDetailPage, type AcaoDetailPage, type FiiDetailPage } from './fundamentus/detail-parser';
import { parseListingPage } from './fundamentus/listing-parser';
import { parsePortfolioCsv } from './b3/portfolio-csv';
import { parsePortfolioJson } from './b3/portfolio-json';
import { decodeBody } from './parse/text';
import { listFiles, read, realFixturesDir } from '../test-support/real-fixtures';
import { expectKind } from '../test-support/pages';

const root = realFixturesDir();
const fundamentus = root && `${root}/fundamentus`;
const b3 = root && `${root}/b3`;

if (!root) {
  process.stderr.write(
    '\n[scraper] real-page suite SKIPPED: ../shared/fixtures/real not found (set B3LAKE_REAL_FIXTURES to run it)\n\n',
  );
}
const describeReal = root ? describe : describe.skip;

/** The same page as UTF-8 bytes, as many saved copies in the wild are. */
function transcodeToUtf8(bytes: Buffer): Uint8Array {
  return new TextEncoder().encode(decodeBody(bytes));
}

describeReal('real Fundamentus detail pages', () => {
  const files = fundamentus ? listFiles(fundamentus, /^detalhes_.*\.html$/) : [];

  it('finds the recorded pages', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)('%s parses, or raises the typed error its page calls for', (file) => {
    const body = read(fundamentus!, file);
    if (/selecione_papel/.test(file)) {
      expect(() => parseDetailPage(body)).toThrow(AmbiguousTickerError);
    } else if (/nenhum_papel/.test(file)) {
      expect(() => parseDetailPage(body)).toThrow(TickerNotFoundError);
    } else {
      const page = parseDetailPage(body);
      expect(file).toContain(`_${page.ticker}_`);
      expect(page.unknownLabels).toEqual([]);
      expect(typeof page.values.vlr_cot).toBe('number');
      expect(page.values.dt_ult_cot).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // The year printed first on the page is a0, and it is the year of the last quote.
      expect(page.values.num_ano_a0).toBe(Number(page.values.dt_ult_cot!.slice(0, 4)));
    }
  });

  it.each(files.filter((f) => !/selecione|nenhum/.test(f)))(
    '%s with a new label inserted before its first label parses to the same values',
    (file) => {
      const original = decodeBody(read(fundamentus!, file));
      const row =
        '<tr><td class="label w2"><span class="txt">Indicador Novo</span></td>' +
        '<td class="data w3"><span class="txt">1,23</span></td></tr>';
      const page = parseDetailPage(original.replace('<table class="w728">', `<table class="w728">${row}`));
      expect(page.unknownLabels).toEqual(['Indicador Novo']);
      expect(page.values).toEqual(parseDetailPage(original).values);
    },
  );

  it.each(files.filter((f) => !/selecione|nenhum/.test(f)))('%s parses the same from its .html.gz archive', (file) => {
    const bytes = read(fundamentus!, file);
    expect(parseContent(gzipSync(bytes))).toEqual(parseContent(bytes));
  });

  it.each(files.filter((f) => !/selecione|nenhum/.test(f)))(
    '%s parses identically from UTF-8 and Windows-1252 bytes',
    (file) => {
      const original = read(fundamentus!, file);
      expect(parseDetailPage(transcodeToUtf8(original))).toEqual(parseDetailPage(original));
    },
  );

  it('PETR4 24/05/2022: the values the page prints', () => {
    const page = parseDetailPage(read(fundamentus!, 'detalhes_PETR4_2022-05-24_enedois.html')) as AcaoDetailPage;
    expect(page.layout).toBe('company');
    expect(page.values).toMatchObject({
      vlr_cot: 31.6,
      dt_ult_cot: '2022-05-24',
      pct_var_dia: -0.0291,
      vlr_ind_p_sobre_ativ_circ_liq: -1.14,
      vlr_receita_liq_ult_12m: 508135000000,
      vlr_receita_liq_ult_3m: 141641000000,
      vlr_ind_div_yield: 0.364,
      num_acoes: 13044500000,
      num_ano_a0: 2022,
    });
  });

  it('PETR4 01/12/2021 keys its years from the page (a0 = 2021)', () => {
    const page = parseDetailPage(read(fundamentus!, 'detalhes_PETR4_2021-12-01_enedois.html'));
    expect(page.values.num_ano_a0).toBe(2021);
    expect(page.raw['2016']).toBeDefined();
  });

  it.each([
    'detalhes_ITUB4_2022-05-24_enedois.html',
    'detalhes_BBAS3_2022-05-24_enedois.html',
    'detalhes_BBDC4_2022-05-24_enedois.html',
    'detalhes_ITUB4_2026-07-03_pedrorigon.html',
  ])('%s is the bank layout with its own fields', (file) => {
    const page = parseDetailPage(read(fundamentus!, file)) as AcaoDetailPage;
    expect(page.layout).toBe('bank');
    expect(typeof page.values.vlr_depositos).toBe('number');
    expect(typeof page.values.vlr_result_int_financ_ult_12m).toBe('number');
    expect(typeof page.values.vlr_rec_servicos_ult_3m).toBe('number');
    expect(page.values.vlr_firma).toBeNull();
  });

  it('ITUB4 2022: Result Int Financ 12 m and 3 m are not swapped', () => {
    const page = parseDetailPage(read(fundamentus!, 'detalhes_ITUB4_2022-05-24_enedois.html')) as AcaoDetailPage;
    expect(page.values.vlr_cot).toBe(26.17);
    expect(page.values.vlr_result_int_financ_ult_12m).toBe(1553000000);
    expect(page.values.vlr_result_int_financ_ult_3m).toBe(73000000);
  });

  it.each([
    'detalhes_BBSE3_2022-05-24_enedois.html',
    'detalhes_PSSA3_2022-05-24_enedois.html',
    'detalhes_TAEE11_2022-05-24_enedois.html',
  ])('%s (insurer or unit ending in 11) is the company layout', (file) => {
    expect(parseDetailPage(read(fundamentus!, file))).toMatchObject({ kind: 'acao', layout: 'company' });
  });

  it('WEGE3 2026 maps "Dív Líq / Patrim" to the net-debt column', () => {
    const page = parseDetailPage(read(fundamentus!, 'detalhes_WEGE3_2026-07-03_pedrorigon.html')) as AcaoDetailPage;
    expect(page.values.vlr_cot).toBe(46.48);
    expect(typeof page.values.vlr_ind_divida_liq_sobre_patrim).toBe('number');
    expect(page.values.vlr_ind_divida_bruta_sobre_patrim).toBeNull();
  });

  it('2014 and 2018 pages (no EV / EBITDA) leave that column null', () => {
    for (const file of ['detalhes_PETR4_2014-04-04_viniciuspinto.html', 'detalhes_ABEV3_2018-04-06_stockscore.html']) {
      const page = parseDetailPage(read(fundamentus!, file));
      expect(page.values).toMatchObject({ vlr_ind_ev_sobre_ebitda: null });
    }
  });

  it('HGLG11 and MXRF11 are FIIs with typed values', () => {
    const hglg = parseDetailPage(read(fundamentus!, 'detalhes_HGLG11_2026-07-03_pedrorigon.html')) as FiiDetailPage;
    expect(hglg.values).toMatchObject({
      fii: 'HGLG11',
      vlr_cot: 150.3,
      vlr_div_yield: 0.087,
      qtd_imoveis: 60,
      vlr_rec_bruta_ult_12m: 491532000,
      vlr_rec_bruta_ult_3m: 143645000,
      num_ano_a0: 2026,
    });
    const mxrf = parseDetailPage(
      read(fundamentus!, 'reconstructed/detalhes_MXRF11_2026-09-08_goinvest_RECONSTRUCTED.html'),
    );
    expect(mxrf).toMatchObject({ ticker: 'MXRF11', kind: 'fii' });
  });

  it('lists the candidates of "Selecione o Papel" (AURA3 → AURA32, AURA33)', () => {
    const error = (() => {
      try {
        parseDetailPage(read(fundamentus!, 'detalhes_AURA3_selecione_papel_2022-05-25_enedois.html'), {
          ticker: 'AURA3',
        });
      } catch (e) {
        return e as AmbiguousTickerError;
      }
      return undefined;
    })();
    expect(error?.candidates.map((c) => c.ticker)).toEqual(['AURA32', 'AURA33']);
  });
});

describeReal('real Fundamentus listing pages', () => {
  it.each([
    ['resultado_2023-10-08_pynvest.html', 'acoes', 983, 21],
    ['resultado_2023-10-29_pynvest_bs4.html', 'acoes', 983, 21],
    ['reconstructed/resultado_min_2026-09-02_goinvest_RECONSTRUCTED.html', 'acoes', 3, 22],
    ['fii_resultado_2023-10-08_pynvest.html', 'fiis', 427, 14],
    ['fii_resultado_2022-08-08_juninhofreitas.html', 'fiis', 360, 14],
  ])('%s: %s, %i unique tickers, %i columns, all mapped', (file, kind, count, columns) => {
    const listing = parseListingPage(read(fundamentus!, file));
    expect(listing.kind).toBe(kind);
    expect(listing.rows).toHaveLength(count);
    expect(listing.headers).toHaveLength(columns);
    expect(listing.unknownHeaders).toEqual([]);
  });

  it("collapses the 2023 page's 986 rows into 983 tickers", () => {
    expect(parseListingPage(read(fundamentus!, 'resultado_2023-10-08_pynvest.html')).duplicateRows).toBe(3);
  });

  it('the U+FFFD-damaged FII page still gives the numbers the page prints', () => {
    const listing = parseListingPage(read(fundamentus!, 'fii_resultado_2022-08-08_juninhofreitas.html'));
    const abcp = listing.rows.find((r) => r.ticker === 'ABCP11');
    expect(abcp?.values).toMatchObject({
      vlr_cot: 67.84,
      vlr_ffo_yield: 0.0891,
      vlr_div_yield: 0.0869,
      vlr_mercado: 827908000,
      qtd_imoveis: 1,
      vlr_do_m2: 11608.2,
      vlr_cap_rate: 0.1021,
      vlr_vacancia_media: 0.075,
    });
  });

  it('the U+FFFD-damaged FII page warns, naming the damaged columns; the pynvest copy does not', () => {
    const damaged = parseListingPage(read(fundamentus!, 'fii_resultado_2022-08-08_juninhofreitas.html'));
    expect(damaged.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^segmento: \d+ rows contain U\+FFFD/)]),
    );
    expect(parseListingPage(read(fundamentus!, 'fii_resultado_2023-10-08_pynvest.html')).warnings).toBeUndefined();
  });

  it('repairs the en dash the pynvest copy stored as U+0096', () => {
    const listing = expectKind(parseListingPage(read(fundamentus!, 'fii_resultado_2023-10-08_pynvest.html')), 'fiis');
    const addresses = listing.rows.map((r) => String(r.values.endereco ?? '')).join('\n');
    expect(addresses).not.toMatch(/[\u0080-\u009f]/);
    expect(addresses).toContain('407-SUL – Lote 1');
  });
});

// The recorded dividend pages (proventos_*) are checked row by row in fundamentus/proventos.real-fixtures.spec.ts.

describeReal('real B3 JSON that is not a portfolio', () => {
  const files = b3 ? listFiles(b3, /^(GetStockIndex|ibov_indexStatistics)_.*\.json$/) : [];

  it.each(files)('%s is refused with NOT_A_PORTFOLIO, naming what it is', (file) => {
    const source = file.startsWith('GetStockIndex') ? 'GetStockIndex' : 'indexStatistics GetPortfolioDay';
    expect(() => parseContent(read(b3!, file))).toThrow(NotAPortfolioError);
    expect(() => parseContent(read(b3!, file))).toThrow(expect.objectContaining({ source }));
  });
});

describeReal('real B3 portfolios', () => {
  const jsonFiles = b3 ? listFiles(b3, /^ibov_Get(PortfolioDay|TheoricalPortfolio)_.*\.json$/) : [];
  const csvFiles = b3 ? listFiles(b3, /^IBOVDia_.*\.csv$/) : [];

  it.each(jsonFiles)('%s parses and its participations sum to ≈ 100%%', (file) => {
    const portfolio = parsePortfolioJson(read(b3!, file));
    expect(portfolio.rows.length).toBeGreaterThanOrEqual(80);
    const sum = portfolio.rows.reduce((total, row) => total + row.participation, 0);
    expect(Math.abs(sum - 1)).toBeLessThan(0.0005);
    expect(portfolio.reductor).toBeGreaterThan(1e6);
  });

  it.each(csvFiles)('%s parses and its participations sum to ≈ 100%%', (file) => {
    const portfolio = parsePortfolioCsv(read(b3!, file));
    const sum = portfolio.rows.reduce((total, row) => total + row.participation, 0);
    expect(Math.abs(sum - 1)).toBeLessThan(0.0005);
    expect(portfolio.totalTheoreticalQuantity).toBe(portfolio.rows.reduce((t, r) => t + r.theoreticalQuantity, 0));
  });

  it('reads the en-us date 04/07/25 as 7 April 2025 and the pt-br 08/12/22 as 8 December 2022', () => {
    expect(parsePortfolioJson(read(b3!, 'ibov_GetPortfolioDay_segment2_en-us_2025-04-07_rb3.json')).date).toBe(
      '2025-04-07',
    );
    expect(parsePortfolioJson(read(b3!, 'ibov_GetPortfolioDay_segment2_pt-br_2022-12-08_rb3.json')).date).toBe(
      '2022-12-08',
    );
  });

  it('the U+FFFD-damaged pt-br response still gives correct numbers', () => {
    const portfolio = parsePortfolioJson(read(b3!, 'ibov_GetPortfolioDay_segment2_pt-br_2022-12-08_rb3.json'));
    expect(portfolio.rows[0]).toMatchObject({
      ticker: 'WEGE3',
      participation: 0.02728,
      theoreticalQuantity: 1481593024,
    });
    expect(portfolio.totalTheoreticalQuantity).toBe(101053551382);
  });

  it('the U+FFFD-damaged pt-br response warns about its sectors, and the clean en-us one does not', () => {
    const damaged = parsePortfolioJson(read(b3!, 'ibov_GetPortfolioDay_segment2_pt-br_2022-12-08_rb3.json'));
    expect(damaged.warnings).toEqual([expect.stringMatching(/^sector: \d+ rows contain U\+FFFD .*WEGE3 "Bens Indls/)]);
    const clean = parsePortfolioJson(read(b3!, 'ibov_GetPortfolioDay_segment2_en-us_2025-04-07_rb3.json'));
    expect(clean.warnings).toEqual([]);
  });

  it("the 2021 CSV's malformed reductor is a warning, not a number", () => {
    const portfolio = parsePortfolioCsv(read(b3!, 'IBOVDia_2021-03-26_csv_pedrosampaiomatias.csv'));
    expect(portfolio.reductor).toBeNull();
    expect(portfolio.warnings).toHaveLength(1);
  });
});
