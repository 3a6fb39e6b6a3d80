/**
 * Label → column mapping of the detail page (`detalhes.php`), following
 * shared/design/columns.md. The label is matched after `labelKey` normalisation, so accents,
 * case and spacing around `/` and `.` do not matter.
 */
export type FieldType = 'text' | 'decimal' | 'percent' | 'integer' | 'date';

export interface FieldSpec {
  readonly label: string;
  readonly column: string;
  readonly type: FieldType;
  /** For labels printed twice (last 12 months, then last 3 months): the 3-month column. */
  readonly column3m?: string;
}

const OSCILLATIONS = [
  { label: 'Dia', column: 'pct_var_dia', type: 'percent' },
  { label: 'Mês', column: 'pct_var_mes', type: 'percent' },
  { label: '30 dias', column: 'pct_var_30d', type: 'percent' },
  { label: '12 meses', column: 'pct_var_12m', type: 'percent' },
] as const satisfies readonly FieldSpec[];

/** Year oscillation columns: a0 is the first (most recent) year printed on the page. */
export const YEAR_COLUMNS = [
  'pct_var_ano_a0',
  'pct_var_ano_a1',
  'pct_var_ano_a2',
  'pct_var_ano_a3',
  'pct_var_ano_a4',
  'pct_var_ano_a5',
] as const;
export const YEAR_OF_A0_COLUMN = 'num_ano_a0';

const QUOTE = [
  { label: 'Cotação', column: 'vlr_cot', type: 'decimal' },
  { label: 'Data últ cot', column: 'dt_ult_cot', type: 'date' },
  { label: 'Min 52 sem', column: 'vlr_min_52_sem', type: 'decimal' },
  { label: 'Max 52 sem', column: 'vlr_max_52_sem', type: 'decimal' },
  { label: 'Vol $ méd (2m)', column: 'vol_med_neg_2m', type: 'integer' },
  { label: 'Valor de mercado', column: 'vlr_mercado', type: 'decimal' },
] as const satisfies readonly FieldSpec[];

export const ACAO_FIELDS = [
  { label: 'Papel', column: 'nome_papel', type: 'text' },
  { label: 'Tipo', column: 'tipo_papel', type: 'text' },
  { label: 'Empresa', column: 'nome_empresa', type: 'text' },
  { label: 'Setor', column: 'nome_setor', type: 'text' },
  { label: 'Subsetor', column: 'nome_subsetor', type: 'text' },
  ...QUOTE,
  { label: 'Valor da firma', column: 'vlr_firma', type: 'decimal' },
  { label: 'Últ balanço processado', column: 'dt_ult_balanco_proc', type: 'date' },
  { label: 'Nro. Ações', column: 'num_acoes', type: 'integer' },
  ...OSCILLATIONS,
  { label: 'P/L', column: 'vlr_ind_p_sobre_l', type: 'decimal' },
  { label: 'P/VP', column: 'vlr_ind_p_sobre_vp', type: 'decimal' },
  { label: 'P/EBIT', column: 'vlr_ind_p_sobre_ebit', type: 'decimal' },
  { label: 'PSR', column: 'vlr_ind_psr', type: 'decimal' },
  { label: 'P/Ativos', column: 'vlr_ind_p_sobre_ativ', type: 'decimal' },
  { label: 'P/Cap. Giro', column: 'vlr_ind_p_sobre_cap_giro', type: 'decimal' },
  { label: 'P/Ativ Circ Liq', column: 'vlr_ind_p_sobre_ativ_circ_liq', type: 'decimal' },
  { label: 'Div. Yield', column: 'vlr_ind_div_yield', type: 'percent' },
  { label: 'EV / EBITDA', column: 'vlr_ind_ev_sobre_ebitda', type: 'decimal' },
  { label: 'EV / EBIT', column: 'vlr_ind_ev_sobre_ebit', type: 'decimal' },
  { label: 'Cres. Rec (5a)', column: 'pct_cresc_rec_liq_ult_5a', type: 'percent' },
  { label: 'LPA', column: 'vlr_ind_lpa', type: 'decimal' },
  { label: 'VPA', column: 'vlr_ind_vpa', type: 'decimal' },
  { label: 'Marg. Bruta', column: 'vlr_ind_margem_bruta', type: 'percent' },
  { label: 'Marg. EBIT', column: 'vlr_ind_margem_ebit', type: 'percent' },
  { label: 'Marg. Líquida', column: 'vlr_ind_margem_liq', type: 'percent' },
  { label: 'EBIT / Ativo', column: 'vlr_ind_ebit_sobre_ativo', type: 'percent' },
  { label: 'ROIC', column: 'vlr_ind_roic', type: 'percent' },
  { label: 'ROE', column: 'vlr_ind_roe', type: 'percent' },
  { label: 'Liquidez Corr', column: 'vlr_liquidez_corr', type: 'decimal' },
  { label: 'Div Br/ Patrim', column: 'vlr_ind_divida_bruta_sobre_patrim', type: 'decimal' },
  { label: 'Dív Líq / Patrim', column: 'vlr_ind_divida_liq_sobre_patrim', type: 'decimal' },
  { label: 'Giro Ativos', column: 'vlr_ind_giro_ativos', type: 'decimal' },
  { label: 'Ativo', column: 'vlr_ativo', type: 'decimal' },
  { label: 'Disponibilidades', column: 'vlr_disponibilidades', type: 'decimal' },
  { label: 'Ativo Circulante', column: 'vlr_ativ_circulante', type: 'decimal' },
  { label: 'Dív. Bruta', column: 'vlr_divida_bruta', type: 'decimal' },
  { label: 'Dív. Líquida', column: 'vlr_divida_liq', type: 'decimal' },
  { label: 'Patrim. Líq', column: 'vlr_patrim_liq', type: 'decimal' },
  { label: 'Depósitos', column: 'vlr_depositos', type: 'decimal' },
  { label: 'Cart. de Crédito', column: 'vlr_carteira_credito', type: 'decimal' },
  { label: 'Receita Líquida', column: 'vlr_receita_liq_ult_12m', column3m: 'vlr_receita_liq_ult_3m', type: 'decimal' },
  { label: 'EBIT', column: 'vlr_ebit_ult_12m', column3m: 'vlr_ebit_ult_3m', type: 'decimal' },
  { label: 'Lucro Líquido', column: 'vlr_lucro_liq_ult_12m', column3m: 'vlr_lucro_liq_ult_3m', type: 'decimal' },
  {
    label: 'Result Int Financ',
    column: 'vlr_result_int_financ_ult_12m',
    column3m: 'vlr_result_int_financ_ult_3m',
    type: 'decimal',
  },
  { label: 'Rec Serviços', column: 'vlr_rec_servicos_ult_12m', column3m: 'vlr_rec_servicos_ult_3m', type: 'decimal' },
] as const satisfies readonly FieldSpec[];

