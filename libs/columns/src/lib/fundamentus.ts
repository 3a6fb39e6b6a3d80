/**
 * Every Fundamentus column, declared once: the label (or listing header) on the page, the column
 * name, how its text is typed and what it means (unit). The scraper parses with these, the lake's
 * registry builds the SoR/SoT/summary schemas from them, the pipeline types SoR into SoT with
 * them. Names and meanings: shared/design/columns.md.
 *
 * Why a lib of its own (data only, depends on nothing): the scraper may not depend on the lake
 * and the lake may not depend on the scraper, yet both need the same declaration, and the lake's
 * table registry must stay complete at import time for everything that reads it (CDK, CLI,
 * catalogs). A leaf both import is the one place; the published scraper package inlines it.
 */
import {
  BANK,
  R$,
  REQUIRED,
  bare,
  columnsOf,
  date,
  decimal,
  integer,
  listed,
  percent,
  pick,
  relabel,
  text,
  twice,
  type ColumnDecl,
  type DetailField,
  type ListingField,
} from './column';

const OSCILLATIONS = [
  percent('Dia', 'pct_var_dia', 'price change on the day', REQUIRED),
  percent('Mês', 'pct_var_mes', 'price change in the month'),
  percent('30 dias', 'pct_var_30d', 'price change in 30 days'),
  percent('12 meses', 'pct_var_12m', 'price change in 12 months'),
] as const;

/** Year oscillation columns: a0 is the first (most recent) year printed on the page, never today's. */
export const YEAR_COLUMNS = [
  'pct_var_ano_a0',
  'pct_var_ano_a1',
  'pct_var_ano_a2',
  'pct_var_ano_a3',
  'pct_var_ano_a4',
  'pct_var_ano_a5',
] as const;
/** The year a0 stands for: the year label printed first. */
export const YEAR_OF_A0_COLUMN = 'num_ano_a0';

/** Year rows are matched by their label's shape (a 4-digit year), not by a fixed label. */
const YEARS: readonly ColumnDecl[] = [
  ...YEAR_COLUMNS.map((column, i) => ({
    column,
    type: 'percent' as const,
    comment: `price change in year ${YEAR_OF_A0_COLUMN} - ${i}`,
  })),
  { column: YEAR_OF_A0_COLUMN, type: 'year', comment: 'the most recent year printed on the page (a0)' },
];

/** The quote columns (Spec carries them too). */
export const PRICE = [
  decimal('Cotação', 'vlr_cot', R$('last quote'), REQUIRED),
  date('Data últ cot', 'dt_ult_cot', 'date of the last quote', REQUIRED),
  decimal('Min 52 sem', 'vlr_min_52_sem', R$('52-week low')),
  decimal('Max 52 sem', 'vlr_max_52_sem', R$('52-week high')),
] as const;

const QUOTE = [
  ...PRICE,
  integer('Vol $ méd (2m)', 'vol_med_neg_2m', R$('average daily traded volume, 2 months')),
  decimal('Valor de mercado', 'vlr_mercado', R$('market value'), REQUIRED),
] as const;

const ACAO_HEAD = [
  text('Papel', 'nome_papel', 'ticker (Papel)', REQUIRED),
  text('Tipo', 'tipo_papel', 'share type, e.g. PN N1'),
  text('Empresa', 'nome_empresa', 'company'),
  text('Setor', 'nome_setor', 'sector'),
  text('Subsetor', 'nome_subsetor', 'subsector'),
  ...QUOTE,
  decimal('Valor da firma', 'vlr_firma', R$('enterprise value; null for banks')),
  date('Últ balanço processado', 'dt_ult_balanco_proc', 'last processed balance sheet'),
  integer('Nro. Ações', 'num_acoes', 'number of shares'),
] as const;

