import { Command } from '@commander-js/extra-typings';
import { ASSET_KIND_IDS } from '@b3lake/lake';
import { B3Client, FundamentusClient, HttpClient, assertTicker } from '@b3lake/scraper';
import type { CliContext } from '../cli';
import { EXIT, UsageError } from '../exit-codes';
import { formatDetail, formatListing, formatPortfolio, toJson } from '../format';
import type { Io } from '../io';
import { assetKind, withJson, withNetwork, type NetworkOptions } from '../options';

function http(options: NetworkOptions, io: Io): HttpClient {
  return new HttpClient({
    timeoutMs: options.timeout,
    maxAttempts: options.retries,
    onRetry: (e) =>
      io.err(`b3lake: retrying ${e.url} in ${Math.round(e.delayMs)} ms (attempt ${e.attempt} failed: ${e.reason})`),
  });
}

/** `b3lake ticker PETR4`: one detail page, fetched and parsed. */
export function tickerCommand(ctx: CliContext) {
  return withNetwork(
    withJson(
      new Command('ticker')
        .summary("fetch and parse one asset's detail page")
        .description("Fetch and parse one asset's detail page from Fundamentus (e.g. PETR4, HGLG11).")
        .argument('<ticker>', 'the ticker, e.g. PETR4 (case-insensitive)'),
    ),
  ).action(async (input, options) => {
    const ticker = assertTicker(input.trim().toUpperCase());
    const client = new FundamentusClient({ baseUrl: options.fundamentusUrl, http: http(options, ctx.io) });
    const page = await client.getDetail(ticker);
    ctx.io.out(options.json ? toJson(page) : formatDetail(page));
    ctx.exitCode = EXIT.OK;
  });
}

/** `b3lake tickers`: one listing request covers the whole market. */
export function tickersCommand(ctx: CliContext) {
  return withNetwork(
    withJson(
      new Command('tickers')
        .summary('list every stock or FII with its listing indicators')
        .description('List every stock (default) or FII with its listing indicators: one request covers the market.')
        .option(`--kind <kind>`, `${ASSET_KIND_IDS.join(' or ')}`, assetKind, ASSET_KIND_IDS[0]),
    ),
  ).action(async (options) => {
    const client = new FundamentusClient({ baseUrl: options.fundamentusUrl, http: http(options, ctx.io) });
    const listing = options.kind === 'acoes' ? await client.listAcoes() : await client.listFiis();
    ctx.io.out(options.json ? toJson(listing) : formatListing(listing, Number.POSITIVE_INFINITY));
    ctx.exitCode = EXIT.OK;
  });
}

/** `b3lake ibov`: B3's day portfolio of an index. */
export function ibovCommand(ctx: CliContext) {
  return withNetwork(
    withJson(
      new Command('ibov')
        .summary("fetch B3's day portfolio of an index")
        .description("Fetch B3's day portfolio of an index (IBOV, IBXX, SMLL, IDIV, IFIX).")
        .option('--index <code>', 'the index code', 'IBOV'),
    ),
  ).action(async (options) => {
    const index = options.index;
    if (!/^[A-Z0-9]{3,6}$/.test(index))
      throw new UsageError(`--index must be an index code such as IBOV, got "${index}"`);
    const client = new B3Client({ baseUrl: options.b3Url, http: http(options, ctx.io) });
    const portfolio = await client.getPortfolioDay({ index });
    ctx.io.out(options.json ? toJson(portfolio) : formatPortfolio(portfolio));
    ctx.exitCode = EXIT.OK;
  });
}
