/**
 * @b3lake/scraper — typed, loss-free scrapers for fundamentus.com.br, B3 index portfolios and
 * B3's historical quotes (COTAHIST). Pure parse functions take strings or bytes, so you can bring
 * your own fetch; the clients add a polite HTTP layer (timeouts, retries, rate limits).
 */
export * from './lib/errors';
export {
  parseDecimal,
  parsePercent,
  parsePercentPoints,
  parseInteger,
  parseDate,
  parseShortDate,
  isNullText,
} from './lib/parse/numbers';
export type { NumberLocale } from './lib/parse/numbers';
export { decodeBody, cleanText, labelKey } from './lib/parse/text';
export { isGzip, gunzipIfCompressed } from './lib/parse/gzip';

export { HttpClient, BROWSER_USER_AGENT } from './lib/http/http-client';
export type { HttpClientOptions, HttpResponse, HttpStreamResponse, RetryEvent } from './lib/http/http-client';
export type { RequestOptions } from './lib/http/deadline';

export { parseDetailPage } from './lib/fundamentus/detail-parser';
export { columnTexts } from './lib/fundamentus/column-texts';
export { typeCell } from './lib/parse/cells';
export type { CellType } from './lib/parse/cells';
export type {
  DetailPage,
  AcaoDetailPage,
  FiiDetailPage,
  ParseDetailOptions,
  ColumnTexts,
} from './lib/fundamentus/detail-parser';
export {
  ACAO_FIELDS,
  FII_FIELDS,
  YEAR_COLUMNS,
  YEAR_OF_A0_COLUMN,
  REQUIRED_LABELS,
  BANK_LABELS,
  typeColumn,
  columnType,
} from './lib/fundamentus/detail-fields';
export type { AcaoValues, FiiValues, FieldSpec, FieldType } from './lib/fundamentus/detail-fields';
export { parseListingPage } from './lib/fundamentus/listing-parser';
export type { Listing, AcoesListing, FiisListing, ListingRow } from './lib/fundamentus/listing-parser';
export { ACOES_LISTING_COLUMNS, FIIS_LISTING_COLUMNS } from './lib/fundamentus/listing-fields';
export type { AcoesListingValues, FiisListingValues, ListingColumn } from './lib/fundamentus/listing-fields';
export { parseProventosPage, PROVENTOS_COLUMNS } from './lib/fundamentus/proventos-parser';
export type {
  ProventosPage,
  Provento,
  ProventoYearlyTotal,
  ParseProventosOptions,
  ProventosColumn,
} from './lib/fundamentus/proventos-parser';
export { categorizeProvento, PROVENTO_TIPOS } from './lib/fundamentus/proventos-categories';
export type { ProventoCategoria } from './lib/fundamentus/proventos-categories';
export { DividendPageError } from './lib/fundamentus/proventos';
export type { ProventosPageName } from './lib/fundamentus/proventos';
export { looksBlocked } from './lib/http/block-page';
export { assertTicker, isTicker } from './lib/fundamentus/ticker';
export { FundamentusClient, FUNDAMENTUS_URL } from './lib/fundamentus/client';
export type { FundamentusClientOptions, FetchedPage } from './lib/fundamentus/client';

export { parsePortfolioJson } from './lib/b3/portfolio-json';
export type { ParsePortfolioOptions } from './lib/b3/portfolio-json';
export { parsePortfolioCsv } from './lib/b3/portfolio-csv';
export { B3Client, B3_URL, decodeBase64Csv } from './lib/b3/client';
export type { B3ClientOptions, PortfolioRequest, FetchedB3 } from './lib/b3/client';
export type { Portfolio, PortfolioRow } from './lib/b3/types';

// COTAHIST: B3's historical quotes, one fixed-width record per instrument and trading day since 1986.
export { CotahistReader, parseCotahist, isCotahist, CotahistIncompleteError } from './lib/b3/cotahist/reader';
export type { CotahistSource, CotahistContainer } from './lib/b3/cotahist/reader';
export { CotahistFormatError } from './lib/b3/cotahist/record';
export type { CotahistHeader, CotahistTrailer, CotahistQuote } from './lib/b3/cotahist/record';
export { CotahistZipError } from './lib/b3/cotahist/zip-error';
export type { CotahistZipProblem } from './lib/b3/cotahist/zip-error';
export {
  CotahistClient,
  CotahistFileNameError,
  CotahistNotPublishedError,
  COTAHIST_URL,
  COTAHIST_FIRST_YEAR,
  cotahistFileName,
  parseCotahistFileName,
} from './lib/b3/cotahist/client';
export type {
  CotahistClientOptions,
  CotahistDownload,
  CotahistFileInfo,
  CotahistFileKind,
  CotahistFileRequest,
} from './lib/b3/cotahist/client';
export {
  RECORD_LENGTH as COTAHIST_RECORD_LENGTH,
  HEADER_FIELDS as COTAHIST_HEADER_FIELDS,
  QUOTE_FIELDS as COTAHIST_QUOTE_FIELDS,
  TRAILER_FIELDS as COTAHIST_TRAILER_FIELDS,
  MARKET_TYPES as COTAHIST_MARKET_TYPES,
} from './lib/b3/cotahist/layout';
export type { FieldSpec as CotahistFieldSpec, FieldFormat as CotahistFieldFormat } from './lib/b3/cotahist/layout';

export { detectFormat, parseContent } from './lib/detect';
export type { ContentFormat, ParsedContent } from './lib/detect';
