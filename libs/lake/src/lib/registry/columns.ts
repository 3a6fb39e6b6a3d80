/** Column types of the lake; each maps to one parquet physical/logical type and one Glue/DuckDB type. */
export type ColumnType = 'STRING' | 'DOUBLE' | 'BIGINT' | 'INT' | 'DATE' | 'TIMESTAMP' | 'BOOLEAN';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  /** States units: "fraction, 0.123 = 12.3%", "R$", "ISO date"… (becomes the Glue column comment). */
  readonly comment: string;
}

export const FRACTION = 'fraction, 0.123 = 12.3%';

export const str = (name: string, comment: string): Column => ({ name, type: 'STRING', comment });
export const dbl = (name: string, comment: string): Column => ({ name, type: 'DOUBLE', comment });
export const pct = (name: string, what: string): Column => ({ name, type: 'DOUBLE', comment: `${what}; ${FRACTION}` });
export const big = (name: string, comment: string): Column => ({ name, type: 'BIGINT', comment });
export const int = (name: string, comment: string): Column => ({ name, type: 'INT', comment });
export const date = (name: string, comment: string): Column => ({ name, type: 'DATE', comment: `${comment}; DATE` });
export const ts = (name: string, comment: string): Column => ({
  name,
  type: 'TIMESTAMP',
  comment: `${comment}; TIMESTAMP UTC, millisecond precision`,
});
export const bool = (name: string, comment: string): Column => ({ name, type: 'BOOLEAN', comment });

/** The same columns as text, for the SoR layer (the page's text, verbatim). */
export function asText(columns: readonly Column[]): Column[] {
  return columns.map((c) => ({
    name: c.name,
    type: 'STRING',
    comment: `page text, verbatim (typed in SoT: ${c.type})`,
  }));
}
