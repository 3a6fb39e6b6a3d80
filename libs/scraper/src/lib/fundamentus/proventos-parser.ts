import { load, type CheerioAPI } from 'cheerio/slim';
import type { Element } from 'domhandler';
import { LayoutChangedError, ValueFormatError } from '../errors';
import { looksBlocked } from '../http/block-page';
import { parseDate, parseDecimal, parseInteger } from '../parse/numbers';
import { ReplacementCharsByField } from '../parse/replacement-chars';
import { cleanText, decodeBody, labelKey, matchDamagedKey } from '../parse/text';
import { throwForNonDataPage } from './page-kind';
import { printedTicker, recognizeProventosPage, type ProventosPageName } from './proventos';
import { categorizeProvento, type ProventoCategoria } from './proventos-categories';

/** One distribution: one row of the page, as published (several on one date are several rows). */
export interface Provento {
  /** "Data" (stocks) / "Última Data Com" (FIIs): the last day with rights, ISO `yyyy-mm-dd`. */
  dataCom: string;
  /** "Valor" in BRL as printed: per `porQuantasAcoes` shares (per 1000 shares on many pre-2005 stock rows). */
  valor: number;
  /** "Tipo" as printed (`JRS CAP PRÓPRIO`, `JRS CAP PROPRIO`, `Dividendo mensal`, `Rendimento`…). */
  tipo: string;
  /** The kind of distribution, one value whatever the spelling (categorizeProvento). */
  categoria: ProventoCategoria;
  /** "Data de Pagamento", ISO `yyyy-mm-dd`; null where the page prints `-` (not announced, or not recorded). */
  dataPagamento: string | null;
  /** "Por quantas ações": the number of shares `valor` is paid for (1, or 1000); always 1 for FIIs. */
  porQuantasAcoes: number;
  /** Cells of columns this version does not know, by header, verbatim; present only when there are some. */
  extra?: Record<string, string>;
}

/**
 * One row of the stock page's "Agrupar por ano" table (`Ano`, `Valor`): a total the site computes,
 * not a distribution. Kept apart so it is never counted as one.
 */
export interface ProventoYearlyTotal {
  /** "Ano": the year of the data com. */
  ano: number;
  /**
   * "Valor" as printed (3 decimals): on the recorded pages, the sum of that year's `valor` per
   * share to within 0.001 (WEGE3 2026: 0,1044 + 0,1001 → 0,205; ITUB4 2022: 1,0188 → 1,018).
   */
  valor: number;
}

/** A parsed dividend page; `kind` comes from the table's headers. */
export interface ProventosPage {
  /** `acao`: `proventos.php` (Data, Valor, Tipo, Data de Pagamento, Por quantas ações); `fii`: `fii_proventos.php`. */
  kind: 'acao' | 'fii';
  page: ProventosPageName;
  /** The ticker the page prints ("Você está vendo X"), else the one requested; undefined if neither. */
  ticker: string | undefined;
  /** The distributions table's headers, in page order (empty when the page has no table). */
  headers: string[];
  /** Headers not in the known columns (their cells are kept in each row's `extra`). */
  unknownHeaders: string[];
  /** Every distribution, in page order (newest first on the site). */
  distributions: Provento[];
  /** The yearly totals table (stocks), kept apart from the distributions; empty when the page has none (FIIs). */
  yearlyTotals: ProventoYearlyTotal[];
  /** Distinct Tipo texts categorised `outro` (not a known kind), in page order: reported, never guessed. */
  unknownTipos: string[];
  /** Unknown Tipo texts and damaged text (U+FFFD), one line each; present only when there is one. */
  warnings?: string[];
}

export interface ParseProventosOptions {
  /** The ticker that was requested; used in errors and checked against the page. */
  ticker?: string;
}

type Field = 'dataCom' | 'valor' | 'tipo' | 'dataPagamento' | 'porQuantasAcoes';

/** A column of a distributions table: the header the page prints and the Provento field it fills. */
export interface ProventosColumn {
  header: string;
  field: Field;
}

/** Each page's columns, by the header text the page prints; all required. */
export const PROVENTOS_COLUMNS: Readonly<Record<ProventosPage['kind'], readonly ProventosColumn[]>> = {
  acao: [
    { header: 'Data', field: 'dataCom' },
    { header: 'Valor', field: 'valor' },
    { header: 'Tipo', field: 'tipo' },
    { header: 'Data de Pagamento', field: 'dataPagamento' },
    { header: 'Por quantas ações', field: 'porQuantasAcoes' },
  ],
  fii: [
    { header: 'Última Data Com', field: 'dataCom' },
    { header: 'Tipo', field: 'tipo' },
    { header: 'Data de Pagamento', field: 'dataPagamento' },
    { header: 'Valor', field: 'valor' },
  ],
};

/** The yearly totals table's headers. */
const YEARLY_HEADERS = ['Ano', 'Valor'] as const;

