import { DETAIL_PAGES, LISTING_PAGES } from '@b3lake/columns';
import { columnTexts, typeColumn, type DetailPage, type Listing } from '@b3lake/scraper';
import { SPEC_COLUMNS, table, type Row } from '@b3lake/lake';

/**
 * Row builders. Which columns exist, and how page text is typed, come from the column
 * declarations (@b3lake/columns) and the lake's registry; nothing here names a column.
 */

const SOT_TABLE = { acao: 'sot_acoes', fii: 'sot_fiis' } as const;
const PAGE_COLUMNS = {
  acao: new Set(DETAIL_PAGES.acao.columns.map((c) => c.column)),
  fii: new Set(DETAIL_PAGES.fii.columns.map((c) => c.column)),
};

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

/**
 * SoT: each page column of the SoR row typed by the scraper's `typeColumn` (the function that
 * typed the parser's `values`, so SoT equals them), from the stored text alone; the SoT table's
 * other columns (layout, extraction time) carried over as they are.
 */
export function sotRow(kind: 'acao' | 'fii', sor: Row): Row {
  const pageColumns = PAGE_COLUMNS[kind];
  const row: Row = {};
  for (const { name } of table(SOT_TABLE[kind]).columns) {
    const value = sor[name] ?? null;
    row[name] = pageColumns.has(name) && value !== null ? typeColumn(name, String(value)) : value;
  }
  return row;
}

/** Spec: one quote row per asset of either kind, as the registry's Spec columns say. */
export function specRow(kind: 'acao' | 'fii', sot: Row): Row {
  const row: Row = {};
  for (const c of SPEC_COLUMNS) row[c.name] = c.value ? c.value[kind] : (sot[c.from?.[kind] ?? c.name] ?? null);
  return row;
}

/** Summary rows of a listing page (one per unique ticker). */
export function summaryRows(listing: Listing, fetchedAt: Date): Row[] {
  const { ticker, name } = LISTING_PAGES[listing.kind];
  return listing.rows.map((r) => ({
    [ticker.column]: r.ticker,
    [name.column]: r.name,
    ...(r.values as Row),
    ts_extracao: fetchedAt,
  }));
}
