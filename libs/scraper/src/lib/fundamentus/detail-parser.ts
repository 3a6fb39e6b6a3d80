import { load } from 'cheerio/slim';
import { DETAIL_PAGES } from '@b3lake/columns';
import { LayoutChangedError } from '../errors';
import { hasReplacementChar, replacementCharWarning } from '../parse/replacement-chars';
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
   * Values that arrived damaged (U+FFFD replacement characters), one line naming each field.
   * Present only when there is one, so a clean page keeps the documented JSON shape.
   */
  warnings?: string[];
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
const YEAR_LABEL = /^\d{4}$/;

/** Labels only one kind of page prints (Papel, Empresa, P/L… / FII, Nome, FFO Yield…): they tell kinds apart. */
const OWN_KEYS = {
  acao: new Set([...INDEX.acao.byKey.keys()].filter((key) => !INDEX.fii.byKey.has(key))),
  fii: new Set([...INDEX.fii.byKey.keys()].filter((key) => !INDEX.acao.byKey.has(key))),
};

/**
 * Stock or FII, from the labels the page prints: the kind with more labels of its own wins. No
 * single label decides, so a new label anywhere (first row included) or a renamed one cannot
 * flip the kind; a page with the ticker label missing then fails on its required labels.
 */
function detailKind(pairs: readonly LabelPair[], pageName: string): DetailPage['kind'] {
  let acao = 0;
  let fii = 0;
  for (const { label } of pairs) {
    const key = labelKey(label);
    if (OWN_KEYS.acao.has(key)) acao++;
    else if (OWN_KEYS.fii.has(key)) fii++;
  }
  if (acao !== fii) return acao > fii ? 'acao' : 'fii';
  throw new LayoutChangedError(
    pageName,
    [],
    acao ? `as many labels of a stock page as of a FII page (${acao})` : 'no label of a stock or FII page',
  );
}

/** What one pass over a page's label/value pairs yields. */
export interface LabelWalk {
  values: Record<string, number | string | null>;
  texts: Record<string, string | null>;
  raw: Record<string, string>;
  unknownLabels: string[];
  /** labelKey of every mapped label seen. */
  present: Set<string>;
  bank: boolean;
  /** Values holding U+FFFD, one line per field. */
  warnings: string[];
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
  const warnings: string[] = [];
  let bank = false;
  const set = (column: string, text: string, label: string): void => {
    texts[column] = text;
    values[column] = typeColumn(column, text, `${column} (${label})`);
    if (hasReplacementChar(text)) warnings.push(replacementCharWarning(`${column} ("${label}")`, text));
  };
  const unknown = (label: string, text: string): void => {
    unknownLabels.push(label);
    if (hasReplacementChar(text)) warnings.push(replacementCharWarning(`"${label}" (unknown label)`, text));
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
        unknown(label, value);
        continue;
      }
      set(YEAR_COLUMNS[offset], value, label);
      set(YEAR_OF_A0_COLUMN, String(firstYear), label);
      continue;
    }

    const field = index.find(key);
    if (!field) {
      unknown(label, value);
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
  return { values, texts, raw, unknownLabels, present, bank, warnings };
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

  const pageName = `detalhes.php ${options.ticker ?? ''}`.trim();
  const kind = detailKind(pairs, pageName);
  const { values, texts, raw, unknownLabels, present, bank, warnings } = walkLabels(kind, pairs, pageName);
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
  if (warnings.length) page.warnings = warnings;
  return Object.defineProperty(page, 'texts', { value: texts, enumerable: false });
}
