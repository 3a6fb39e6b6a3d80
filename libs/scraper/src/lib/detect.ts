import { parsePortfolioCsv } from './b3/portfolio-csv';
import { parsePortfolioJson } from './b3/portfolio-json';
import type { Portfolio } from './b3/types';
import { UnknownFormatError } from './errors';
import { parseDetailPage, type DetailPage } from './fundamentus/detail-parser';
import { parseListingPage, type Listing } from './fundamentus/listing-parser';
import { decodeBody } from './parse/text';

export type ContentFormat = 'fundamentus-detail' | 'fundamentus-listing' | 'b3-portfolio-json' | 'b3-portfolio-csv';

export type ParsedContent =
  | { format: 'fundamentus-detail'; result: DetailPage }
  | { format: 'fundamentus-listing'; result: Listing }
  | { format: 'b3-portfolio-json' | 'b3-portfolio-csv'; result: Portfolio };

/** Tells what a file or response is from its content alone. */
export function detectFormat(body: string | Uint8Array): ContentFormat {
  const text = decodeBody(body);
  const head = text.slice(0, 4096).trimStart();
  if (head.startsWith('{')) return 'b3-portfolio-json';
  if (/^(?:\w+\s*-\s*)?Carteira do Dia/i.test(head)) return 'b3-portfolio-csv';
  if (/<html|<!doctype|<table|<td/i.test(head) || /<html/i.test(text.slice(0, 65536))) {
    return /<table[^>]+id=["']?(resultado|tabelaResultado)\b/i.test(text)
      ? 'fundamentus-listing'
      : 'fundamentus-detail';
  }
  throw new UnknownFormatError(
    'Unknown content: expected a Fundamentus page (HTML), a B3 portfolio JSON or an IBOVDia CSV.',
  );
}

/** Detects the format and parses it with the matching parser (throws its typed errors). */
export function parseContent(body: string | Uint8Array): ParsedContent {
  const format = detectFormat(body);
  switch (format) {
    case 'fundamentus-detail':
      return { format, result: parseDetailPage(body) };
    case 'fundamentus-listing':
      return { format, result: parseListingPage(body) };
    case 'b3-portfolio-json':
      return { format, result: parsePortfolioJson(body) };
    case 'b3-portfolio-csv':
      return { format, result: parsePortfolioCsv(body) };
  }
}
