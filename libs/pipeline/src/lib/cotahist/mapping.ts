import {
  COTAHIST_COLUMNS,
  COTAHIST_FILE_COLUMN,
  COTAHIST_SPOT_EXCLUDED_BDI,
  COTAHIST_SPOT_MARKET,
  type FixedWidthMapping,
  type FixedWidthValue,
  type RowFilter,
} from '@b3lake/lake';
import { COTAHIST_QUOTE_FIELDS, COTAHIST_RECORD_LENGTH, type CotahistFieldSpec } from '@b3lake/scraper';

/** Prices quoted per lot of FATCOT shares: the lake stores them per share. */
const PER_SHARE = new Set(['PREABE', 'PREMAX', 'PREMIN', 'PREMED', 'PREULT', 'PREOFC', 'PREOFV']);

const FATCOT = COTAHIST_QUOTE_FIELDS.find((f) => f.code === 'FATCOT') as CotahistFieldSpec;
const span = (f: CotahistFieldSpec) => ({ start: f.start - 1, end: f.end });

function valueOf(field: CotahistFieldSpec): FixedWidthValue {
  const { format } = field;
  if (format === 'text') return { kind: 'text', ...span(field) };
  if (format === 'int') return { kind: 'integer', ...span(field) };
  if (format === 'date')
    return { kind: 'date', ...span(field), ...(field.code === 'DATVEN' ? { nullWhen: '99991231' } : {}) };
  return {
    kind: 'decimal',
    ...span(field),
    decimals: format.decimals,
    ...(PER_SHARE.has(field.code) ? { per: span(FATCOT) } : {}),
  };
}

/**
 * How the COTAHIST tables' columns are read from a quote record: each layout field (position and
 * format from the parser's layout) into its column (name from the lake's registry), prices
 * divided by FATCOT, DATVEN 9999-12-31 as null, and the file's name on every row.
 */
export function cotahistMapping(fileName: string): FixedWidthMapping {
  const columns: Record<string, FixedWidthValue> = { [COTAHIST_FILE_COLUMN]: { kind: 'constant', value: fileName } };
  for (const field of COTAHIST_QUOTE_FIELDS) {
    const column = COTAHIST_COLUMNS[field.code as keyof typeof COTAHIST_COLUMNS];
    if (column) columns[column] = valueOf(field);
  }
  return { recordLength: COTAHIST_RECORD_LENGTH, columns };
}

/** The spot market's shares, units, FIIs, ETFs and BDRs: what `tbspec_b3_cotacoes_diarias` keeps. */
export const SPOT_FILTER: RowFilter = {
  equals: { [COTAHIST_COLUMNS.TPMERC]: COTAHIST_SPOT_MARKET },
  notIn: { [COTAHIST_COLUMNS.CODBDI]: COTAHIST_SPOT_EXCLUDED_BDI },
};
