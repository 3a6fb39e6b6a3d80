import { UnsupportedPageError } from '../errors';

/**
 * Fundamentus' dividend pages: `proventos.php?papel=X` (stocks: dividends, JCP) and
 * `fii_proventos.php?papel=X&tipo=2` (FII distributions). Their table is `table#resultado`, the
 * id of the stock listing, so without this check they read as a listing whose layout changed.
 * A later version will parse them; until then they are recognised and refused with their own code.
 */
export interface ProventosPage {
  page: 'proventos.php' | 'fii_proventos.php';
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
export function recognizeProventosPage(html: string): ProventosPage | undefined {
  if (!PROVENTOS.test(html)) return undefined;
  const ticker = TICKER_SOURCES.map((source) => source.exec(html)?.[1]).find(Boolean);
  return { page: FII_SIGNS.test(html) ? 'fii_proventos.php' : 'proventos.php', ticker };
}

/** The error that refuses a dividend page, naming the page and its ticker. */
export function unsupportedProventos(proventos: ProventosPage): UnsupportedPageError {
  const what = `dividend page (${proventos.page === 'fii_proventos.php' ? 'FII distributions' : 'dividends and JCP'})`;
  return new UnsupportedPageError(proventos.page, proventos.ticker, what);
}

/** Throws UnsupportedPageError when `html` is a dividend page; returns for any other page. */
export function refuseProventosPage(html: string): void {
  const proventos = recognizeProventosPage(html);
  if (proventos) throw unsupportedProventos(proventos);
}
