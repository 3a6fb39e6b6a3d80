import { ReplacementCharsByField } from '../parse/replacement-chars';
import type { PortfolioRow } from './types';

/** Warnings for the portfolio's text fields (name, sector) that arrived with U+FFFD: one line per field. */
export function damagedTextWarnings(rows: readonly PortfolioRow[]): string[] {
  const damaged = new ReplacementCharsByField();
  for (const row of rows) {
    damaged.check('name', row.name, row.ticker);
    if (row.sector !== null) damaged.check('sector', row.sector, row.ticker);
  }
  return damaged.warnings();
}