const ACAO_TAIL = [
  decimal('P/L', 'vlr_ind_p_sobre_l', 'P/L ratio'),
  decimal('P/VP', 'vlr_ind_p_sobre_vp', 'P/VP ratio'),
  decimal('P/EBIT', 'vlr_ind_p_sobre_ebit', 'P/EBIT ratio'),
  decimal('PSR', 'vlr_ind_psr', 'price / sales ratio'),
  decimal('P/Ativos', 'vlr_ind_p_sobre_ativ', 'price / assets ratio'),
  decimal('P/Cap. Giro', 'vlr_ind_p_sobre_cap_giro', 'price / working capital ratio'),
  decimal('P/Ativ Circ Liq', 'vlr_ind_p_sobre_ativ_circ_liq', 'price / net current assets ratio'),
  percent('Div. Yield', 'vlr_ind_div_yield', 'dividend yield'),
  decimal('EV / EBITDA', 'vlr_ind_ev_sobre_ebitda', 'EV/EBITDA ratio'),
  decimal('EV / EBIT', 'vlr_ind_ev_sobre_ebit', 'EV/EBIT ratio'),
  percent('Cres. Rec (5a)', 'pct_cresc_rec_liq_ult_5a', 'net revenue growth, 5 years'),
  decimal('LPA', 'vlr_ind_lpa', R$('earnings per share')),
  decimal('VPA', 'vlr_ind_vpa', R$('book value per share')),
  percent('Marg. Bruta', 'vlr_ind_margem_bruta', 'gross margin'),
  percent('Marg. EBIT', 'vlr_ind_margem_ebit', 'EBIT margin'),
  percent('Marg. Líquida', 'vlr_ind_margem_liq', 'net margin'),
  percent('EBIT / Ativo', 'vlr_ind_ebit_sobre_ativo', 'EBIT / assets'),
  percent('ROIC', 'vlr_ind_roic', 'return on invested capital'),
  percent('ROE', 'vlr_ind_roe', 'return on equity'),
  decimal('Liquidez Corr', 'vlr_liquidez_corr', 'current ratio'),
  decimal('Div Br/ Patrim', 'vlr_ind_divida_bruta_sobre_patrim', 'gross debt / equity (pages before 2026)'),
  decimal('Dív Líq / Patrim', 'vlr_ind_divida_liq_sobre_patrim', 'net debt / equity (2026 pages)'),
  decimal('Giro Ativos', 'vlr_ind_giro_ativos', 'asset turnover'),
  decimal('Ativo', 'vlr_ativo', R$('total assets')),
  decimal('Disponibilidades', 'vlr_disponibilidades', R$('cash')),
  decimal('Ativo Circulante', 'vlr_ativ_circulante', R$('current assets')),
  decimal('Dív. Bruta', 'vlr_divida_bruta', R$('gross debt')),
  decimal('Dív. Líquida', 'vlr_divida_liq', R$('net debt')),
  decimal('Patrim. Líq', 'vlr_patrim_liq', R$('equity')),
  decimal('Depósitos', 'vlr_depositos', R$('deposits (bank layout)'), BANK),
  decimal('Cart. de Crédito', 'vlr_carteira_credito', R$('credit portfolio (bank layout)'), BANK),
  twice('Receita Líquida', 'vlr_receita_liq_ult_12m', 'vlr_receita_liq_ult_3m', (p) => R$(`net revenue, last ${p}`)),
  twice('EBIT', 'vlr_ebit_ult_12m', 'vlr_ebit_ult_3m', (p) => R$(`EBIT, last ${p}`)),
  twice('Lucro Líquido', 'vlr_lucro_liq_ult_12m', 'vlr_lucro_liq_ult_3m', (p) => R$(`net income, last ${p}`)),
  twice(
    'Result Int Financ',
    'vlr_result_int_financ_ult_12m',
    'vlr_result_int_financ_ult_3m',
    (p) => R$(`financial intermediation result, ${p} (bank layout)`),
    BANK,
  ),
  twice(
    'Rec Serviços',
    'vlr_rec_servicos_ult_12m',
    'vlr_rec_servicos_ult_3m',
    (p) => R$(`service revenue, ${p} (bank layout)`),
    BANK,
  ),
] as const;

/** A stock's detail page (columns.md "Ações"), company and bank layouts, in page order. */
export const ACAO_FIELDS = [...ACAO_HEAD, ...OSCILLATIONS, ...ACAO_TAIL] as const satisfies readonly DetailField[];

const FII_HEAD = [
  text('FII', 'fii', 'ticker (FII)', REQUIRED),
  text('Nome', 'nome_fii', 'fund name'),
  text('Mandato', 'tipo_mandato', 'mandate'),
  text('Segmento', 'segmento', 'segment'),
  text('Gestão', 'tipo_gestao', 'management type'),
  ...QUOTE,
  integer('Nro. Cotas', 'num_cotas', 'number of shares (cotas)'),
  date('Relatório', 'dt_ult_relat_ger', 'last management report'),
  date('Últ Info Trimestral', 'dt_ult_informe_trim', 'last quarterly report'),
] as const;

