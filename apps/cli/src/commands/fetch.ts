import type { AssetKind } from '@b3lake/lake';
import { B3Client, FundamentusClient, HttpClient, assertTicker } from '@b3lake/scraper';
import type { CommonOptions } from '../cli';
import { EXIT, UsageError } from '../exit-codes';
import { formatDetail, formatListing, formatPortfolio, toJson } from '../format';
import type { Io } from '../io';

function http(options: CommonOptions, io: Io): HttpClient {
  return new HttpClient({
    timeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
    onRetry: (e) =>
      io.err(`b3lake: retrying ${e.url} in ${Math.round(e.delayMs)} ms (attempt ${e.attempt} failed: ${e.reason})`),
  });
}

/** `b3lake ticker PETR4`: one detail page, fetched and parsed. */
export async function tickerCommand(input: string, options: CommonOptions, io: Io): Promise<number> {
  const ticker = assertTicker(input.trim().toUpperCase());
  const client = new FundamentusClient({ baseUrl: options.fundamentusUrl, http: http(options, io) });
  const page = await client.getDetail(ticker);
  io.out(options.json ? toJson(page) : formatDetail(page));
  return EXIT.OK;
}

/** `b3lake tickers`: one listing request covers the whole market. */
export async function tickersCommand(kind: AssetKind, options: CommonOptions, io: Io): Promise<number> {
  const client = new FundamentusClient({ baseUrl: options.fundamentusUrl, http: http(options, io) });
  const listing = kind === 'acoes' ? await client.listAcoes() : await client.listFiis();
  io.out(options.json ? toJson(listing) : formatListing(listing, Number.POSITIVE_INFINITY));
  return EXIT.OK;
}

/** `b3lake ibov`: B3's day portfolio of an index. */
export async function ibovCommand(index: string, options: CommonOptions, io: Io): Promise<number> {
  if (!/^[A-Z0-9]{3,6}$/.test(index))
    throw new UsageError(`--index must be an index code such as IBOV, got "${index}"`);
  const client = new B3Client({ baseUrl: options.b3Url, http: http(options, io) });
  const portfolio = await client.getPortfolioDay({ index });
  io.out(options.json ? toJson(portfolio) : formatPortfolio(portfolio));
  return EXIT.OK;
}
