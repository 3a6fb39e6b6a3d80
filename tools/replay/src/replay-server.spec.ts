import { readFileSync } from 'node:fs';
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

  it('serves the recorded pages byte for byte unless asked for own values', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES });
    const served = (await get(`${server.url}/detalhes.php?papel=VALE3`)).body;
    expect(Buffer.from(served).equals(readFileSync(`${FIXTURES}/fundamentus/detalhes_VALE3.html`))).toBe(true);
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

/** Every detail page of a served listing, parsed, beside its listing row. */
async function market(server: ReplayServer, listing: 'resultado' | 'fii_resultado') {
  const rows = parseListingPage((await get(`${server.url}/${listing}.php`)).body).rows;
  return Promise.all(
    rows.map(async (row) => {
      const page = parseDetailPage((await get(`${server.url}/detalhes.php?papel=${row.ticker}`)).body);
      return {
        row,
        values: row.values as Record<string, number | null>,
        page: page.values as unknown as Record<string, number>,
      };
    }),
  );
}

describe('replay server — every ticker its own values', () => {
  let server: ReplayServer;
  afterEach(() => server?.stop());

  it('gives each synthetic stock its own price, 52-week range and indicators', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES, syntheticTickers: 40 });
    const stocks = await market(server, 'resultado');
    expect(stocks).toHaveLength(28);
    expect(new Set(stocks.map((s) => s.page['vlr_cot'])).size).toBe(28);
    expect(new Set(stocks.map((s) => `${s.page['vlr_min_52_sem']}–${s.page['vlr_max_52_sem']}`)).size).toBe(28);
    expect(new Set(stocks.map((s) => s.page['vlr_ind_p_sobre_l'])).size).toBe(28);
    expect(stocks[1].row.name).toBe('AAAB SINTÉTICA');
  });

  it('prints values consistent with each other on every synthetic detail page', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES, syntheticTickers: 40 });
    for (const { page: v } of await market(server, 'resultado')) {
      expect(v['vlr_min_52_sem']).toBeLessThanOrEqual(v['vlr_cot']);
      expect(v['vlr_max_52_sem']).toBeGreaterThanOrEqual(v['vlr_cot']);
      expect(Math.abs(v['vlr_ind_p_sobre_l'] - v['vlr_cot'] / v['vlr_ind_lpa'])).toBeLessThanOrEqual(0.005001);
      expect(Math.abs(v['vlr_ind_p_sobre_vp'] - v['vlr_cot'] / v['vlr_ind_vpa'])).toBeLessThanOrEqual(0.005001);
      expect(Math.abs(v['vlr_mercado'] / (v['vlr_cot'] * v['num_acoes']) - 1)).toBeLessThan(1e-5);
    }
    for (const { page: v } of await market(server, 'fii_resultado')) {
      expect(v['vlr_min_52_sem']).toBeLessThanOrEqual(v['vlr_cot']);
      expect(v['vlr_max_52_sem']).toBeGreaterThanOrEqual(v['vlr_cot']);
      expect(Math.abs(v['vlr_p_sobre_vp'] - v['vlr_cot'] / v['vlr_vp_sobre_cota'])).toBeLessThanOrEqual(0.005001);
    }
  });

  it('prints the same values on a ticker’s listing row as on its detail page', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES, syntheticTickers: 40 });
    for (const { values: l, page: d } of await market(server, 'resultado')) {
      expect([l['vlr_cot'], l['vlr_ind_p_sobre_l'], l['vlr_ind_p_sobre_vp']]).toEqual([
        d['vlr_cot'],
        d['vlr_ind_p_sobre_l'],
        d['vlr_ind_p_sobre_vp'],
      ]);
      expect(Math.abs(l['vlr_ind_div_yield']! - d['vlr_ind_div_yield'])).toBeLessThanOrEqual(0.00051);
      expect(Math.abs(l['vlr_liq_media_2m']! - d['vol_med_neg_2m'])).toBeLessThanOrEqual(0.5);
    }
    for (const { values: l, page: d } of await market(server, 'fii_resultado')) {
      expect([l['vlr_cot'], l['vlr_p_sobre_vp'], l['vlr_mercado']]).toEqual([
        d['vlr_cot'],
        d['vlr_p_sobre_vp'],
        d['vlr_mercado'],
      ]);
      expect(l['qtd_imoveis']).toBe(d['qtd_imoveis']);
    }
  });

  it('serves the same market again from the same seed', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES, syntheticTickers: 10 });
    const first = [
      (await get(`${server.url}/resultado.php`)).body,
      (await get(`${server.url}/detalhes.php?papel=AAAC3`)).body,
    ];
    await server.stop();
    server = await startReplayServer({ fixturesDir: FIXTURES, syntheticTickers: 10 });
    const again = [
      (await get(`${server.url}/resultado.php`)).body,
      (await get(`${server.url}/detalhes.php?papel=AAAC3`)).body,
    ];
    expect(again).toEqual(first);
  });

  it('with own values, a fixture ticker keeps its quote and gets its own range, listing and page alike', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES, ownValues: true, quoteDate: '2022-05-24' });
    const stocks = Object.fromEntries((await market(server, 'resultado')).map((s) => [s.row.ticker, s]));
    const vale = stocks['VALE3'];
    expect([vale.page['vlr_cot'], vale.page['pct_var_dia'], vale.values['vlr_cot']]).toEqual([78.1, 0.0125, 78.1]);
    expect(vale.page['vlr_min_52_sem']).toBeLessThanOrEqual(78.1);
    expect(vale.page['vlr_max_52_sem']).toBeGreaterThanOrEqual(78.1);
    expect(vale.page['vlr_max_52_sem']).not.toBe(stocks['PETR4'].page['vlr_max_52_sem']);
    expect(vale.row.name).toBe('VALE');
    expect(Object.values(stocks).map((s) => s.page['dt_ult_cot'])).toEqual(Array(4).fill('2022-05-24'));
  });

  it('keeps a paper fund without properties: "-" on its page, 0,00 (null) on the listing', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES, ownValues: true });
    const funds = Object.fromEntries((await market(server, 'fii_resultado')).map((s) => [s.row.ticker, s]));
    expect(funds['MXRF11'].values).toMatchObject({ qtd_imoveis: 0, vlr_do_m2: null, vlr_aluguel_por_m2: null });
    expect(funds['MXRF11'].page).toMatchObject({ qtd_imoveis: 0, vlr_do_m2: null });
    expect(funds['HGLG11'].values['qtd_imoveis']).toBe(funds['HGLG11'].page['qtd_imoveis']);
    expect(funds['HGLG11'].values['qtd_imoveis']).toBeGreaterThan(0);
  });
});
