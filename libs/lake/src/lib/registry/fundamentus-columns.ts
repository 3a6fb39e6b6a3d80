import { DETAIL_PAGES, LISTING_PAGES, type CellType, type ColumnDecl } from '@b3lake/columns';
import { big, date, dbl, int, pct, str, type Column } from './columns';

/**
 * How the lake stores each cell type of a Fundamentus column (declared once, with its unit, in
 * @b3lake/columns): the builder fixes the parquet/Glue type and completes the comment's unit.
 */
const STORED: Record<CellType, (name: string, comment: string) => Column> = {
  text: str,
  decimal: dbl,
  percent: pct,
  integer: big,
  date,
  year: int,
};

/** A declared column as a lake column. */
export const storedColumn = (decl: ColumnDecl): Column => STORED[decl.type](decl.column, decl.comment);

/** Typed columns of a stock's detail page (columns.md "Ações"), company and bank layouts. */
export const ACAO_COLUMNS: Column[] = DETAIL_PAGES.acao.columns.map(storedColumn);

/** Typed columns of a FII's detail page (columns.md "FIIs"). */
export const FII_COLUMNS: Column[] = DETAIL_PAGES.fii.columns.map(storedColumn);

const summary = ({ ticker, name, columns }: (typeof LISTING_PAGES)[keyof typeof LISTING_PAGES]): Column[] =>
  [ticker, name, ...columns].map(storedColumn);

/** resultado.php columns (one row per listed stock). */
export const ACOES_SUMMARY_COLUMNS: Column[] = summary(LISTING_PAGES.acoes);

/** fii_resultado.php columns (one row per listed FII). */
export const FIIS_SUMMARY_COLUMNS: Column[] = summary(LISTING_PAGES.fiis);
