/**
 * How a page's text becomes a value (shared/design/columns.md, "Typing rules"). The scraper types
 * with it; the lake stores each as one type: text → STRING, decimal and percent → DOUBLE (a
 * percent as a fraction), integer → BIGINT, date → DATE, year → INT.
 */
export type CellType = 'text' | 'decimal' | 'percent' | 'integer' | 'date' | 'year';

/** One column: its name in every table that has it, how its text is typed, what it means. */
export interface ColumnDecl {
  readonly column: string;
  readonly type: CellType;
  /**
   * Meaning and unit ("…, R$", "ratio", "number of shares"). Where the lake makes it a column
   * comment, a percent gains "fraction, 0.123 = 12.3%" and a date "DATE".
   */
  readonly comment: string;
}

/** A detail-page field: a label, paired with the data cell right after it. */
export interface DetailField extends ColumnDecl {
  /** Matched after `labelKey` normalisation: accents, case and spacing around `/` and `.` do not matter. */
  readonly label: string;
  /** For labels printed twice (last 12 months, then last 3 months): the 3-month column. */
  readonly column3m?: string;
  readonly comment3m?: string;
  /** Must be on every page of its kind; without it the page is a LayoutChangedError. */
  readonly required?: boolean;
  /** Its presence marks the bank layout (financial statements of a bank). */
  readonly bank?: boolean;
}

/** A listing-page column, matched by its header text (never by its index). */
export interface ListingField extends ColumnDecl {
  readonly header: string;
  /** Without it the page is a LayoutChangedError. */
  readonly required?: boolean;
  /**
   * The listing pages have no empty marker: where Fundamentus has no value (a bank's P/EBIT, a
   * paper without trades, a fund without properties) they print `0,00` and the detail page prints
   * `-`. So a listing 0 is read as NULL, unless zero is a real value of the column (true here:
   * no dividends paid, no trades, no properties, no vacancy).
   */
  readonly zeroIsValue?: boolean;
}

/** How a listing column whose 0 means "no data" says so in its comment (the lake's column comment). */
export const LISTING_ZERO_IS_NULL = 'NULL where the listing prints 0,00 (no data)';

/** A detail field whose column name and cell type are known literally (typed values derive from them). */
export interface Field<C extends string = string, T extends CellType = CellType> extends DetailField {
  readonly column: C;
  readonly type: T;
}

/** A field printed twice (12 months, then 3 months). */
export interface TwiceField<C extends string = string, C3 extends string = string> extends Field<C, 'decimal'> {
  readonly column3m: C3;
}

/** A listing column whose column name and cell type are known literally. */
export interface ListingColumnOf<C extends string = string, T extends CellType = CellType> extends ListingField {
  readonly column: C;
  readonly type: T;
}

export interface Flags {
  readonly required?: boolean;
  readonly bank?: boolean;
}

export const REQUIRED: Flags = { required: true };
export const BANK: Flags = { bank: true };

/** A money column's comment. */
export const R$ = (what: string): string => `${what}, R$`;

const field =
  <T extends CellType>(type: T) =>
  <C extends string>(label: string, column: C, comment: string, flags?: Flags): Field<C, T> => ({
    label,
    column,
    type,
    comment,
    ...flags,
  });

export const text = field('text');
export const decimal = field('decimal');
export const percent = field('percent');
export const integer = field('integer');
export const date = field('date');

/**
 * A label printed twice: first the last 12 months, then the last 3 months. `what` describes the
 * column for a period ("12 months", "3 months").
 */
export function twice<C extends string, C3 extends string>(
  label: string,
  column: C,
  column3m: C3,
  what: (period: string) => string,
  flags?: Flags,
): TwiceField<C, C3> {
  return {
    label,
    column,
    column3m,
    type: 'decimal',
    comment: what('12 months'),
    comment3m: what('3 months'),
    ...flags,
  };
}

/** The declaration of `column` among `fields` (a reference, so the column is declared once). */
export function pick<F extends readonly ColumnDecl[], C extends F[number]['column']>(
  fields: F,
  column: C,
): Extract<F[number], { column: C }> {
  const found = fields.find((f) => f.column === column);
  if (!found) throw new Error(`no column ${column} in this declaration`);
  return found as Extract<F[number], { column: C }>;
}

/** The same field under another label (another page kind prints it so). */
export function relabel<C extends string, T extends CellType>(label: string, field: Field<C, T>): Field<C, T> {
  return { ...field, label };
}

/** Name, type and comment only (what a table needs), optionally with a comment for that table. */
export function bare<C extends string, T extends CellType>(
  decl: ColumnDecl & { column: C; type: T },
  comment = decl.comment,
): ColumnDecl & { readonly column: C; readonly type: T } {
  return { column: decl.column, type: decl.type, comment };
}

/**
 * A listing column that is a detail-page column too: the same declaration, under the listing's
 * header. A numeric one reads 0 as NULL (see `zeroIsValue`), and its comment says so.
 */
export function listed<F extends readonly DetailField[], C extends F[number]['column']>(
  header: string,
  fields: F,
  column: C,
  options: { comment?: string; required?: boolean; zeroIsValue?: boolean } = {},
): ListingColumnOf<C, Extract<F[number], { column: C }>['type']> {
  const { comment, ...flags } = options;
  const decl = bare(pick(fields, column), comment);
  const zeroIsNull = decl.type !== 'text' && !flags.zeroIsValue;
  return { header, ...decl, ...(zeroIsNull && { comment: `${decl.comment}; ${LISTING_ZERO_IS_NULL}` }), ...flags };
}

/** Every column a field fills, in table order: the 3-month twin right after its 12-month column. */
export function columnsOf(fields: readonly DetailField[]): ColumnDecl[] {
  return fields.flatMap((f) => [
    bare(f),
    ...(f.column3m ? [{ column: f.column3m, type: f.type, comment: f.comment3m ?? f.comment }] : []),
  ]);
}
