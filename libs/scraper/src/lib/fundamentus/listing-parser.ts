import { load } from 'cheerio/slim';
import type { Element } from 'domhandler';
import { findOne, getElementsByTagName, textContent } from 'domutils';
import { LayoutChangedError } from '../errors';
import { typeCell } from '../parse/cells';
import { ReplacementCharsByField } from '../parse/replacement-chars';
import { cleanText, decodeBody, labelKey, matchDamagedKey } from '../parse/text';
import {
  ACOES_LISTING_COLUMNS,
  FIIS_LISTING_COLUMNS,
  type AcoesListingValues,
  type FiisListingValues,
  type ListingColumn,
} from './listing-fields';
import { refuseProventosPage } from './proventos';

export interface ListingRow<V> {
  ticker: string;
  /** Company or fund name (the `title` of the ticker cell). */
  name: string;
  /** Typed values by column name; columns the page does not have are null. */
  values: V;
  /** Every header → cell text, verbatim, including unknown headers. */
  raw: Record<string, string>;
}

interface ListingCommon {
  /** Headers in page order. */
  headers: string[];
  /** Headers not in the known mapping (kept in each row's `raw`). */
  unknownHeaders: string[];
  /** Rows whose ticker appeared earlier on the page and were collapsed into the first one. */
  duplicateRows: number;
  /** Text damaged before it reached us (U+FFFD), one line per field; present only when there is one. */
  warnings?: string[];
}

export interface AcoesListing extends ListingCommon {
  kind: 'acoes';
  rows: ListingRow<AcoesListingValues>[];
}

export interface FiisListing extends ListingCommon {
  kind: 'fiis';
  rows: ListingRow<FiisListingValues>[];
}

export type Listing = AcoesListing | FiisListing;

const TABLES = {
  acoes: { selector: 'table#resultado', columns: ACOES_LISTING_COLUMNS, page: 'resultado.php' },
  fiis: { selector: 'table#tabelaResultado', columns: FIIS_LISTING_COLUMNS, page: 'fii_resultado.php' },
} as const;

/**
 * Parses `resultado.php` (stocks) or `fii_resultado.php` (FIIs), detected by the table id.
 * Columns are mapped by header text; rows repeating a ticker are collapsed into the first.
 * A `0,00` is null ("no data") except in the columns where zero is a real value (`zeroIsValue`).
 */
export function parseListingPage(body: string | Uint8Array): Listing {
  const html = decodeBody(body);
  const $ = load(html);
  const kind = $(TABLES.acoes.selector).length ? 'acoes' : $(TABLES.fiis.selector).length ? 'fiis' : undefined;
  if (!kind) {
    refuseProventosPage(html);
    throw new LayoutChangedError(
      'listing page',
      [],
      'neither table#resultado (resultado.php) nor table#tabelaResultado (fii_resultado.php) found',
    );
  }
  const spec = TABLES[kind];
  const table = $(spec.selector).first();
  const headers = table
    .find('thead th')
    .toArray()
    .map((th) => cleanText($(th).text()));
  if (labelKey(headers[0] ?? '') !== 'papel') {
    // A dividend page has the stock listing's table id: say what it is rather than "layout changed".
    refuseProventosPage(html);
    throw new LayoutChangedError(spec.page, ['Papel'], 'first column is not Papel');
  }
  const mapping = mapHeaders(headers, spec.columns);
  const unknownHeaders = headers.filter((_, i) => i > 0 && !mapping[i]);
  const missing = spec.columns.filter((c: ListingColumn) => c.required && !mapping.includes(c)).map((c) => c.header);
  if (missing.length) throw new LayoutChangedError(spec.page, missing);

  const rows = new Map<string, ListingRow<Record<string, unknown>>>();
  const damaged = new ReplacementCharsByField();
  let duplicateRows = 0;
  // Rows are read from the DOM nodes directly: wrapping each of ~20,000 cells in cheerio took
  // most of the parse time of a market's listing.
  const bodyRows = table
    .find('tbody')
    .toArray()
    .flatMap((tbody) => getElementsByTagName('tr', tbody, true));
  bodyRows.forEach((tr, rowIndex) => {
    const cells = tr.children.filter((child): child is Element => child.type === 'tag' && child.name === 'td');
    if (cells.length !== headers.length) {
      throw new LayoutChangedError(
        spec.page,
        [],
        `row ${rowIndex + 1} has ${cells.length} cells for ${headers.length} headers`,
      );
    }
    const first = cells[0];
    const link = findOne((el) => el.name === 'a', first.children, true);
    const ticker = cleanText((link && textContent(link)) || textContent(first));
    if (rows.has(ticker)) {
      duplicateRows++;
      return;
    }
    const values: Record<string, unknown> = Object.fromEntries(spec.columns.map((c) => [c.column, null]));
    const raw: Record<string, string> = {};
    cells.forEach((cell, i) => {
      const text = cleanText(textContent(cell));
      raw[headers[i]] = text;
      const column = mapping[i];
      damaged.check(column?.column ?? headers[i], text, ticker);
      if (column) values[column.column] = listingValue(column, text, ticker);
    });
    const titled = findOne((el) => el.attribs['title'] !== undefined, first.children, true);
    const name = cleanText(titled?.attribs['title'] ?? '');
    damaged.check('name', name, ticker);
    rows.set(ticker, { ticker, name, values, raw });
  });
  const warnings = damaged.warnings();
  return {
    kind,
    headers,
    unknownHeaders,
    duplicateRows,
    rows: [...rows.values()],
    ...(warnings.length ? { warnings } : {}),
  } as Listing;
}

/**
 * A listing cell typed by its column. The listing pages print `0,00` where they have no value
 * (the detail page prints `-` there), so 0 is null unless the column declares zero a real value.
 */
function listingValue(column: ListingColumn, text: string, ticker: string): number | string | null {
  const value = typeCell(column.type, text, `${column.column} (${ticker})`);
  return value === 0 && !column.zeroIsValue ? null : value;
}

function mapHeaders(headers: string[], columns: readonly ListingColumn[]): (ListingColumn | undefined)[] {
  const byKey = new Map(columns.map((c) => [labelKey(c.header), c] as const));
  return headers.map((header, i) => {
    if (i === 0) return undefined;
    const key = labelKey(header);
    return byKey.get(key) ?? byKey.get(matchDamagedKey(key, byKey.keys()) ?? '');
  });
}
