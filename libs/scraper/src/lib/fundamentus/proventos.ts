import { ScraperError } from '../errors';

/**
 * Fundamentus' dividend pages: `proventos.php?papel=X` (stocks: dividends, JCP) and
 * `fii_proventos.php?papel=X&tipo=2` (FII distributions). Their table is `table#resultado`, the
 * id of the stock listing, so the listing and detail parsers recognise them and refuse them with
 * DividendPageError instead of reading a listing whose layout changed. parseProventosPage reads them.
 */
export type ProventosPageName = 'proventos.php' | 'fii_proventos.php';

/** A page recognised as a dividend page, with the ticker it prints (if it prints one). */
export interface RecognizedProventosPage {
  page: ProventosPageName;
  ticker: string | undefined;
}

/** `<body class="proventos">` / `"fii-proventos"`, or the `<h1>Proventos</h1>` heading (copies may drop the class). */
const PROVENTOS = /<body[^>]*\bclass=["']?(?:fii-)?proventos\b|<h1[^>]*>\s*Proventos\b/i;
/** FII distributions: the body class, the title "Distribuição de Rendimentos", or the "Última Data Com" column. */
const FII_SIGNS = /\bclass=["']?fii-proventos\b|Distribui\S*\s+de\s+Rendimentos|\S+ltima\s+Data\s+Com/i;
/** Where the page prints its ticker: "Você está vendo <strong>X</strong>", the title's end, its own link. */
const TICKER_SOURCES = [
  /vendo\s*<strong>\s*([A-Z0-9]{4,12})\s*<\/strong>/,
  /-\s*([A-Z0-9]{4,12})\s*<\/title>/,
  /proventos\.php\?papel=([A-Z0-9]{4,12})\b/,
];

/** Which dividend page `html` is, with its ticker; undefined for any other page. */
export function recognizeProventosPage(html: string): RecognizedProventosPage | undefined {
  if (!PROVENTOS.test(html)) return undefined;
  return { page: FII_SIGNS.test(html) ? 'fii_proventos.php' : 'proventos.php', ticker: printedTicker(html) };
}

/** The ticker the page prints ("Você está vendo X", the title, its own link), if any. */
export function printedTicker(html: string): string | undefined {
  return TICKER_SOURCES.map((source) => source.exec(html)?.[1]).find(Boolean);
}

/** What each dividend page lists, in a few words. */
export function proventosPageWhat(page: ProventosPageName): string {
  return page === 'fii_proventos.php' ? 'FII distributions' : 'dividends and JCP';
}

/**
 * A dividend page (`proventos.php`, `fii_proventos.php`) handed to the detail or listing parser.
 * Not retryable: the content is fine, the parser is not the one for it (parseProventosPage, or
 * parseContent, which tells pages apart).
 */
export class DividendPageError extends ScraperError {
  readonly code = 'DIVIDEND_PAGE';
  constructor(
    /** The page it is. */
    readonly page: ProventosPageName,
    /** The ticker the page is about, when the page prints it. */
    readonly ticker: string | undefined,
  ) {
    super(
      `${page}${ticker ? ` ${ticker}` : ''} is a Fundamentus dividend page (${proventosPageWhat(page)}), ` +
        'not a detail or listing page: read it with parseProventosPage, or parseContent, which tells pages apart.',
    );
  }
}

/** Throws DividendPageError when `html` is a dividend page; returns for any other page. */
export function refuseProventosPage(html: string): void {
  const proventos = recognizeProventosPage(html);
  if (proventos) throw new DividendPageError(proventos.page, proventos.ticker);
}