const KEYS = {
  acao: new Map(PROVENTOS_COLUMNS.acao.map((c) => [labelKey(c.header), c] as const)),
  fii: new Map(PROVENTOS_COLUMNS.fii.map((c) => [labelKey(c.header), c] as const)),
};
/** Every distribution header key of either page: a table with two or more of them is a distributions table. */
const DISTRIBUTION_KEYS = [...new Set([...KEYS.acao.keys(), ...KEYS.fii.keys()])];
const YEARLY_KEYS = YEARLY_HEADERS.map(labelKey);
const FII_ONLY_KEY = labelKey('Última Data Com');
const NO_DISTRIBUTIONS = /nenhum\s+provento\s+encontrado/i;

interface FoundTable {
  table: Element;
  headers: string[];
  /** Header keys, damaged ones (U+FFFD) matched to a known key when exactly one fits. */
  keys: string[];
}

/**
 * Parses a Fundamentus dividend page: `proventos.php?papel=X` (stocks: Data, Valor, Tipo,
 * Data de Pagamento, Por quantas ações) or `fii_proventos.php?papel=X&tipo=2` (FIIs: Última
 * Data Com, Tipo, Data de Pagamento, Valor), told apart by their headers. Columns are found by
 * header text, never by position; every row is kept as published, in page order. The stock
 * page's yearly totals table (Ano, Valor) is recognised by its headers and returned apart.
 * A page saying "Nenhum provento encontrado" gives no distributions.
 *
 * Throws TickerNotFoundError ("Nenhum papel encontrado"), AmbiguousTickerError ("Selecione o
 * Papel"), LayoutChangedError (a required header missing, named; a row whose cells do not match
 * the headers; the page is for another ticker) and ValueFormatError (a cell its column cannot hold).
 */
export function parseProventosPage(body: string | Uint8Array, options: ParseProventosOptions = {}): ProventosPage {
  const html = decodeBody(body);
  const $ = load(html);
  const recognized = recognizeProventosPage(html);
  const ticker = printedTicker(html) ?? options.ticker;
  const tables = $('table')
    .toArray()
    .map((table) => headersOf($, table));
  const yearly = tables.filter((t) => YEARLY_KEYS.every((key) => t.keys.includes(key)));
  const candidates = tables
    .filter((t) => !yearly.includes(t))
    .map((t) => ({ ...t, score: t.keys.filter((key) => DISTRIBUTION_KEYS.includes(key)).length }))
    .filter((t) => t.score >= 2);
  const best = candidates.reduce<(typeof candidates)[number] | undefined>(
    (a, t) => (a && a.score >= t.score ? a : t),
    undefined,
  );

  const kind: ProventosPage['kind'] = best
    ? best.keys.includes(FII_ONLY_KEY)
      ? 'fii'
      : 'acao'
    : recognized?.page === 'fii_proventos.php'
      ? 'fii'
      : 'acao';
  const page: ProventosPageName = kind === 'fii' ? 'fii_proventos.php' : 'proventos.php';
  const pageName = `${page} ${ticker ?? ''}`.trim();
  if (options.ticker && ticker && ticker !== options.ticker) {
    throw new LayoutChangedError(pageName, [], `the page is for ${ticker}, not ${options.ticker}`);
  }
  if (candidates.length > 1) {
    throw new LayoutChangedError(pageName, [], `${candidates.length} tables have distribution headers, expected one`);
  }
  if (yearly.length > 1) {
    throw new LayoutChangedError(pageName, [], `${yearly.length} yearly totals tables (Ano, Valor), expected one`);
  }
  if (!best) {
    throwForNonDistributionPage($, html, options.ticker);
    if (recognized && NO_DISTRIBUTIONS.test($('body').text())) {
      return {
        kind,
        page,
        ticker,
        headers: [],
        unknownHeaders: [],
        distributions: [],
        yearlyTotals: [],
        unknownTipos: [],
      };
    }
    const missing = PROVENTOS_COLUMNS[kind].map((c) => c.header);
    const blocked = looksBlocked(html);
    throw new LayoutChangedError(pageName, missing, blocked ? `${blocked}, not data` : 'no distributions table found');
  }

  const columns = best.keys.map((key) => KEYS[kind].get(key));
  const missing = PROVENTOS_COLUMNS[kind].filter((c) => !columns.includes(c)).map((c) => c.header);
  if (missing.length) throw new LayoutChangedError(pageName, missing, 'distributions table');
  const unknownHeaders = best.headers.filter((_, i) => !columns[i]);

  const damaged = new ReplacementCharsByField();
  const unknownTipos = new Map<string, number>();
  const index = Object.fromEntries(columns.flatMap((c, i) => (c ? [[c.field, i]] : []))) as Record<Field, number>;
  const distributions = bodyRows($, best, pageName).map((cells, i) => {
    const row = `row ${i + 1} of ${pageName}`;
    const text = (field: Field) => cells[index[field]];
    const tipo = text('tipo');
    const categoria = categorizeProvento(tipo);
    if (categoria === 'outro') unknownTipos.set(tipo, (unknownTipos.get(tipo) ?? 0) + 1);
    damaged.check('tipo', tipo, row);
    const provento: Provento = {
      dataCom: required(parseDate(text('dataCom'), `dataCom (${row})`), 'dataCom', row, text('dataCom'), 'a date'),
      valor: required(parseDecimal(text('valor'), `valor (${row})`), 'valor', row, text('valor'), 'a number'),
      tipo,
      categoria,
      dataPagamento: parseDate(text('dataPagamento'), `dataPagamento (${row})`),
      porQuantasAcoes: kind === 'fii' ? 1 : shares(text('porQuantasAcoes'), row),
    };
    if (unknownHeaders.length) {
      provento.extra = Object.fromEntries(
        cells.flatMap((cell, c) => (columns[c] ? [] : [[best.headers[c], cell] as const])),
      );
    }
    return provento;
  });

  const yearlyTotals = yearly.length ? readYearlyTotals($, yearly[0], pageName) : [];
  const warnings = [
    ...[...unknownTipos].map(
      ([tipo, rows]) =>
        `tipo: "${tipo}" (${rows} ${rows === 1 ? 'row' : 'rows'}) is not a known kind of distribution, ` +
        'categoria "outro"',
    ),
    ...damaged.warnings(),
  ];
  return {
    kind,
    page,
    ticker,
    headers: best.headers,
    unknownHeaders,
    distributions,
    yearlyTotals,
    unknownTipos: [...unknownTipos.keys()],
    ...(warnings.length ? { warnings } : {}),
  };
}

