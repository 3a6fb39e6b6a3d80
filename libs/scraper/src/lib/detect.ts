import { parsePortfolioCsv } from './b3/portfolio-csv';
import { parsePortfolioJson } from './b3/portfolio-json';
import type { Portfolio } from './b3/types';
import { UnknownFormatError } from './errors';
import { parseDetailPage, type DetailPage } from './fundamentus/detail-parser';
import { parseListingPage, type Listing } from './fundamentus/listing-parser';
import { recognizeProventosPage } from './fundamentus/proventos';
import { parseProventosPage, type ProventosPage } from './fundamentus/proventos-parser';
import { gunzipIfCompressed } from './parse/gzip';
import { decodeBody } from './parse/text';

export type ContentFormat =
  | 'fundamentus-detail'
  | 'fundamentus-listing'
  /** A dividend page: proventos.php (stocks) or fii_proventos.php (FIIs). */
  | 'fundamentus-proventos'
  | 'b3-portfolio-json'
  | 'b3-portfolio-csv';

export type ParsedContent =
  | { format: 'fundamentus-detail'; result: DetailPage }
  | { format: 'fundamentus-listing'; result: Listing }
  | { format: 'fundamentus-proventos'; result: ProventosPage }
  | { format: 'b3-portfolio-json' | 'b3-portfolio-csv'; result: Portfolio };

/** Tells what a file or response is from its content alone (gzip is looked through). */
export function detectFormat(body: string | Uint8Array): ContentFormat {
  const text = decodeBody(gunzipIfCompressed(body));
  const head = text.slice(0, 4096).trimStart();
  if (head === '') throw new UnknownFormatError('The content is empty.');
  if (head.startsWith('{')) return 'b3-portfolio-json';
  if (/^(?:\w+\s*-\s*)?Carteira do Dia/i.test(head)) return 'b3-portfolio-csv';
  if (/<html|<!doctype|<table|<td/i.test(head) || /<html/i.test(text.slice(0, 65536))) {
    // Before the listing check: a dividend page's table has the stock listing's id.
    if (recognizeProventosPage(text)) return 'fundamentus-proventos';
    return /<table[^>]+id=["']?(resultado|tabelaResultado)\b/i.test(text)
      ? 'fundamentus-listing'
      : 'fundamentus-detail';
  }
  throw new UnknownFormatError(
    'Unknown content: expected a Fundamentus page (HTML), a B3 portfolio JSON or an IBOVDia CSV.',
  );
}

/**
 * Detects the format and parses it with the matching parser (throws its typed errors).
 * Gzip content, such as the lake's archived `.html.gz` pages, is inflated first.
 */
export function parseContent(body: string | Uint8Array): ParsedContent {
  const content = gunzipIfCompressed(body);
  const format = detectFormat(content);
  switch (format) {
    case 'fundamentus-detail':
      return { format, result: parseDetailPage(content) };
    case 'fundamentus-listing':
      return { format, result: parseListingPage(content) };
    case 'fundamentus-proventos':
      return { format, result: parseProventosPage(content) };
    case 'b3-portfolio-json':
      return { format, result: parsePortfolioJson(content) };
    case 'b3-portfolio-csv':
      return { format, result: parsePortfolioCsv(content) };
  }
}
