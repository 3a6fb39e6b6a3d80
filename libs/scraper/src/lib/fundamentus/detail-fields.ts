/**
 * Label → column mapping of the detail page (`detalhes.php`). The columns are declared once, in
 * @b3lake/columns (label, column, cell type, unit; shared with the lake's schemas); this module
 * derives the scraper's views of them. A label is matched after `labelKey` normalisation, so
 * accents, case and spacing around `/` and `.` do not matter.
 */
import {
  ACAO_FIELDS,
  DETAIL_PAGES,
  FII_FIELDS,
  LISTING_PAGES,
  YEAR_COLUMNS,
  YEAR_OF_A0_COLUMN,
  type CellType,
  type ColumnDecl,
  type DetailField,
} from '@b3lake/columns';
import { typeCell } from '../parse/cells';

export { ACAO_FIELDS, FII_FIELDS, YEAR_COLUMNS, YEAR_OF_A0_COLUMN };

export type FieldType = CellType;
export type FieldSpec = DetailField;

const labelsOf = (fields: readonly DetailField[], flag: 'required' | 'bank'): string[] =>
  fields.filter((f) => f[flag]).map((f) => f.label);

/** Labels that must be on every page of a kind; without them the page is a LayoutChangedError. */
export const REQUIRED_LABELS: { readonly acao: readonly string[]; readonly fii: readonly string[] } = {
  acao: labelsOf(ACAO_FIELDS, 'required'),
  fii: labelsOf(FII_FIELDS, 'required'),
};

/** Labels whose presence marks the bank layout (financial statements of a bank). */
export const BANK_LABELS: readonly string[] = labelsOf(ACAO_FIELDS, 'bank');

const CELL_TYPES = new Map<string, CellType>();
for (const decl of [
  ...DETAIL_PAGES.acao.columns,
  ...DETAIL_PAGES.fii.columns,
  ...Object.values(LISTING_PAGES).flatMap((p): readonly ColumnDecl[] => [p.ticker, p.name, ...p.columns]),
]) {
  const known = CELL_TYPES.get(decl.column);
  if (known && known !== decl.type) throw new Error(`column ${decl.column} is declared ${known} and ${decl.type}`);
  CELL_TYPES.set(decl.column, decl.type);
}

/** The cell type of a Fundamentus column (detail or listing page), or undefined for another name. */
export function columnType(column: string): CellType | undefined {
  return CELL_TYPES.get(column);
}

/**
 * Types a Fundamentus column's page text by the columns.md rules: the one typing function, used
 * by the parsers and by anything that types stored page text later (SoR → SoT). `null` stays
 * null; `field` names the value in a ValueFormatError (default: the column).
 */
export function typeColumn(column: string, text: string | null, field = column): number | string | null {
  if (text === null) return null;
  const type = CELL_TYPES.get(column);
  if (!type) throw new RangeError(`${column} is not a Fundamentus column`);
  return typeCell(type, text, field);
}

type ValueOf<T extends CellType> = T extends 'text' | 'date' ? string | null : number | null;
type ColumnsOf<F extends readonly DetailField[]> = {
  [S in F[number] as S['column']]: ValueOf<S['type']>;
} & {
  [S in Extract<F[number], { column3m: string }> as S['column3m']]: number | null;
} & { [C in (typeof YEAR_COLUMNS)[number]]: number | null } & { [YEAR_OF_A0_COLUMN]: number | null };

/** Typed values of a stock's detail page (columns.md, "Ações"). */
export type AcaoValues = ColumnsOf<typeof ACAO_FIELDS>;
/** Typed values of a FII's detail page (columns.md, "FIIs"). */
export type FiiValues = ColumnsOf<typeof FII_FIELDS>;