export const FII_FIELDS = [
  { label: 'FII', column: 'fii', type: 'text' },
  { label: 'Nome', column: 'nome_fii', type: 'text' },
  { label: 'Mandato', column: 'tipo_mandato', type: 'text' },
  { label: 'Segmento', column: 'segmento', type: 'text' },
  { label: 'Gestão', column: 'tipo_gestao', type: 'text' },
  ...QUOTE,
  { label: 'Nro. Cotas', column: 'num_cotas', type: 'integer' },
  { label: 'Relatório', column: 'dt_ult_relat_ger', type: 'date' },
  { label: 'Últ Info Trimestral', column: 'dt_ult_informe_trim', type: 'date' },
  ...OSCILLATIONS,
  { label: 'FFO Yield', column: 'vlr_ffo_yield', type: 'percent' },
  { label: 'FFO/Cota', column: 'vlr_ffo_sobre_cota', type: 'decimal' },
  { label: 'Div. Yield', column: 'vlr_div_yield', type: 'percent' },
  { label: 'Dividendo/cota', column: 'vlr_dividendo_sobre_cota', type: 'decimal' },
  { label: 'P/VP', column: 'vlr_p_sobre_vp', type: 'decimal' },
  { label: 'VP/Cota', column: 'vlr_vp_sobre_cota', type: 'decimal' },
  { label: 'Receita', column: 'vlr_rec_bruta_ult_12m', column3m: 'vlr_rec_bruta_ult_3m', type: 'decimal' },
  { label: 'Venda de ativos', column: 'vlr_vend_ativ_ult_12m', column3m: 'vlr_vend_ativ_ult_3m', type: 'decimal' },
  { label: 'FFO', column: 'vlr_ffo_ult_12m', column3m: 'vlr_ffo_ult_3m', type: 'decimal' },
  {
    label: 'Rend. Distribuído',
    column: 'vlr_rendim_distr_ult_12m',
    column3m: 'vlr_rendim_distr_ult_3m',
    type: 'decimal',
  },
  { label: 'Ativos', column: 'vlr_ativos', type: 'decimal' },
  { label: 'Patrim Líquido', column: 'vlr_patrim_liq', type: 'decimal' },
  { label: 'Qtd imóveis', column: 'qtd_imoveis', type: 'integer' },
  { label: 'Qtd Unidades', column: 'qtd_unidades', type: 'integer' },
  { label: 'Imóveis/PL do FII', column: 'vlr_imoveis_sobre_pl', type: 'percent' },
  { label: 'Área (m2)', column: 'total_area_m2', type: 'decimal' },
  { label: 'Aluguel/m2', column: 'vlr_aluguel_por_m2', type: 'decimal' },
  { label: 'Preço do m2', column: 'vlr_do_m2', type: 'decimal' },
  { label: 'Cap Rate', column: 'vlr_cap_rate', type: 'percent' },
  { label: 'Vacância Média', column: 'vlr_vacancia_media', type: 'percent' },
] as const satisfies readonly FieldSpec[];

/** Labels that must be on every page of a kind; without them the page is a LayoutChangedError. */
export const REQUIRED_LABELS = {
  acao: ['Papel', 'Cotação', 'Data últ cot', 'Valor de mercado', 'Dia'],
  fii: ['FII', 'Cotação', 'Data últ cot', 'Valor de mercado', 'Dia'],
} as const;

/** Labels whose presence marks the bank layout (financial statements of a bank). */
export const BANK_LABELS = ['Depósitos', 'Cart. de Crédito', 'Result Int Financ', 'Rec Serviços'] as const;

type ValueOf<T extends FieldType> = T extends 'decimal' | 'percent' | 'integer' ? number | null : string | null;
type ColumnsOf<F extends readonly FieldSpec[]> = {
  [S in F[number] as S['column']]: ValueOf<S['type']>;
} & {
  [S in Extract<F[number], { column3m: string }> as S['column3m']]: number | null;
} & { [C in (typeof YEAR_COLUMNS)[number]]: number | null } & { [YEAR_OF_A0_COLUMN]: number | null };

/** Typed values of a stock's detail page (columns.md, "Ações"). */
export type AcaoValues = ColumnsOf<typeof ACAO_FIELDS>;
/** Typed values of a FII's detail page (columns.md, "FIIs"). */
export type FiiValues = ColumnsOf<typeof FII_FIELDS>;
