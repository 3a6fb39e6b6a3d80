import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { COTAHIST_PATH, CotahistFiles, saoPauloToday } from './cotahist-files';
import { buildMarket } from './market';
import { PROVENTOS_PATHS, ProventosPages } from './proventos-pages';
import { seededRandom } from './synthetic';

export type FaultKind = '500' | '429' | 'timeout' | 'truncate' | 'challenge';

export interface ReplayOptions {
  /** Folder with `fundamentus/` and `b3/` files in the layout of tools/fixtures. */
  fixturesDir: string;
  /** Added to every response, ms. */
  latencyMs?: number;
  /** Probability that a request gets a transient fault. */
  faultRate?: number;
  faultKinds?: FaultKind[];
  /** A URL gets at most this many transient faults, so a client that retries always gets through (default 2). */
  maxFaultsPerUrl?: number;
  /** Tickers whose detail page always answers 500. */
  permanentFailures?: string[];
  /** Tickers whose detail page never answers (the connection stays open until the server stops). */
  stalls?: string[];
  /**
   * Serve a market of N synthetic tickers (70% stocks, 30% FIIs) made from the recorded pages,
   * each with its own values (seeded by the ticker), the same in the listing and the detail page.
   */
  syntheticTickers?: number;
  /**
   * Give the recorded tickers their own values too (their quote kept): the fixture pages copy
   * PETR4's and HGLG11's numbers, 52-week range included. The demo turns this on.
   */
  ownValues?: boolean;
  /** ISO date to print as "Data últ cot" on the pages made for the two options above. */
  quoteDate?: string;
  /**
   * ISO date the server takes as today: COTAHIST files of later sessions answer 404
   * (default `quoteDate`, else today in São Paulo).
   */
  today?: string;
  /** COTAHIST file names (`COTAHIST_D24052022.ZIP`) answered with B3's HTML "not found" page and HTTP 200. */
  cotahistHtml?: string[];
  /** COTAHIST file names served truncated: a valid zip whose last records are missing, the trailer counting them. */
  cotahistTruncated?: string[];
  /**
   * Tickers whose dividend page shows a changed history: one past row gone, a new one at the top
   * (proventos-pages.ts). The server's `proventosChanged` set can change it while serving.
   */
  proventosChanged?: string[];
  /** Retry-After sent with 429, seconds (default 1). */
  retryAfterSeconds?: number;
  seed?: number;
  port?: number;
}

export interface ReplayStats {
  requests: number;
  faults: Record<FaultKind | 'permanent', number>;
}

