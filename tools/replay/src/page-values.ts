import { DETAIL_PAGES, LISTING_PAGES, YEAR_COLUMNS } from '@b3lake/columns';
import { labelKey, parseDetailPage } from '@b3lake/scraper';
import { fundValues, stockValues, type Anchors, type AssetValues } from './asset-values';
import { formatLike, formatNumber, textFormat, type TextFormat } from './page-text';

/** A value's place in a template page: the text printed there, and its colour attribute if it has one. */
interface Slot {
  column: string;
  /** The text the recorded page prints there (kept where no value is given). */
  recorded: string;
  format: TextFormat;
  /** Oscillations are coloured by sign: the slot is then the colour attribute, and the next one the text. */
  color?: boolean;
}

/**
 * A recorded detail page as a template: the page cut at each value, so another asset's values
 * are written in their place with the page's own markup and precision (a join, no parsing).
 */
export interface DetailTemplate {
  kind: 'acao' | 'fii';
  ticker: string;
  /** The page's text (latin1: Windows-1252 bytes round-trip unchanged) between the slots. */
  pieces: string[];
  slots: Slot[];
  /** The page's own quote, which an asset served under the page's ticker keeps. */
  anchors: Anchors;
  /** Columns the page prints as `-`: not applicable to this kind of asset (a bank's P/EBIT). */
  notApplicable: ReadonlySet<string>;
  /** A fund without properties (a paper fund): its property cells keep the template's `0` and `-`. */
  paperFund: boolean;
}

/** A label cell, then the data cell right after it (its inner HTML). */
const PAIR = /<span class="txt">([^<]*)<\/span><\/td>(\s*<td class="data[^"]*">)([\s\S]*?)<\/td>/g;
/** The first text of a data cell, inside whatever `<span>`, `<font>` or `<a>` wraps it. */
const CELL_TEXT = /(>\s*)([^<\s][^<]*?)(\s*<)/;
const COLOR = /color="#[0-9A-Fa-f]{6}"/;
const UP = 'color="#306EFF"';
const DOWN = 'color="#F75D59"';
const YEAR_LABEL = /^\s*\d{4}\s*$/;

/** Each label, in page order, to its column: years by position, a twice-printed label 12 m then 3 m. */
function labelColumns(kind: 'acao' | 'fii'): (label: string) => string | undefined {
  const byKey = new Map(DETAIL_PAGES[kind].fields.map((f) => [labelKey(f.label), f] as const));
  const seen = new Set<string>();
  let year = 0;
  return (label) => {
    if (YEAR_LABEL.test(label)) return YEAR_COLUMNS[year++];
    const field = byKey.get(labelKey(label));
    if (!field) return undefined;
    const again = field.column3m && seen.has(field.column);
    seen.add(field.column);
    return again ? field.column3m : field.column;
  };
}

/** A detail page (one of the recorded ones) cut into a template at each value it prints. */
export function detailTemplate(page: Buffer): DetailTemplate {
  const parsed = parseDetailPage(page);
  const html = page.toString('latin1');
  const kind = parsed.kind;
  const columnOf = labelColumns(kind);
  const notApplicable = new Set<string>();
  const pieces: string[] = [];
  const slots: Slot[] = [];
  let cut = 0;
  for (const match of html.matchAll(PAIR)) {
    const [whole, label, , cell] = match;
    const column = columnOf(label);
    const text = CELL_TEXT.exec(cell);
    if (!column || !text) continue;
    if (text[2].trim() === '-') {
      notApplicable.add(column);
      continue;
    }
    const cellStart = (match.index ?? 0) + whole.length - '</td>'.length - cell.length;
    const color = COLOR.exec(cell);
    if (color && color.index < (text.index ?? 0)) {
      pieces.push(html.slice(cut, cellStart + color.index));
      slots.push({ column, recorded: color[0], format: textFormat(text[2]), color: true });
      cut = cellStart + color.index + color[0].length;
    }
    const textStart = cellStart + (text.index ?? 0) + text[1].length;
    pieces.push(html.slice(cut, textStart));
    slots.push({ column, recorded: text[2], format: textFormat(text[2]) });
    cut = textStart + text[2].length;
  }
  pieces.push(html.slice(cut));
  const values = parsed.values as Record<string, unknown>;
  const number = (column: string) => (typeof values[column] === 'number' ? (values[column] as number) : undefined);
  return {
    kind,
    ticker: parsed.ticker,
    pieces,
    slots,
    anchors: {
      price: number('vlr_cot'),
      dayChange: number('pct_var_dia'),
      shares: number(kind === 'acao' ? 'num_acoes' : 'num_cotas'),
    },
    notApplicable,
    paperFund: kind === 'fii' && number('qtd_imoveis') === 0,
  };
}

/** An asset's values for a page made from `template`; `anchored` keeps the template's own quote. */
export function templateValues(template: DetailTemplate, random: () => number, anchored: boolean): AssetValues {
  const anchors = anchored ? template.anchors : {};
  return template.kind === 'acao' ? stockValues(random, anchors) : fundValues(random, anchors, !template.paperFund);
}

/**
 * The template page with `values` (and `texts`, e.g. a name) in place of its own. Cells printed
 * `-` stay so (not applicable to this asset), and so do cells no value is given for.
 */
export function withDetailValues(
  template: DetailTemplate,
  values: AssetValues,
  texts: Readonly<Record<string, string>> = {},
): string {
  const { pieces, slots } = template;
  let page = pieces[0];
  for (let i = 0; i < slots.length; i++) {
    const { column, recorded, format, color } = slots[i];
    const value = values[column];
    if (color) page += value === undefined ? recorded : value < 0 ? DOWN : UP;
    else page += texts[column] ?? (value === undefined ? recorded : formatNumber(value, format));
    page += pieces[i + 1];
  }
  return page;
}

const listingColumnByKey = (kind: 'acoes' | 'fiis') =>
  new Map(LISTING_PAGES[kind].columns.map((c) => [labelKey(c.header), c.column] as const));
const LISTING_COLUMN_BY_KEY = { acoes: listingColumnByKey('acoes'), fiis: listingColumnByKey('fiis') };

/**
 * A listing row's cells (headers after Papel) for an asset: its values printed like the template
 * row's cells; where its detail page prints `-`, `0,00`, as the listing pages do; other cells
 * (segment, address) as in the template row.
 */
export function listingCells(
  kind: 'acoes' | 'fiis',
  headers: readonly string[],
  templateRow: Readonly<Record<string, string>>,
  values: AssetValues,
  notApplicable: ReadonlySet<string>,
): string[] {
  return headers.slice(1).map((header) => {
    const text = templateRow[header] ?? '';
    const column = LISTING_COLUMN_BY_KEY[kind].get(labelKey(header));
    if (!column || text === '') return text;
    if (notApplicable.has(column)) return formatLike(text, 0);
    return values[column] === undefined ? text : formatLike(text, values[column]);
  });
}
