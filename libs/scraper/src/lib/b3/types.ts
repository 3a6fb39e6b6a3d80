import type { NumberLocale } from '../parse/numbers';

/** One asset of a B3 index portfolio. */
export interface PortfolioRow {
  ticker: string;
  /** B3's short asset name (e.g. "PETROBRAS"). */
  name: string;
  /** B3's specification with whitespace collapsed: "ON NM", "PN ED N1", "UNT N2". */
  type: string;
  /** Weight in the index as a fraction (2,728 % → 0.02728). */
  participation: number;
  /** Theoretical quantity of shares in the portfolio. */
  theoreticalQuantity: number;
  /** Economic sector, when the portfolio was requested by sector (segment 2); text may be damaged, never a key. */
  sector: string | null;
  /** Theoretical portfolio only: B3's rank by company name. */
  rank?: number;
}

export interface Portfolio {
  source: 'GetPortfolioDay' | 'GetTheoricalPortfolio' | 'csv';
  /** Index code when known (IBOV, IBXX, SMLL, IDIV, IFIX…). */
  index: string | null;
  /** Day the portfolio applies to (ISO), or null for the quadrimestral theoretical portfolio. */
  date: string | null;
  /** Number format the source used. */
  locale: NumberLocale;
  rows: PortfolioRow[];
  totalTheoreticalQuantity: number | null;
  /** Index reductor; null when the source's value is malformed (see `warnings`). */
  reductor: number | null;
  /** Paging of JSON responses: a portfolio is complete only when totalPages is 1. */
  page?: { pageNumber: number; pageSize: number; totalRecords: number; totalPages: number };
  /** Non-fatal oddities (e.g. a malformed reductor footer), for the caller to log. */
  warnings: string[];
}
