import { LayoutChangedError, ValueFormatError } from '../errors';
import { cp1252, expectKind, listingPage } from '../../test-support/pages';
import { read, realFixturesDir } from '../../test-support/real-fixtures';
import { ACOES_LISTING_COLUMNS, FIIS_LISTING_COLUMNS } from './listing-fields';
import { parseListingPage } from './listing-parser';

const HEADERS_2023 = [
  'Papel',
  'Cotação',
  'P/L',
  'P/VP',
  'PSR',
  'Div.Yield',
  'P/Ativo',
  'P/Cap.Giro',
  'P/EBIT',
  'P/Ativ Circ.Liq',
  'EV/EBIT',
  'EV/EBITDA',
  'Mrg Ebit',
  'Mrg. Líq.',
  'Liq. Corr.',
  'ROIC',
  'ROE',
  'Liq.2meses',
  'Patrim. Líq',
  'Dív.Brut/ Patrim.',
  'Cresc. Rec.5a',
];
const PETR4_2023 = [
  '33,51',
  '3,69',
  '1,25',
  '0,752',
  '16,65%',
  '0,452',
  '5,14',
  '2,19',
  '-1,89',
  '2,60',
  '2,06',
  '40,91%',
  '23,68%',
  '1,18',
  '25,33%',
  '33,84%',
  '1.553.000.000,00',
  '383.457.000.000,00',
  '0,88',
  '-29,57%',
];

// 2026: "Mrg Bruta" inserted after EV/EBITDA, "Dív.Líq/ Patrim." replaces "Dív.Brut/ Patrim."
const HEADERS_2026 = [
  ...HEADERS_2023.slice(0, 12),
  'Mrg Bruta',
  ...HEADERS_2023.slice(12, 19),
  'Dív.Líq/ Patrim.',
  'Cresc. Rec.5a',
];
const WEGE3_2026 = [
  '49,70',
  '33,36',
  '11,06',
  '5,198',
  '4,04%',
  '4,470',
  '18,74',
  '24,83',
  '58,27',
  '24,39',
  '21,69',
  '33,14%',
  '20,93%',
  '16,63%',
  '1,59',
  '24,33%',
  '33,16%',
  '354.626.000,00',
  '18.861.400.000,00',
  '-0,20',
  '14,72%',
];

