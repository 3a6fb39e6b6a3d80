/**
 * @b3lake/columns — every column of the lake's Fundamentus tables, declared once (label on the
 * page, column name, cell type, unit). Data only; depends on nothing.
 */
export type { CellType, ColumnDecl, DetailField, Field, ListingColumnOf, ListingField, TwiceField } from './lib/column';
export type { DetailPageDecl, ListingPageDecl } from './lib/fundamentus';
export {
  ACAO_COLUMNS,
  ACAO_FIELDS,
  ACOES_LISTING_COLUMNS,
  DETAIL_PAGES,
  FII_COLUMNS,
  FII_FIELDS,
  FIIS_LISTING_COLUMNS,
  LISTING_PAGES,
  OSCILLATION_COLUMNS,
  PRICE,
  YEAR_COLUMNS,
  YEAR_OF_A0_COLUMN,
} from './lib/fundamentus';
