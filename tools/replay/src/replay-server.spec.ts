import { resolve } from 'node:path';
import { parseDetailPage, parseListingPage, parsePortfolioJson } from '@b3lake/scraper';
import { startReplayServer, type ReplayServer } from './replay-server';
import { syntheticTicker } from './synthetic';

const FIXTURES = resolve(__dirname, '../../fixtures');
const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: new Uint8Array(await res.arrayBuffer()), headers: res.headers };
};

describe('replay server', () => {
  let server: ReplayServer;
  afterEach(() => server?.stop());

  it('serves the fixture pages at Fundamentus and B3 paths, base64 payload included', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES });
    expect(parseDetailPage((await get(`${server.url}/detalhes.php?papel=PETR4`)).body).ticker).toBe('PETR4');
    expect(parseListingPage((await get(`${server.url}/resultado.php`)).body).rows).toHaveLength(4);
    const payload = Buffer.from(
      JSON.stringify({ language: 'pt-br', pageNumber: 1, pageSize: 9999, index: 'IBOV', segment: '1' }),
    ).toString('base64');
    expect(
      parsePortfolioJson((await get(`${server.url}/indexProxy/indexCall/GetPortfolioDay/${payload}`)).body).date,
    ).toBe('2022-05-24');
    const unknown = await get(`${server.url}/detalhes.php?papel=ZZZZ3`);
    expect(() => parseDetailPage(unknown.body, { ticker: 'ZZZZ3' })).toThrow(/ZZZZ3 was not found/);
  });

  it('builds a synthetic market of N tickers from the recorded pages', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES, syntheticTickers: 10 });
    expect(server.tickers.acoes).toHaveLength(7);
    expect(server.tickers.fiis).toHaveLength(3);
    const listing = parseListingPage((await get(`${server.url}/fii_resultado.php`)).body);
    expect(listing.rows.map((r) => r.ticker)).toEqual(server.tickers.fiis);
    const page = parseDetailPage((await get(`${server.url}/detalhes.php?papel=${server.tickers.acoes[1]}`)).body);
    expect(page).toMatchObject({ ticker: syntheticTicker(1, 'acoes'), kind: 'acao' });
  });

  it('caps transient faults per URL so a client that retries gets through', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES, faultRate: 1, faultKinds: ['500'], maxFaultsPerUrl: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(`${server.url}/detalhes.php?papel=PETR4`)).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect(server.stats.faults['500']).toBe(2);
  });

  it('sends Retry-After with 429 and can fail a ticker permanently', async () => {
    server = await startReplayServer({
      fixturesDir: FIXTURES,
      faultRate: 1,
      faultKinds: ['429'],
      maxFaultsPerUrl: 1,
      retryAfterSeconds: 3,
      permanentFailures: ['VALE3'],
    });
    const limited = await get(`${server.url}/resultado.php`);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    for (let i = 0; i < 3; i++) expect((await get(`${server.url}/detalhes.php?papel=VALE3`)).status).toBe(500);
  });

  it('adds latency to every response', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES, latencyMs: 120 });
    const start = Date.now();
    await get(`${server.url}/resultado.php`);
    expect(Date.now() - start).toBeGreaterThanOrEqual(110);
  });
});