export interface ReplayServer {
  url: string;
  /** Base URL of the COTAHIST zips (`<url>/InstDados/SerHist/`), as B3's: give it to a CotahistClient. */
  cotahistUrl: string;
  /** The date the server takes as today (ISO): COTAHIST files of later sessions answer 404. */
  today: string;
  stats: ReplayStats;
  /** Tickers of the synthetic market (empty when not synthetic). */
  tickers: { acoes: string[]; fiis: string[] };
  /** The permanent failures and stalls in force; change them to model a site that recovers. */
  broken: { permanent: Set<string>; stalls: Set<string> };
  /** Tickers served with a changed dividend history (see ReplayOptions.proventosChanged); change it between runs. */
  proventosChanged: Set<string>;
  /**
   * Resolves once no client connection is open: every request a finished client sent has been
   * counted (a request is counted when it arrives, before any latency), so counts read after it are exact.
   */
  settled(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const CHALLENGE =
  '<!DOCTYPE html><html><head><title>Just a moment...</title></head>' +
  '<body><form id="challenge-form"></form><script>window._cf_chl_opt={};</script></body></html>';

/**
 * Serves recorded pages as if it were fundamentus.com.br and B3 (paths, query strings, base64 payloads),
 * and B3's zipped COTAHIST files, made on request (cotahist-files.ts).
 */
export async function startReplayServer(options: ReplayOptions): Promise<ReplayServer> {
  const dir = options.fixturesDir;
  const read = (path: string) => readFileSync(join(dir, path));
  const random = seededRandom(options.seed ?? 42);
  const faultsPerUrl = new Map<string, number>();
  const stats: ReplayStats = {
    requests: 0,
    faults: { '500': 0, '429': 0, timeout: 0, truncate: 0, challenge: 0, permanent: 0 },
  };
  const permanent = new Set(options.permanentFailures ?? []);
  const stalls = new Set(options.stalls ?? []);
  const details = new Map<string, Buffer>();
  for (const name of readdirSync(join(dir, 'fundamentus'))) {
    const match = /^detalhes_([A-Z0-9]+)\.html$/.exec(name);
    if (match) details.set(match[1], read(`fundamentus/${name}`));
  }

  const market = buildMarket(
    {
      listings: { acoes: read('fundamentus/resultado.html'), fiis: read('fundamentus/fii_resultado.html') },
      details,
    },
    {
      syntheticTickers: options.syntheticTickers,
      ownValues: options.ownValues,
      quoteDate: options.quoteDate,
      seed: options.seed ?? 42,
    },
  );
  const { listings, tickers } = market;
  const cotahist = new CotahistFiles({
    today: options.today ?? options.quoteDate ?? saoPauloToday(),
    seed: options.seed ?? 42,
    htmlPages: options.cotahistHtml,
    truncated: options.cotahistTruncated,
  });
  const proventosChanged = new Set(options.proventosChanged ?? []);
  const proventos = new ProventosPages({
    listings,
    today: cotahist.today,
    seed: options.seed ?? 42,
    changed: proventosChanged,
  });

  // Recorded pages are Windows-1252; tickers are ASCII, so a latin1 round trip keeps every byte.
  const renamed = (page: Buffer, from: string, to: string) =>
    Buffer.from(page.toString('latin1').split(from).join(to), 'latin1');
  const notFound =
    details.get('XXXX99') ?? Buffer.from('<html><body><h1>Nenhum papel encontrado</h1></body></html>', 'latin1');
  const detailPage = (ticker: string): Buffer =>
    market.detailPage(ticker) ?? details.get(ticker) ?? renamed(notFound, 'XXXX99', ticker);

  const route = (url: URL): { body: Buffer; type: string; headers?: Record<string, string> } | undefined => {
    if (url.pathname === '/resultado.php') return { body: listings.acoes, type: 'text/html; charset=iso-8859-1' };
    if (url.pathname === '/fii_resultado.php') return { body: listings.fiis, type: 'text/html; charset=iso-8859-1' };
    if (url.pathname === '/detalhes.php')
      return { body: detailPage(url.searchParams.get('papel') ?? ''), type: 'text/html; charset=iso-8859-1' };
    if (url.pathname === PROVENTOS_PATHS.acoes || url.pathname === PROVENTOS_PATHS.fiis) {
      const papel = url.searchParams.get('papel') ?? '';
      return {
        body: proventos.page(papel) ?? renamed(notFound, 'XXXX99', papel),
        type: 'text/html; charset=iso-8859-1',
      };
    }
    if (url.pathname.startsWith(COTAHIST_PATH)) return cotahist.answer(url.pathname.slice(COTAHIST_PATH.length));
    const b3 = /^\/indexProxy\/indexCall\/(GetPortfolioDay|GetTheoricalPortfolio)\/([A-Za-z0-9+/=]+)$/.exec(
      url.pathname,
    );
    if (b3) {
      const payload = JSON.parse(Buffer.from(b3[2], 'base64').toString('utf8')) as { index?: string };
      const file = `b3/${b3[1]}_${payload.index ?? 'IBOV'}_pt-br.json`;
      try {
        return { body: read(file), type: 'application/json; charset=utf-8' };
      } catch {
        return undefined;
      }
    }
    return undefined;
  };

  const injectFault = (key: string): FaultKind | undefined => {
    const rate = options.faultRate ?? 0;
    const kinds = options.faultKinds ?? ['500', '429', 'timeout', 'truncate', 'challenge'];
    const used = faultsPerUrl.get(key) ?? 0;
    if (rate <= 0 || used >= (options.maxFaultsPerUrl ?? 2) || random() >= rate) return undefined;
    faultsPerUrl.set(key, used + 1);
    return kinds[Math.floor(random() * kinds.length)];
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://replay');
    const ticker = url.pathname === '/detalhes.php' ? (url.searchParams.get('papel') ?? '') : '';
    if (permanent.has(ticker)) {
      stats.faults.permanent++;
      res.writeHead(500).end('permanent failure');
      return;
    }
    if (stalls.has(ticker)) return;
    const fault = injectFault(url.pathname + url.search);
    if (fault) stats.faults[fault]++;
    if (fault === 'timeout') return; // never answers; the client's timeout fires
    if (fault === '500') return void res.writeHead(500).end('boom');
    if (fault === '429')
      return void res.writeHead(429, { 'Retry-After': String(options.retryAfterSeconds ?? 1) }).end();
    if (fault === 'challenge') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end(CHALLENGE);
    const found = route(url);
    if (!found) return void res.writeHead(404).end('not found');
    const headers = { ...found.headers, 'Content-Type': found.type, 'Content-Length': String(found.body.length) };
    if (fault === 'truncate') {
      res.writeHead(200, headers);
      res.write(found.body.subarray(0, Math.floor(found.body.length / 3)));
      res.destroy();
      return;
    }
    res.writeHead(200, headers).end(found.body);
  };

  const server: Server = createServer((req, res) => {
    stats.requests++;
    if (options.latencyMs) setTimeout(() => handle(req, res), options.latencyMs);
    else handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    cotahistUrl: `${base}${COTAHIST_PATH}`,
    today: cotahist.today,
    stats,
    tickers,
    broken: { permanent, stalls },
    proventosChanged,
    settled: async (timeoutMs = 10_000) => {
      const open = () => new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n)));
      const until = Date.now() + timeoutMs;
      while ((await open()) > 0) {
        if (Date.now() > until) throw new Error(`replay server: connections still open after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
