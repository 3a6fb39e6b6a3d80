import { NotAPortfolioError, UnknownFormatError, ValueFormatError } from '../errors';
import { parseDecimal, parseInteger, parsePercentPoints, parseShortDate, type NumberLocale } from '../parse/numbers';
import { cleanText, decodeBody } from '../parse/text';
import { damagedTextWarnings } from './text-warnings';
import type { Portfolio, PortfolioRow } from './types';

interface RawResponse {
  page?: { pageNumber?: number; pageSize?: number; totalRecords?: number; totalPages?: number };
  header?: Record<string, string | null | undefined>;
  results?: Record<string, unknown>[];
}

export interface ParsePortfolioOptions {
  /** The `language` the request was sent with; detected from the numbers when omitted. */
  language?: NumberLocale;
  /** Index code the request asked for (IBOV by default in the clients). */
  index?: string;
}

/**
 * Parses a `GetPortfolioDay` or `GetTheoricalPortfolio` JSON response (which one is detected
 * from the header: only the day portfolio has a date). All B3 numbers are strings formatted
 * by the request's language; pt-br dates are DD/MM/YY and en-us dates MM/DD/YY.
 */
export function parsePortfolioJson(body: string | Uint8Array, options: ParsePortfolioOptions = {}): Portfolio {
  const response = parseJson(decodeBody(body));
  refuseOtherB3Responses(response);
  if (!response.header || !Array.isArray(response.results)) {
    throw new UnknownFormatError('Not a B3 portfolio response: expected "header" and "results".');
  }
  const header = response.header;
  const locale = options.language ?? detectLocale(response);
  const isDay = typeof header['date'] === 'string';
  const rows = response.results.map((row, i) => toRow(row, i, locale));
  return {
    source: isDay ? 'GetPortfolioDay' : 'GetTheoricalPortfolio',
    index: options.index ?? null,
    date: isDay ? parseShortDate(String(header['date']), locale, 'header.date') : null,
    locale,
    rows,
    totalTheoreticalQuantity: parseInteger(String(header['theoricalQty'] ?? '-'), 'header.theoricalQty', locale),
    reductor: parseDecimal(String(header['reductor'] ?? '-'), 'header.reductor', locale),
    page: response.page && {
      pageNumber: Number(response.page.pageNumber ?? 1),
      pageSize: Number(response.page.pageSize ?? rows.length),
      totalRecords: Number(response.page.totalRecords ?? rows.length),
      totalPages: Number(response.page.totalPages ?? 1),
    },
    warnings: damagedTextWarnings(rows),
  };
}

/**
 * B3 answers other calls with JSON too; these are recognised by their keys so the error says what
 * the file is, instead of asking for a number format the file does not have.
 */
function refuseOtherB3Responses(response: RawResponse & { min?: unknown; max?: unknown }): void {
  const row: unknown = Array.isArray(response.results) ? response.results[0] : undefined;
  const first = typeof row === 'object' && row !== null ? row : {};
  if ('indexes' in first || (response.header && 'update' in response.header)) {
    throw new NotAPortfolioError('GetStockIndex', 'which indexes each ticker belongs to');
  }
  if ('rateValue1' in first || ('min' in response && 'max' in response)) {
    throw new NotAPortfolioError('indexStatistics GetPortfolioDay', "the index's daily closing points by month");
  }
  if (Object.keys(first).length && !('cod' in first) && !('part' in first)) throw new NotAPortfolioError(undefined);
}

function parseJson(text: string): RawResponse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UnknownFormatError(`Not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnknownFormatError('Not a B3 portfolio response: expected a JSON object.');
  }
  return value as RawResponse;
}

/** `header.part` is always 100: "100,000" in pt-br, "100.000" in en-us. */
function detectLocale(response: RawResponse): NumberLocale {
  const part = cleanText(String(response.header?.['part'] ?? ''));
  if (/^100,0+$/.test(part)) return 'pt-br';
  if (/^100\.0+$/.test(part)) return 'en-us';
  const sample = String(response.header?.['reductor'] ?? '');
  if (/^[\d.]+,\d+$/.test(sample)) return 'pt-br';
  if (/^[\d,]+\.\d+$/.test(sample)) return 'en-us';
  throw new UnknownFormatError(
    'Cannot tell the number format of this B3 response; pass the request language (pt-br or en-us).',
  );
}

function toRow(row: Record<string, unknown>, i: number, locale: NumberLocale): PortfolioRow {
  const ticker = cleanText(String(row['cod'] ?? ''));
  if (!/^[A-Z0-9]{4,12}$/.test(ticker)) throw new ValueFormatError(`results[${i}].cod`, ticker, 'a ticker');
  const participation = parsePercentPoints(String(row['part'] ?? ''), `${ticker}.part`, locale);
  const quantity = parseInteger(String(row['theoricalQty'] ?? ''), `${ticker}.theoricalQty`, locale);
  if (participation === null || quantity === null) {
    throw new ValueFormatError(`${ticker}`, JSON.stringify(row), 'a row with part and theoricalQty');
  }
  const result: PortfolioRow = {
    ticker,
    name: cleanText(String(row['asset'] ?? '')),
    type: cleanText(String(row['type'] ?? '')),
    participation,
    theoreticalQuantity: quantity,
    sector: typeof row['segment'] === 'string' ? cleanText(row['segment']) : null,
  };
  if (typeof row['cont'] === 'number') result.rank = row['cont'];
  return result;
}
