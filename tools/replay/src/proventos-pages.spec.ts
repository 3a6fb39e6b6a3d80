import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  TickerNotFoundError,
  parseListingPage,
  parseProventosPage,
  type Provento,
  type ProventosPage,
} from '@b3lake/scraper';
import { BASE_1000_BEFORE, PAYMENT_DATES_FROM, proventosHistory, type ProventosAsset } from './proventos-pages';
import { startReplayServer, type ReplayOptions, type ReplayServer } from './replay-server';

const FIXTURES = resolve(__dirname, '../../fixtures');
const fixture = (name: string) => parseProventosPage(readFileSync(`${FIXTURES}/fundamentus/${name}`));

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
};
const pathOf = (ticker: string, kind: 'acoes' | 'fiis') =>
  kind === 'acoes' ? `/proventos.php?papel=${ticker}` : `/fii_proventos.php?papel=${ticker}&tipo=2`;

/** The served listings' tickers, kinds and quotes. */
async function listed(server: ReplayServer): Promise<{ ticker: string; kind: 'acoes' | 'fiis'; price: number }[]> {
  const all = [];
  for (const [kind, path] of [
    ['acoes', '/resultado.php'],
    ['fiis', '/fii_resultado.php'],
  ] as const) {
    for (const row of parseListingPage((await get(`${server.url}${path}`)).body).rows)
      all.push({ ticker: row.ticker, kind, price: (row.values as { vlr_cot: number }).vlr_cot });
  }
  return all;
}

async function page(server: ReplayServer, ticker: string, kind: 'acoes' | 'fiis'): Promise<ProventosPage> {
  return parseProventosPage((await get(`${server.url}${pathOf(ticker, kind)}`)).body, { ticker });
}

const key = (p: Provento) => [p.dataCom, p.tipo, p.valor, p.porQuantasAcoes, p.dataPagamento ?? '-'].join('|');
/** Rows of `a` not in `b`, counting repeats (a multiset difference). */
function minus(a: Provento[], b: Provento[]): Provento[] {
  const left = new Map<string, number>();
  for (const p of b) left.set(key(p), (left.get(key(p)) ?? 0) + 1);
  return a.filter((p) => {
    const n = left.get(key(p)) ?? 0;
    if (n > 0) left.set(key(p), n - 1);
    return n === 0;
  });
}

const perShare = (p: Provento) => p.valor / p.porQuantasAcoes;
const daysBefore = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