describe('parseListingPage — resultado.php', () => {
  it('maps the 2023 columns by header text, with every value typed', () => {
    const listing = parseListingPage(
      listingPage('acoes', HEADERS_2023, [{ ticker: 'PETR4', name: 'PETROBRAS', cells: PETR4_2023 }]),
    );
    expect(listing.kind).toBe('acoes');
    expect(listing.rows[0]).toMatchObject({ ticker: 'PETR4', name: 'PETROBRAS' });
    expect(listing.rows[0].values).toMatchObject({
      vlr_cot: 33.51,
      vlr_ind_psr: 0.752,
      vlr_ind_div_yield: 0.1665,
      vlr_ind_p_sobre_ativ_circ_liq: -1.89,
      vlr_ind_margem_ebit: 0.4091,
      vlr_liq_media_2m: 1553000000,
      vlr_patrim_liq: 383457000000,
      vlr_ind_divida_bruta_sobre_patrim: 0.88,
      vlr_ind_divida_liq_sobre_patrim: null,
      vlr_ind_margem_bruta: null,
      pct_cresc_rec_liq_ult_5a: -0.2957,
    });
  });

  it('maps the 2026 columns by header text although they moved', () => {
    const listing = parseListingPage(
      listingPage('acoes', HEADERS_2026, [{ ticker: 'WEGE3', name: 'WEG SA', cells: WEGE3_2026 }]),
    );
    expect(listing.headers).toHaveLength(22);
    expect(listing.rows[0].values).toMatchObject({
      vlr_ind_margem_bruta: 0.3314,
      vlr_ind_margem_ebit: 0.2093,
      vlr_ind_margem_liq: 0.1663,
      vlr_ind_divida_liq_sobre_patrim: -0.2,
      vlr_ind_divida_bruta_sobre_patrim: null,
      pct_cresc_rec_liq_ult_5a: 0.1472,
    });
  });

  it('reads 0,00 as null where the listing has no value: a bank prints 0 for what its detail page prints -', () => {
    // ITUB4 on the 2023-10 page; its detail page shows "-" for PSR, P/EBIT, EV/EBIT, margins, ROIC…
    const ITUB4_2023 = [
      '27,90',
      '8,66',
      '1,60',
      '0,000',
      '5,36%',
      '0,000',
      '0,00',
      '0,00',
      '0,00',
      '0,00',
      '0,00',
      '0,00%',
      '0,00%',
      '0,00',
      '0,00%',
      '18,52%',
      '695.324.000,00',
      '170.577.000.000,00',
      '0,00',
      '12,43%',
    ];
    const listing = parseListingPage(
      listingPage('acoes', HEADERS_2023, [{ ticker: 'ITUB4', name: 'ITAUUNIBANCO', cells: ITUB4_2023 }]),
    );
    expect(listing.rows[0].values).toMatchObject({
      vlr_cot: 27.9,
      vlr_ind_p_sobre_l: 8.66,
      vlr_ind_psr: null,
      vlr_ind_p_sobre_ativ: null,
      vlr_ind_p_sobre_ebit: null,
      vlr_ind_ev_sobre_ebitda: null,
      vlr_ind_margem_ebit: null,
      vlr_liquidez_corr: null,
      vlr_ind_roic: null,
      vlr_ind_roe: 0.1852,
      vlr_ind_divida_bruta_sobre_patrim: null,
    });
    expect(listing.rows[0].raw['P/EBIT']).toBe('0,00');
  });

  it('keeps 0 where zero is a real value: no dividends paid, no trades in two months', () => {
    const cells = [...PETR4_2023];
    cells[HEADERS_2023.indexOf('Div.Yield') - 1] = '0,00%';
    cells[HEADERS_2023.indexOf('Liq.2meses') - 1] = '0,00';
    cells[HEADERS_2023.indexOf('Cotação') - 1] = '0,00';
    const listing = parseListingPage(listingPage('acoes', HEADERS_2023, [{ ticker: 'CSTB3', name: 'C', cells }]));
    expect(listing.rows[0].values).toMatchObject({ vlr_ind_div_yield: 0, vlr_liq_media_2m: 0, vlr_cot: null });
  });

  it('collapses duplicate rows into the first and counts them', () => {
    const rows = [
      { ticker: 'MRSA3B', name: 'MRS LOGIST', cells: PETR4_2023 },
      { ticker: 'PETR4', name: 'PETROBRAS', cells: PETR4_2023 },
      { ticker: 'MRSA3B', name: 'MRS LOGIST', cells: PETR4_2023 },
    ];
    const listing = parseListingPage(listingPage('acoes', HEADERS_2023, rows));
    expect(listing.rows.map((r) => r.ticker)).toEqual(['MRSA3B', 'PETR4']);
    expect(listing.duplicateRows).toBe(1);
  });

  it('keeps unknown headers in raw and reports them', () => {
    const listing = parseListingPage(
      listingPage('acoes', [...HEADERS_2023, 'Novo'], [{ ticker: 'PETR4', name: 'P', cells: [...PETR4_2023, '7,00'] }]),
    );
    expect(listing.unknownHeaders).toEqual(['Novo']);
    expect(listing.rows[0].raw['Novo']).toBe('7,00');
  });

  it('reads Windows-1252 bytes like UTF-8 text', () => {
    const html = listingPage('acoes', HEADERS_2023, [{ ticker: 'PETR4', name: 'PETRÓLEO', cells: PETR4_2023 }]);
    expect(parseListingPage(cp1252(html))).toEqual(parseListingPage(html));
  });

  it('rejects a row with a cell count that does not match the headers', () => {
    const html = listingPage('acoes', HEADERS_2023, [{ ticker: 'PETR4', name: 'P', cells: PETR4_2023.slice(1) }]);
    expect(() => parseListingPage(html)).toThrow(/row 1 has 20 cells for 21 headers/);
  });

  it('rejects a malformed value with the column and ticker', () => {
    const cells = [...PETR4_2023];
    cells[4] = '16,65';
    expect(() => parseListingPage(listingPage('acoes', HEADERS_2023, [{ ticker: 'PETR4', name: 'P', cells }]))).toThrow(
      ValueFormatError,
    );
  });

  it('requires Papel first and a Cotação column', () => {
    expect(() => parseListingPage(listingPage('acoes', ['Código', 'Cotação'], []))).toThrow(LayoutChangedError);
    expect(() => parseListingPage(listingPage('acoes', ['Papel', 'P/L'], []))).toThrow(/Cotação/);
  });

  it('throws LayoutChangedError for a page without a listing table', () => {
    expect(() => parseListingPage('<html><table id="other"></table></html>')).toThrow(LayoutChangedError);
  });
});

