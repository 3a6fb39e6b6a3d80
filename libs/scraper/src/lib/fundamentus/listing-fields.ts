import type { CellType } from '../parse/cells';

/** A listing column, matched by its header text (never by its index). */
export interface ListingColumn {
  readonly header: string;
  readonly column: string;
  readonly type: CellType;
}

/** `resultado.php` (stocks). 2023 pages have 21 columns, 2026 pages 22. */
export const ACOES_LISTING_COLUMNS = [
  { header: 'Cotação', column: 'vlr_cot', type: 'decimal' },
  { header: 'P/L', column: 'vlr_ind_p_sobre_l', type: 'decimal' },
  { header: 'P/VP', column: 'vlr_ind_p_sobre_vp', type: 'decimal' },
  { header: 'PSR', column: 'vlr_ind_psr', type: 'decimal' },
  { header: 'Div.Yield', column: 'vlr_ind_div_yield', type: 'percent' },
  { header: 'P/Ativo', column: 'vlr_ind_p_sobre_ativ', type: 'decimal' },
  { header: 'P/Cap.Giro', column: 'vlr_ind_p_sobre_cap_giro', type: 'decimal' },
  { header: 'P/EBIT', column: 'vlr_ind_p_sobre_ebit', type: 'decimal' },
  { header: 'P/Ativ Circ.Liq', column: 'vlr_ind_p_sobre_ativ_circ_liq', type: 'decimal' },
  { header: 'EV/EBIT', column: 'vlr_ind_ev_sobre_ebit', type: 'decimal' },
  { header: 'EV/EBITDA', column: 'vlr_ind_ev_sobre_ebitda', type: 'decimal' },
  { header: 'Mrg Bruta', column: 'vlr_ind_margem_bruta', type: 'percent' },
  { header: 'Mrg Ebit', column: 'vlr_ind_margem_ebit', type: 'percent' },
  { header: 'Mrg. Líq.', column: 'vlr_ind_margem_liq', type: 'percent' },
  { header: 'Liq. Corr.', column: 'vlr_liquidez_corr', type: 'decimal' },
  { header: 'ROIC', column: 'vlr_ind_roic', type: 'percent' },
  { header: 'ROE', column: 'vlr_ind_roe', type: 'percent' },
  { header: 'Liq.2meses', column: 'vlr_liq_media_2m', type: 'decimal' },
  { header: 'Patrim. Líq', column: 'vlr_patrim_liq', type: 'decimal' },
  { header: 'Dív.Brut/ Patrim.', column: 'vlr_ind_divida_bruta_sobre_patrim', type: 'decimal' },
  { header: 'Dív.Líq/ Patrim.', column: 'vlr_ind_divida_liq_sobre_patrim', type: 'decimal' },
  { header: 'Cresc. Rec.5a', column: 'pct_cresc_rec_liq_ult_5a', type: 'percent' },
] as const satisfies readonly ListingColumn[];

/** `fii_resultado.php` (real-estate funds). */
export const FIIS_LISTING_COLUMNS = [
  { header: 'Segmento', column: 'segmento', type: 'text' },
  { header: 'Cotação', column: 'vlr_cot', type: 'decimal' },
  { header: 'FFO Yield', column: 'vlr_ffo_yield', type: 'percent' },
  { header: 'Dividend Yield', column: 'vlr_div_yield', type: 'percent' },
  { header: 'P/VP', column: 'vlr_p_sobre_vp', type: 'decimal' },
  { header: 'Valor de Mercado', column: 'vlr_mercado', type: 'decimal' },
  { header: 'Liquidez', column: 'vlr_liquidez_media', type: 'decimal' },
  { header: 'Qtd de imóveis', column: 'qtd_imoveis', type: 'integer' },
  { header: 'Preço do m2', column: 'vlr_do_m2', type: 'decimal' },
  { header: 'Aluguel por m2', column: 'vlr_aluguel_por_m2', type: 'decimal' },
  { header: 'Cap Rate', column: 'vlr_cap_rate', type: 'percent' },
  { header: 'Vacância Média', column: 'vlr_vacancia_media', type: 'percent' },
  { header: 'Endereço', column: 'endereco', type: 'text' },
] as const satisfies readonly ListingColumn[];

type ValueOf<T extends CellType> = T extends 'text' | 'date' ? string | null : number | null;
type ColumnsOf<C extends readonly ListingColumn[]> = { [S in C[number] as S['column']]: ValueOf<S['type']> };

/** Typed listing values of a stock; columns absent from a page's version are null. */
export type AcoesListingValues = ColumnsOf<typeof ACOES_LISTING_COLUMNS>;
/** Typed listing values of a FII. */
export type FiisListingValues = ColumnsOf<typeof FIIS_LISTING_COLUMNS>;
