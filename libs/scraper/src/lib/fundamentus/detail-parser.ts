import { load } from 'cheerio/slim';
import { DETAIL_PAGES } from '@b3lake/columns';
import { LayoutChangedError } from '../errors';
import { decodeBody, labelKey, matchDamagedKey } from '../parse/text';
import {
  REQUIRED_LABELS,
  YEAR_COLUMNS,
  YEAR_OF_A0_COLUMN,
  typeColumn,
  type AcaoValues,
  type FieldSpec,
  type FiiValues,
} from './detail-fields';
import { readDetailPairs, type LabelPair } from './detail-pairs';
import { throwForNonDataPage } from './page-kind';

/** The page's text per column, verbatim (whitespace collapsed); null where the page has no such label. */
export type ColumnTexts = Readonly<Record<string, string | null>>;

interface DetailPageCommon {
  /** The ticker printed on the page (`Papel` / `FII`). */
  ticker: string;
  /** Every label → its value text, verbatim (whitespace collapsed). A repeated label gets `#2`. */
  raw: Record<string, string>;
  /** Labels not in the mapping of columns.md; their values are still in `raw`. */
  unknownLabels: string[];
  /**
   * The text each column of `values` was typed from, from the same pass over the page (what the
   * lake's SoR layer stores). Not enumerable, so `JSON.stringify(page)` and `{ ...page }` keep
   * the shape above; `columnTexts(page)` gives it for such copies too.
   */
  readonly texts?: ColumnTexts;
}

export interface AcaoDetailPage extends DetailPageCommon {
  kind: 'acao';
  layout: 'company' | 'bank';
  values: AcaoValues;
}

export interface FiiDetailPage extends DetailPageCommon {
  kind: 'fii';
  layout: 'fii';
  values: FiiValues;
}

export type DetailPage = AcaoDetailPage | FiiDetailPage;

export interface ParseDetailOptions {
  /** The ticker that was requested; used in errors and checked against the page. */
  ticker?: string;
}

class FieldIndex {
  readonly byKey = new Map<string, FieldSpec>();
  /** Columns of `values` (and of the texts), in the order `values` has always listed them. */
  readonly columns: string[] = [];
  readonly requiredKeys: string[];
  constructor(fields: readonly FieldSpec[], required: readonly string[]) {
    for (const field of fields) {
      this.byKey.set(labelKey(field.label), field);
      this.columns.push(field.column, ...(field.column3m ? [field.column3m] : []));
    }
    this.columns.push(...YEAR_COLUMNS, YEAR_OF_A0_COLUMN);
    this.requiredKeys = required.map(labelKey);
  }
  find(key: string): FieldSpec | undefined {
    const exact = this.byKey.get(key);
    if (exact) return exact;
    const repaired = matchDamagedKey(key, this.byKey.keys());
    return repaired ? this.byKey.get(repaired) : undefined;
  }
}

const INDEX = {
  acao: new FieldIndex(DETAIL_PAGES.acao.fields, REQUIRED_LABELS.acao),
  fii: new FieldIndex(DETAIL_PAGES.fii.fields, REQUIRED_LABELS.fii),
};
const TICKER_KEYS = { acao: labelKey(DETAIL_PAGES.acao.ticker.label), fii: labelKey(DETAIL_PAGES.fii.ticker.label) };
const YEAR_LABEL = /^\d{4}$/;

/** What one pass over a page's label/value pairs yields. */
export interface LabelWalk {
  values: Record<string, number | string | null>;
  texts: Record<string, string | null>;
  raw: Record<string, string>;
  unknownLabels: string[];
  /** labelKey of every mapped label seen. */
  present: Set<string>;
  bank: boolean;
}

/**
 * The one walk over a detail page's labels: pairs each label with its column (the second
 * occurrence of a label printed twice → its 3-month column; year labels → the year columns,
 * a0 being the first year printed, or `firstYear` when given), keeps the column's text and
 * types it with `typeColumn`.
 */