const FII_TAIL = [
  percent('FFO Yield', 'vlr_ffo_yield', 'FFO yield'),
  decimal('FFO/Cota', 'vlr_ffo_sobre_cota', R$('FFO per share')),
  percent('Div. Yield', 'vlr_div_yield', 'dividend yield'),
  decimal('Dividendo/cota', 'vlr_dividendo_sobre_cota', R$('dividend per share')),
  decimal('P/VP', 'vlr_p_sobre_vp', 'P/VP ratio'),
  decimal('VP/Cota', 'vlr_vp_sobre_cota', R$('book value per share')),
  twice('Receita', 'vlr_rec_bruta_ult_12m', 'vlr_rec_bruta_ult_3m', (p) => R$(`revenue, ${p}`)),
  twice('Venda de ativos', 'vlr_vend_ativ_ult_12m', 'vlr_vend_ativ_ult_3m', (p) => R$(`asset sales, ${p}`)),
  twice('FFO', 'vlr_ffo_ult_12m', 'vlr_ffo_ult_3m', (p) => R$(`FFO, ${p}`)),
  twice('Rend. Distribuído', 'vlr_rendim_distr_ult_12m', 'vlr_rendim_distr_ult_3m', (p) =>
    R$(`income distributed, ${p}`),
  ),
  decimal('Ativos', 'vlr_ativos', R$('total assets')),
  relabel('Patrim Líquido', pick(ACAO_TAIL, 'vlr_patrim_liq')),
  integer('Qtd imóveis', 'qtd_imoveis', 'number of properties'),
  integer('Qtd Unidades', 'qtd_unidades', 'number of units'),
  percent('Imóveis/PL do FII', 'vlr_imoveis_sobre_pl', 'properties / equity'),
  decimal('Área (m2)', 'total_area_m2', 'total area, m²'),
  decimal('Aluguel/m2', 'vlr_aluguel_por_m2', R$('rent per m²')),
  decimal('Preço do m2', 'vlr_do_m2', R$('price per m²')),
  percent('Cap Rate', 'vlr_cap_rate', 'cap rate'),
  percent('Vacância Média', 'vlr_vacancia_media', 'average vacancy'),
] as const;

/** A FII's detail page (columns.md "FIIs"), in page order. */
export const FII_FIELDS = [...FII_HEAD, ...OSCILLATIONS, ...FII_TAIL] as const satisfies readonly DetailField[];

/**
 * The columns of a stock's detail-page row (SoR, SoT), in table order: each field, its 3-month
 * twin, and the year columns after the oscillations.
 */
export const ACAO_COLUMNS: readonly ColumnDecl[] = [
  ...columnsOf(ACAO_HEAD),
  ...columnsOf(OSCILLATIONS),
  ...YEARS,
  ...columnsOf(ACAO_TAIL),
];
/** The columns of a FII's detail-page row, in table order. */
export const FII_COLUMNS: readonly ColumnDecl[] = [
  ...columnsOf(FII_HEAD),
  ...columnsOf(OSCILLATIONS),
  ...YEARS,
  ...columnsOf(FII_TAIL),
];

/** A kind of detail page: its fields, its row's columns, and which fields name the asset. */
export interface DetailPageDecl<F extends readonly DetailField[] = readonly DetailField[]> {
  readonly fields: F;
  readonly columns: readonly ColumnDecl[];
  readonly ticker: DetailField;
  readonly name: DetailField;
  /** Sector (stocks) or segment (FIIs). */
  readonly sector: DetailField;
}

export const DETAIL_PAGES: {
  readonly acao: DetailPageDecl<typeof ACAO_FIELDS>;
  readonly fii: DetailPageDecl<typeof FII_FIELDS>;
} = {
  acao: {
    fields: ACAO_FIELDS,
    columns: ACAO_COLUMNS,
    ticker: pick(ACAO_FIELDS, 'nome_papel'),
    name: pick(ACAO_FIELDS, 'nome_empresa'),
    sector: pick(ACAO_FIELDS, 'nome_setor'),
  },
  fii: {
    fields: FII_FIELDS,
    columns: FII_COLUMNS,
    ticker: pick(FII_FIELDS, 'fii'),
    name: pick(FII_FIELDS, 'nome_fii'),
    sector: pick(FII_FIELDS, 'segmento'),
  },
};

/** The year columns' and the oscillations' declarations (Spec carries them too), in table order. */
export const OSCILLATION_COLUMNS: readonly ColumnDecl[] = [...columnsOf(OSCILLATIONS), ...YEARS];

/**
 * `resultado.php` (stocks). 2023 pages have 21 columns, 2026 pages 22. A `0,00` is NULL (no data:
 * the detail page prints `-` there) except in the `zeroIsValue` columns, where zero is real.
 */