/** The header texts of a table (its first row with `th` cells), with their keys. */
function headersOf($: CheerioAPI, table: Element): FoundTable {
  const row = $(table)
    .find('tr')
    .toArray()
    .find((tr) => $(tr).children('th').length > 0);
  const headers = row
    ? $(row)
        .children('th')
        .toArray()
        .map((th) => cleanText($(th).text()))
    : [];
  const known = [...DISTRIBUTION_KEYS, ...YEARLY_KEYS];
  const keys = headers.map((header) => {
    const key = labelKey(header);
    return matchDamagedKey(key, known) ?? key;
  });
  return { table, headers, keys };
}

/** The text of every data row's cells; a row whose cell count differs from the headers' is a changed layout. */
function bodyRows($: CheerioAPI, found: FoundTable, pageName: string): string[][] {
  const rows = $(found.table)
    .find('tr')
    .toArray()
    .filter((tr) => $(tr).children('td').length > 0);
  return rows.map((tr, i) => {
    const cells = $(tr)
      .children('td')
      .toArray()
      .map((td) => cleanText($(td).text()));
    if (cells.length !== found.headers.length) {
      const table = found.keys.includes(YEARLY_KEYS[0]) ? 'yearly totals' : 'distributions';
      throw new LayoutChangedError(
        pageName,
        [],
        `${table} row ${i + 1} has ${cells.length} cells for ${found.headers.length} headers`,
      );
    }
    return cells;
  });
}

function readYearlyTotals($: CheerioAPI, found: FoundTable, pageName: string): ProventoYearlyTotal[] {
  const [ano, valor] = YEARLY_KEYS.map((key) => found.keys.indexOf(key));
  return bodyRows($, found, pageName).map((cells, i) => {
    const row = `yearly total ${i + 1} of ${pageName}`;
    return {
      ano: required(parseInteger(cells[ano], `ano (${row})`), 'ano', row, cells[ano], 'a year'),
      valor: required(parseDecimal(cells[valor], `valor (${row})`), 'valor', row, cells[valor], 'a number'),
    };
  });
}

/** "Por quantas ações": a whole number of at least 1 (the divisor of `valor`). */
function shares(text: string, row: string): number {
  const value = parseInteger(text, `porQuantasAcoes (${row})`);
  if (value === null || value < 1) {
    throw new ValueFormatError(`porQuantasAcoes (${row})`, text, 'a whole number of shares, at least 1');
  }
  return value;
}

/** A value a distribution cannot lack: `-` or empty there is a ValueFormatError, never a made-up value. */
function required<T>(value: T | null, field: string, row: string, text: string, what: string): T {
  if (value === null) throw new ValueFormatError(`${field} (${row})`, text, `${what} (required in every row)`);
  return value;
}

/** "Nenhum papel encontrado" / "Selecione o Papel" pages throw their typed errors; other pages return. */
function throwForNonDistributionPage($: CheerioAPI, html: string, requested?: string): void {
  const heading = cleanText($('h1').first().text());
  if (/nenhum papel encontrado|selecione o papel/i.test(heading)) throwForNonDataPage($, html, requested);
}