export function walkLabels(
  kind: DetailPage['kind'],
  pairs: Iterable<LabelPair>,
  pageName: string,
  firstYear?: number,
): LabelWalk {
  const index = INDEX[kind];
  const values: Record<string, number | string | null> = {};
  const texts: Record<string, string | null> = {};
  for (const column of index.columns) {
    values[column] = null;
    texts[column] = null;
  }
  const raw: Record<string, string> = {};
  const unknownLabels: string[] = [];
  const seen = new Map<string, number>();
  const present = new Set<string>();
  let bank = false;
  const set = (column: string, text: string, label: string): void => {
    texts[column] = text;
    values[column] = typeColumn(column, text, `${column} (${label})`);
  };

  for (const { label, value } of pairs) {
    const key = labelKey(label);
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    raw[occurrence === 1 ? label : `${label}#${occurrence}`] = value;

    if (YEAR_LABEL.test(key)) {
      // Year oscillations are keyed by the year printed on the page, never by today's date.
      const year = Number(key);
      firstYear ??= year;
      const offset = firstYear - year;
      if (offset < 0 || offset >= YEAR_COLUMNS.length || occurrence > 1) {
        unknownLabels.push(label);
        continue;
      }
      set(YEAR_COLUMNS[offset], value, label);
      set(YEAR_OF_A0_COLUMN, String(firstYear), label);
      continue;
    }

    const field = index.find(key);
    if (!field) {
      unknownLabels.push(label);
      continue;
    }
    const column = occurrence === 1 ? field.column : occurrence === 2 ? field.column3m : undefined;
    if (!column) {
      throw new LayoutChangedError(pageName, [], `label "${label}" appears ${occurrence} times`);
    }
    present.add(labelKey(field.label));
    if (field.bank) bank = true;
    set(column, value, label);
  }
  return { values, texts, raw, unknownLabels, present, bank };
}

/**
 * Parses a Fundamentus detail page (`detalhes.php?papel=X`) of a stock, bank or FII.
 * Each label is paired with the data cell right after it, never by position in a list.
 * Throws TickerNotFoundError, AmbiguousTickerError or LayoutChangedError for pages that are
 * not an asset's data, and ValueFormatError for a value its column cannot hold.
 */
export function parseDetailPage(body: string | Uint8Array, options: ParseDetailOptions = {}): DetailPage {
  const html = decodeBody(body);
  const pairs = readDetailPairs(html, options.ticker);
  // Only a page without data needs a DOM: to tell "not found", "choose a ticker" and a block page apart.
  if (pairs.length === 0) throwForNonDataPage(load(html), html, options.ticker);

  const firstKey = labelKey(pairs[0].label);
  const kind = firstKey === TICKER_KEYS.fii ? 'fii' : 'acao';
  const pageName = `detalhes.php ${options.ticker ?? ''}`.trim();
  if (firstKey !== TICKER_KEYS.fii && firstKey !== TICKER_KEYS.acao) {
    throw new LayoutChangedError(pageName, [DETAIL_PAGES.acao.ticker.label], `first label is "${pairs[0].label}"`);
  }

  const { values, texts, raw, unknownLabels, present, bank } = walkLabels(kind, pairs, pageName);
  const index = INDEX[kind];
  const missing = REQUIRED_LABELS[kind].filter((_, i) => !present.has(index.requiredKeys[i]));
  if (missing.length) throw new LayoutChangedError(pageName, missing);

  const ticker = String(values[DETAIL_PAGES[kind].ticker.column] ?? '');
  if (options.ticker && ticker !== options.ticker) {
    throw new LayoutChangedError(pageName, [], `the page is for ${ticker}, not ${options.ticker}`);
  }
  const page: DetailPage =
    kind === 'fii'
      ? { ticker, kind, layout: 'fii', raw, values: values as unknown as FiiValues, unknownLabels }
      : {
          ticker,
          kind,
          layout: bank ? 'bank' : 'company',
          raw,
          values: values as unknown as AcaoValues,
          unknownLabels,
        };
  return Object.defineProperty(page, 'texts', { value: texts, enumerable: false });
}