describe('replay server: dividend pages', () => {
  let server: ReplayServer;
  const start = async (options: Partial<ReplayOptions> = {}) =>
    (server = await startReplayServer({ fixturesDir: FIXTURES, quoteDate: '2022-05-24', ...options }));
  afterEach(() => server?.stop());

  it.each([
    ['the fixtures', {}],
    ['a synthetic market', { syntheticTickers: 30, quoteDate: '2026-05-20' }],
  ])("serves every listed ticker's history on %s, in the recorded pages' structure", async (_, options) => {
    await start(options);
    const stockHeaders = fixture('proventos_WEGE3.html').headers;
    const fundHeaders = fixture('fii_proventos_HGLG11.html').headers;
    const assets = await listed(server);
    expect(assets.filter((a) => a.kind === 'fiis').length).toBeGreaterThan(1);
    for (const { ticker, kind, price } of assets) {
      const served = await get(`${server.url}${pathOf(ticker, kind)}`);
      expect(served).toMatchObject({ status: 200, type: 'text/html; charset=iso-8859-1' });
      const parsed = parseProventosPage(served.body, { ticker });
      const rows = parsed.distributions;
      expect(parsed).toMatchObject({ ticker, unknownTipos: [], unknownHeaders: [] });
      expect(parsed.warnings).toBeUndefined();
      expect(rows.every((p) => p.dataCom <= server.today)).toBe(true);
      const dates = rows.map((p) => p.dataCom);
      expect(dates).toEqual([...dates].sort().reverse());
      const trailing = rows.filter((p) => p.dataCom > daysBefore(server.today, 365));
      const yearlyYield = trailing.reduce((sum, p) => sum + perShare(p), 0) / price;
      if (kind === 'acoes') {
        expect(parsed.kind).toBe('acao');
        expect(parsed.headers).toEqual(stockHeaders);
        expect(rows.length).toBeGreaterThanOrEqual(40);
        expect(new Set(rows.map((p) => p.categoria))).toEqual(new Set(['dividendo', 'jcp']));
        // Old rows per 1000 shares, no payment date before 2018, several rows on one date.
        const base1000 = rows.filter((p) => p.porQuantasAcoes === 1000);
        expect(base1000.length).toBeGreaterThan(0);
        expect(base1000.every((p) => Number(p.dataCom.slice(0, 4)) < BASE_1000_BEFORE)).toBe(true);
        expect(rows.some((p) => p.dataPagamento === null)).toBe(true);
        expect(rows.every((p) => (p.dataPagamento === null) === p.dataCom < `${PAYMENT_DATES_FROM}`)).toBe(true);
        expect(new Set(dates).size).toBeLessThan(rows.length);
        // The yearly totals are kept apart: each is its year's sum per share, to within 0.001.
        expect(parsed.yearlyTotals.length).toBeGreaterThan(0);
        for (const total of parsed.yearlyTotals) {
          const sum = rows.filter((p) => p.dataCom.startsWith(`${total.ano}`)).reduce((s, p) => s + perShare(p), 0);
          expect(Math.abs(sum - total.valor)).toBeLessThanOrEqual(0.0005 + 1e-9);
        }
        expect(yearlyYield).toBeLessThanOrEqual(0.3);
      } else {
        expect(parsed.kind).toBe('fii');
        expect(parsed.headers).toEqual(fundHeaders);
        expect(parsed.yearlyTotals).toEqual([]);
        expect(rows.length).toBeGreaterThanOrEqual(48);
        expect(new Set(rows.map((p) => p.tipo))).toEqual(new Set(['Rendimento']));
        expect(rows.every((p) => p.dataPagamento !== null && p.dataPagamento > p.dataCom)).toBe(true);
        // Monthly: one data com a month, now and then a second distribution on it.
        const months = new Set(dates.map((d) => d.slice(0, 7)));
        expect(months.size).toBe(new Set(dates).size);
        const monthly = rows.filter((p, i) => dates.indexOf(p.dataCom) === i).map((p) => p.valor / price);
        expect(Math.min(...monthly.slice(0, 12))).toBeGreaterThanOrEqual(0.006);
        expect(Math.max(...monthly.slice(0, 12))).toBeLessThanOrEqual(0.011);
        expect(yearlyYield).toBeGreaterThan(0.07);
        expect(yearlyYield).toBeLessThan(0.14);
      }
    }
  });

  it('writes the bytes the site sends: Windows-1252, the same for the same options', async () => {
    await start();
    const stock = (await get(`${server.url}/proventos.php?papel=PETR4`)).body;
    const fund = (await get(`${server.url}/fii_proventos.php?papel=HGLG11&tipo=2`)).body;
    expect(stock.includes(Buffer.from('Por quantas a\xe7\xf5es', 'latin1'))).toBe(true);
    expect(stock.includes(Buffer.from('Agrupar por ano', 'latin1'))).toBe(true);
    expect(fund.includes(Buffer.from('\xdaltima Data Com', 'latin1'))).toBe(true);
    expect(stock.includes(Buffer.from('ações', 'utf8'))).toBe(false);
    await server.stop();
    await start();
    expect((await get(`${server.url}/proventos.php?papel=PETR4`)).body.equals(stock)).toBe(true);
    expect((await get(`${server.url}/fii_proventos.php?papel=HGLG11&tipo=2`)).body.equals(fund)).toBe(true);
  });

  it('answers a ticker the market does not know with the not-found page', async () => {
    await start();
    for (const path of ['/proventos.php?papel=ZZZZ3', '/fii_proventos.php?papel=ZZZZ11&tipo=2']) {
      const served = await get(`${server.url}${path}`);
      expect(served.status).toBe(200);
      const ticker = /papel=(\w+)/.exec(path)?.[1];
      expect(() => parseProventosPage(served.body, { ticker })).toThrow(TickerNotFoundError);
      expect(() => parseProventosPage(served.body, { ticker })).toThrow(new RegExp(`${ticker} was not found`));
    }
  });

  it("gives a ticker its own kind's page on either path, so a kind mismatch can be tested", async () => {
    await start();
    expect((await page(server, 'HGLG11', 'acoes')).kind).toBe('fii');
    expect((await page(server, 'PETR4', 'fiis')).kind).toBe('acao');
  });

  it.each([
    ['PETR4', 'acoes'],
    ['HGLG11', 'fiis'],
  ] as const)('changes %s history on demand: one past row removed, one new row at the top', async (ticker, kind) => {
    await start();
    const before = await page(server, ticker, kind);
    server.proventosChanged.add(ticker);
    const after = await page(server, ticker, kind);
    const removed = minus(before.distributions, after.distributions);
    const added = minus(after.distributions, before.distributions);
    expect(removed).toHaveLength(1);
    expect(added).toHaveLength(1);
    expect(after.distributions[0]).toEqual(added[0]);
    expect(added[0]).toMatchObject({ dataCom: server.today, dataPagamento: null, porQuantasAcoes: 1 });
    expect(before.distributions.indexOf(removed[0])).toBeGreaterThan(0);
    expect(after.distributions).toHaveLength(before.distributions.length);
    // Other tickers keep their history; switching back restores it.
    const other = kind === 'acoes' ? 'VALE3' : 'MXRF11';
    const otherBefore = await page(server, other, kind);
    server.proventosChanged.delete(ticker);
    expect((await page(server, ticker, kind)).distributions).toEqual(before.distributions);
    expect((await page(server, other, kind)).distributions).toEqual(otherBefore.distributions);
  });

  it('takes the changed tickers as an option (--proventos-changed)', async () => {
    await start();
    const plain = (await get(`${server.url}/proventos.php?papel=ITUB4`)).body;
    await server.stop();
    await start({ proventosChanged: ['ITUB4'] });
    const changed = (await get(`${server.url}/proventos.php?papel=ITUB4`)).body;
    expect(changed.equals(plain)).toBe(false);
    const diff = minus(parseProventosPage(changed).distributions, parseProventosPage(plain).distributions);
    expect(diff).toHaveLength(1);
  });

  it('ends the history at the served today; a later today only adds rows at the top', async () => {
    const asset: ProventosAsset = { ticker: 'ABCD3', kind: 'acoes', price: 30, dividendYield: 0.06 };
    const fund: ProventosAsset = { ticker: 'ABCD11', kind: 'fiis', price: 100, dividendYield: 0.1 };
    for (const a of [asset, fund]) {
      const early = proventosHistory(a, { today: '2022-05-24', seed: 42 });
      const late = proventosHistory(a, { today: '2026-05-20', seed: 42 });
      expect(early.every((r) => r.dataCom <= '2022-05-24')).toBe(true);
      expect(late.length).toBeGreaterThan(early.length);
      expect(late.slice(late.length - early.length)).toEqual(early);
      expect(late.slice(0, late.length - early.length).every((r) => r.dataCom > '2022-05-24')).toBe(true);
      expect(proventosHistory(a, { today: '2022-05-24', seed: 7 })).not.toEqual(early);
    }
    await start({ today: '2022-05-10' });
    expect(server.today).toBe('2022-05-10');
    const rows = (await page(server, 'PETR4', 'acoes')).distributions;
    expect(rows.every((p) => p.dataCom <= '2022-05-10')).toBe(true);
  });
});