describe('parseListingPage — fii_resultado.php', () => {
  const HEADERS = [
    'Papel',
    'Segmento',
    'Cotação',
    'FFO Yield',
    'Dividend Yield',
    'P/VP',
    'Valor de Mercado',
    'Liquidez',
    'Qtd de imóveis',
    'Preço do m2',
    'Aluguel por m2',
    'Cap Rate',
    'Vacância Média',
    'Endereço',
  ];
  const ROW = [
    'Logística',
    '150,30',
    '6,47%',
    '8,70%',
    '0,91',
    '6.853.940.000',
    '14.508.000',
    '60',
    '1.905,00',
    '144,00',
    '7,60%',
    '3,20%',
    'Rod. Anhanguera – km 25, Cajamar',
  ];

  it('types every FII column, including the hidden address', () => {
    const listing = parseListingPage(
      cp1252(listingPage('fiis', HEADERS, [{ ticker: 'HGLG11', name: 'PÁTRIA LOG', cells: ROW }])),
    );
    expect(listing.kind).toBe('fiis');
    expect(listing.rows[0]).toMatchObject({ ticker: 'HGLG11', name: 'PÁTRIA LOG' });
    expect(listing.rows[0].values).toEqual({
      segmento: 'Logística',
      vlr_cot: 150.3,
      vlr_ffo_yield: 0.0647,
      vlr_div_yield: 0.087,
      vlr_p_sobre_vp: 0.91,
      vlr_mercado: 6853940000,
      vlr_liquidez_media: 14508000,
      qtd_imoveis: 60,
      vlr_do_m2: 1905,
      vlr_aluguel_por_m2: 144,
      vlr_cap_rate: 0.076,
      vlr_vacancia_media: 0.032,
      endereco: 'Rod. Anhanguera – km 25, Cajamar',
    });
  });

  it("reads a paper fund's 0,00 property columns as null, keeping its 0 properties and 0% vacancy", () => {
    const paper = ['Títulos e Val. Mob.', '9,61', '12,10%', '12,40%', '1,01', '3.120.000.000', '9.800.000', '0'];
    const cells = [...paper, '0,00', '0,00', '0,00%', '0,00%', ''];
    const listing = expectKind(
      parseListingPage(listingPage('fiis', HEADERS, [{ ticker: 'MXRF11', name: 'MAXI RENDA', cells }])),
      'fiis',
    );
    expect(listing.rows[0].values).toMatchObject({
      vlr_cot: 9.61,
      qtd_imoveis: 0,
      vlr_do_m2: null,
      vlr_aluguel_por_m2: null,
      vlr_cap_rate: null,
      vlr_vacancia_media: 0,
      endereco: null,
    });
  });

  it('still maps headers whose accents became U+FFFD, and never to the wrong column', () => {
    const damaged = HEADERS.map((h) => h.replace(/[çãéáí]/g, '\ufffd'));
    const listing = expectKind(
      parseListingPage(listingPage('fiis', damaged, [{ ticker: 'HGLG11', name: 'P', cells: ROW }])),
      'fiis',
    );
    expect(listing.unknownHeaders).toEqual([]);
    expect(listing.rows[0].values.vlr_cot).toBe(150.3);
    expect(listing.rows[0].values.vlr_vacancia_media).toBe(0.032);
    expect(listing.rows[0].values.qtd_imoveis).toBe(60);
  });

  it('warns once per column holding U+FFFD and has no warnings key on a clean listing', () => {
    const rows = [
      { ticker: 'ABCP11', name: 'GRAND PLAZA SHOPPING', cells: ['67,84', 'Shoppings'] },
      { ticker: 'HGLG11', name: 'P\ufffdTRIA LOG', cells: ['150,30', 'Log\ufffdstica'] },
      { ticker: 'MXRF11', name: 'MAXI RENDA', cells: ['9,50', 'H\ufffdbrido'] },
    ];
    const listing = parseListingPage(listingPage('fiis', ['Papel', 'Cotação', 'Segmento'], rows));
    expect(listing.warnings).toEqual([
      expect.stringMatching(
        /^segmento: 2 rows contain U\+FFFD replacement characters \(first: HGLG11 "Log\ufffdstica"/,
      ),
      expect.stringMatching(/^name: 1 row contains U\+FFFD .*HGLG11 "P\ufffdTRIA LOG"/),
    ]);
    const clean = parseListingPage(listingPage('fiis', ['Papel', 'Cotação', 'Segmento'], rows.slice(0, 1)));
    expect('warnings' in clean).toBe(false);
  });
});

const realFixtures = realFixturesDir();
(realFixtures ? describe : describe.skip)('parseListingPage — 0,00 on the recorded pages', () => {
  const numeric = (columns: readonly { column: string; type: string; zeroIsValue?: boolean }[]) =>
    columns.filter((c) => c.type !== 'text');

  it.each([
    ['resultado_2023-10-08_pynvest.html', ACOES_LISTING_COLUMNS],
    ['fii_resultado_2023-10-08_pynvest.html', FIIS_LISTING_COLUMNS],
    ['fii_resultado_2022-08-08_juninhofreitas.html', FIIS_LISTING_COLUMNS],
  ] as const)('%s: a 0 survives only in the columns where zero is a real value', (file, columns) => {
    const listing = parseListingPage(read(`${realFixtures}/fundamentus`, file));
    for (const { column, zeroIsValue } of numeric(columns)) {
      const zeros = listing.rows.filter((r) => (r.values as Record<string, unknown>)[column] === 0).length;
      expect([column, zeroIsValue ? 'kept' : zeros]).toEqual([column, zeroIsValue ? 'kept' : 0]);
    }
  });

  it('a paper never traded (ICPI3, every cell 0,00) has no value but its real zeros', () => {
    const listing = parseListingPage(read(`${realFixtures}/fundamentus`, 'resultado_2023-10-08_pynvest.html'));
    const row = listing.rows.find((r) => r.ticker === 'ICPI3');
    const values = row!.values as Record<string, unknown>;
    const present = Object.entries(values).filter(([, v]) => v !== null);
    expect(present).toEqual([
      ['vlr_ind_div_yield', 0],
      ['vlr_liq_media_2m', 0],
    ]);
  });
});
