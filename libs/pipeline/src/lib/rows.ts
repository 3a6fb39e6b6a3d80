import {
  ACAO_FIELDS,
  FII_FIELDS,
  YEAR_COLUMNS,
  YEAR_OF_A0_COLUMN,
  columnTexts,
  typeCell,
  type CellType,
  type DetailPage,
  type Listing,
} from '@b3lake/scraper';
import type { Row } from '@b3lake/lake';

/** Column → type of the typed layer, from the scraper's label mapping (the one source of those types). */
function typesOf(fields: typeof ACAO_FIELDS | typeof FII_FIELDS): Map<string, CellType> {
  const types = new Map<string, CellType>();
  for (const f of fields as readonly { column: string; column3m?: string; type: CellType }[]) {
    types.set(f.column, f.type);
    if (f.column3m) types.set(f.column3m, f.type);
  }
  for (const c of YEAR_COLUMNS) types.set(c, 'percent');
  return types;
}

const TYPES = { acao: typesOf(ACAO_FIELDS), fii: typesOf(FII_FIELDS) };

/** SoR: the page's text under column names, plus every label/value as JSON. */
export function sorRow(page: DetailPage, fetchedAt: Date): Row {
  return {
    ...columnTexts(page),
    nome_layout: page.layout,
    json_pagina: JSON.stringify(page.raw),
    json_labels_desconhecidos: JSON.stringify(page.unknownLabels),
    ts_extracao: fetchedAt,
  };
}

/** SoT: SoR text typed by the columns.md rules (the same rules as the scraper's `values`). */
export function sotRow(kind: 'acao' | 'fii', sor: Row): Row {
  const types = TYPES[kind];
  const row: Row = {};
  for (const [column, type] of types) {
    const text = sor[column];
    row[column] = text === null || text === undefined ? null : typeCell(type, String(text), column);
  }
  const year = sor[YEAR_OF_A0_COLUMN];
  row[YEAR_OF_A0_COLUMN] = year === null || year === undefined ? null : Number(year);
  if (kind === 'acao') row['nome_layout'] = sor['nome_layout'] ?? null;
  row['ts_extracao'] = sor['ts_extracao'] ?? null;
  return row;
}

const SPEC_COMMON = [
  'vlr_cot',
  'dt_ult_cot',
  'vlr_min_52_sem',
  'vlr_max_52_sem',
  'pct_var_dia',
  'pct_var_mes',
  'pct_var_30d',
  'pct_var_12m',
  ...YEAR_COLUMNS,
  YEAR_OF_A0_COLUMN,
  'ts_extracao',
];

/** Spec: one quote row per asset of either kind. */
export function specRow(kind: 'acao' | 'fii', sot: Row): Row {
  const row: Row =
    kind === 'acao'
      ? {
          codigo_ticker_ativo: sot['nome_papel'],
          tipo_ativo: 'Ação',
          nome_ativo: sot['nome_empresa'],
          nome_setor_segmento: sot['nome_setor'],
        }
      : {
          codigo_ticker_ativo: sot['fii'],
          tipo_ativo: 'Fundo Imobiliário',
          nome_ativo: sot['nome_fii'],
          nome_setor_segmento: sot['segmento'],
        };
  for (const column of SPEC_COMMON) row[column] = sot[column] ?? null;
  return row;
}

/** Summary rows of a listing page (one per unique ticker). */
export function summaryRows(listing: Listing, fetchedAt: Date): Row[] {
  return listing.rows.map((r) =>
    listing.kind === 'acoes'
      ? { codigo_ticker: r.ticker, nome_empresa: r.name, ...(r.values as Row), ts_extracao: fetchedAt }
      : { codigo_ticker: r.ticker, nome_fii: r.name, ...(r.values as Row), ts_extracao: fetchedAt },
  );
}