export const ACOES_LISTING_COLUMNS = [
  listed('Cotação', ACAO_FIELDS, 'vlr_cot', REQUIRED),
  listed('P/L', ACAO_FIELDS, 'vlr_ind_p_sobre_l'),
  listed('P/VP', ACAO_FIELDS, 'vlr_ind_p_sobre_vp'),
  listed('PSR', ACAO_FIELDS, 'vlr_ind_psr'),
  listed('Div.Yield', ACAO_FIELDS, 'vlr_ind_div_yield', {
    comment: 'dividend yield; 0 = no dividends',
    zeroIsValue: true,
  }),
  listed('P/Ativo', ACAO_FIELDS, 'vlr_ind_p_sobre_ativ'),
  listed('P/Cap.Giro', ACAO_FIELDS, 'vlr_ind_p_sobre_cap_giro'),
  listed('P/EBIT', ACAO_FIELDS, 'vlr_ind_p_sobre_ebit'),
  listed('P/Ativ Circ.Liq', ACAO_FIELDS, 'vlr_ind_p_sobre_ativ_circ_liq'),
  listed('EV/EBIT', ACAO_FIELDS, 'vlr_ind_ev_sobre_ebit'),
  listed('EV/EBITDA', ACAO_FIELDS, 'vlr_ind_ev_sobre_ebitda'),
  listed('Mrg Bruta', ACAO_FIELDS, 'vlr_ind_margem_bruta', { comment: 'gross margin (2026 pages)' }),
  listed('Mrg Ebit', ACAO_FIELDS, 'vlr_ind_margem_ebit'),
  listed('Mrg. Líq.', ACAO_FIELDS, 'vlr_ind_margem_liq'),
  listed('Liq. Corr.', ACAO_FIELDS, 'vlr_liquidez_corr'),
  listed('ROIC', ACAO_FIELDS, 'vlr_ind_roic'),
  listed('ROE', ACAO_FIELDS, 'vlr_ind_roe'),
  {
    header: 'Liq.2meses',
    column: 'vlr_liq_media_2m',
    type: 'decimal',
    comment: `${R$('average daily liquidity, 2 months')}; 0 = no trades`,
    zeroIsValue: true,
  },
  listed('Patrim. Líq', ACAO_FIELDS, 'vlr_patrim_liq'),
  listed('Dív.Brut/ Patrim.', ACAO_FIELDS, 'vlr_ind_divida_bruta_sobre_patrim'),
  listed('Dív.Líq/ Patrim.', ACAO_FIELDS, 'vlr_ind_divida_liq_sobre_patrim'),
  listed('Cresc. Rec.5a', ACAO_FIELDS, 'pct_cresc_rec_liq_ult_5a'),
] as const satisfies readonly ListingField[];

/** `fii_resultado.php` (real-estate funds); `0,00` as on `resultado.php`. */
export const FIIS_LISTING_COLUMNS = [
  listed('Segmento', FII_FIELDS, 'segmento'),
  listed('Cotação', FII_FIELDS, 'vlr_cot', REQUIRED),
  listed('FFO Yield', FII_FIELDS, 'vlr_ffo_yield'),
  listed('Dividend Yield', FII_FIELDS, 'vlr_div_yield', {
    comment: 'dividend yield; 0 = no distributions',
    zeroIsValue: true,
  }),
  listed('P/VP', FII_FIELDS, 'vlr_p_sobre_vp'),
  listed('Valor de Mercado', FII_FIELDS, 'vlr_mercado'),
  {
    header: 'Liquidez',
    column: 'vlr_liquidez_media',
    type: 'decimal',
    comment: `${R$('average daily liquidity')}; 0 = no trades`,
    zeroIsValue: true,
  },
  listed('Qtd de imóveis', FII_FIELDS, 'qtd_imoveis', { zeroIsValue: true }),
  listed('Preço do m2', FII_FIELDS, 'vlr_do_m2'),
  listed('Aluguel por m2', FII_FIELDS, 'vlr_aluguel_por_m2'),
  listed('Cap Rate', FII_FIELDS, 'vlr_cap_rate'),
  listed('Vacância Média', FII_FIELDS, 'vlr_vacancia_media', {
    comment: 'average vacancy; 0 also for a fund without properties (qtd_imoveis = 0)',
    zeroIsValue: true,
  }),
  { header: 'Endereço', column: 'endereco', type: 'text', comment: 'property addresses, comma-joined' },
] as const satisfies readonly ListingField[];

/** The first cell of a listing row: the ticker (its text) and the asset's name (its title). */
const LISTING_TICKER: ColumnDecl = { column: 'codigo_ticker', type: 'text', comment: 'ticker' };

/** A listing page: its columns, and the columns of each row's ticker cell. */
export interface ListingPageDecl<C extends readonly ListingField[] = readonly ListingField[]> {
  readonly columns: C;
  readonly ticker: ColumnDecl;
  readonly name: ColumnDecl;
}

export const LISTING_PAGES: {
  readonly acoes: ListingPageDecl<typeof ACOES_LISTING_COLUMNS>;
  readonly fiis: ListingPageDecl<typeof FIIS_LISTING_COLUMNS>;
} = {
  acoes: {
    columns: ACOES_LISTING_COLUMNS,
    ticker: LISTING_TICKER,
    name: bare(DETAIL_PAGES.acao.name, 'company name (title of the ticker cell)'),
  },
  fiis: {
    columns: FIIS_LISTING_COLUMNS,
    ticker: LISTING_TICKER,
    name: bare(DETAIL_PAGES.fii.name, 'fund name (title of the ticker cell)'),
  },
};
