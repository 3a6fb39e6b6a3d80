import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVENTOS_TABLE_COLUMNS as C, readPartition, type Row } from '@b3lake/lake';
import type { FetchedPage } from '@b3lake/scraper';
import { FIXTURES, fixtureSource, tempLake, type TempLake } from '../../test-support/lake';
import type { DeadLetter, DeadLetterSink } from '../dead-letters';
import type { AssetKind, FundamentusSource } from '../ports';
import { defaultRunKinds, runDaily, type RunOptions } from '../run-daily';
import { readRuns } from '../steps/record-run';
import { proventosDue } from './run';
import { PROVENTOS, proventosArchiveKey } from './step';

const WEGE3 = readFileSync(join(FIXTURES, 'fundamentus', 'proventos_WEGE3.html')).toString('latin1');
const HGLG11 = readFileSync(join(FIXTURES, 'fundamentus', 'fii_proventos_HGLG11.html')).toString('latin1');
const ACOES = ['ITUB4', 'PETR4', 'TAEE11', 'VALE3'];
const FIIS = ['HGLG11', 'MXRF11'];
const TICKERS = [...ACOES, ...FIIS].sort();

/** The distribution rows of a dividend page (`<tr>` … `</tr>` inside its `<tbody>`). */
function rowsOf(html: string): string[] {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return body.match(/<tr[\s\S]*?<\/tr>/g) ?? [];
}

/** The fixture listings and detail pages; each ticker's dividend page is WEGE3's or HGLG11's, renamed. */
function dividendSource() {
  const requests: string[] = [];
  const listingRequests: AssetKind[] = [];
  const failing = new Set<string>();
  /** Tickers whose page lost its 5th row and gained a new one on top. */
  const changed = new Set<string>();
  let onRequest: (ticker: string) => void = () => undefined;
  const pageOf = (ticker: string, kind: AssetKind): string => {
    const base = kind === 'acoes' ? WEGE3 : HGLG11;
    let html = base.replaceAll(kind === 'acoes' ? 'WEGE3' : 'HGLG11', ticker);
    if (changed.has(ticker)) {
      const rows = rowsOf(html);
      const top =
        kind === 'acoes'
          ? rows[0].replace('20/03/2026', '24/11/2026')
          : rows[0].replace(/\d\d\/\d\d\/20\d\d/, '30/11/2026');
      html = html.replace(rows[4], '').replace(rows[0], top + rows[0]);
    }
    return html;
  };
  const source: FundamentusSource = {
    fetchListingPage: (kind) => {
      listingRequests.push(kind);
      return fixtureSource.fetchListingPage(kind);
    },
    fetchDetailPage: fixtureSource.fetchDetailPage,
    detailUrl: fixtureSource.detailUrl,
    fetchProventosPage: async (ticker, kind, options): Promise<FetchedPage> => {
      requests.push(ticker);
      onRequest(ticker);
      options?.signal?.throwIfAborted();
      if (failing.has(ticker)) throw Object.assign(new Error(`HTTP 500 for ${ticker}`), { code: 'HTTP_ERROR' });
      return {
        url: `https://fixture/proventos/${ticker}`,
        status: 200,
        headers: new Headers(),
        body: Buffer.from(pageOf(ticker, kind), 'latin1'),
        attempts: 1,
        fetchedAt: new Date(),
      };
    },
  };
  return {
    source,
    requests,
    listingRequests,
    failing,
    changed,
    set onRequest(fn: (ticker: string) => void) {
      onRequest = fn;
    },
  };
}

function memorySink(): DeadLetterSink & { byDate: Map<string, DeadLetter[]> } {
  const byDate = new Map<string, DeadLetter[]>();
  return {
    byDate,
    replace: async (date, letters) => void byDate.set(date, [...letters]),
    read: async (date) => [...(byDate.get(date) ?? [])],
  };
}

const FRIDAY = '2022-05-27';

describe('proventosDue: the weekly dividend run', () => {
  it('is the last trading day of the week: Friday, or Thursday when Friday is a holiday', () => {
    expect(proventosDue('2022-05-27')).toBe(true); // Friday
    expect(['2022-05-23', '2022-05-24', '2022-05-25', '2022-05-26'].map(proventosDue)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(proventosDue('2022-05-28')).toBe(false); // Saturday
    expect(proventosDue('2022-04-14')).toBe(true); // Thursday before Good Friday
    expect(proventosDue('2022-04-15')).toBe(false); // Good Friday
    expect(proventosDue('2021-12-23')).toBe(true); // Dec 24 on a Friday
    expect(proventosDue('2022-06-15')).toBe(false); // Wednesday before Corpus Christi: Friday still trades
    expect(proventosDue('2022-06-17')).toBe(true);
  });

  it('adds proventos to the default kinds on that day only', () => {
    expect(defaultRunKinds('2022-05-26')).toEqual(['acoes', 'fiis', 'ibov', 'cotahist']);
    expect(defaultRunKinds('2022-05-27')).toEqual(['acoes', 'fiis', 'ibov', 'cotahist', 'proventos']);
  });
});

describe('runDaily with the proventos kind', () => {
  let lake: TempLake;
  let src: ReturnType<typeof dividendSource>;
  beforeEach(() => {
    lake = tempLake();
    let tick = 0;
    lake.ctx.clock = { now: () => new Date(Date.UTC(2022, 4, 27, 22, 0, 0, 0) + 1000 * tick++) };
    src = dividendSource();
    lake.ctx.fundamentus = src.source;
  });
  afterEach(() => lake.cleanup());
  const run = (options: Partial<RunOptions> = {}) =>
    runDaily(lake.ctx, {
      date: FRIDAY,
      kinds: ['proventos'],
      concurrency: 2,
      deadLetters: memorySink(),
      version: '9.9.9',
      ...options,
    });
  const history = (ticker: string) => readPartition(lake.store('sot'), PROVENTOS, { ticker });
  const everything = async () => {
    const all: Record<string, Row[]> = {};
    for (const ticker of TICKERS) all[ticker] = await history(ticker);
    return all;
  };

  it("fetches every listed stock's and FII's page once, replaces each history, records the run", async () => {
    const summary = await run();
    expect(src.requests.sort()).toEqual(TICKERS);
    expect(src.listingRequests.sort()).toEqual(['acoes', 'fiis']);
    const p = summary.proventos!;
    expect(p.listed).toEqual({ acoes: 4, fiis: 2 });
    expect(p.tickers).toEqual({ total: 6, fetched: 6, restored: 0, failed: 0, notAttempted: 0 });
    const tables = await everything();
    const rows = Object.values(tables).reduce((n, r) => n + r.length, 0);
    expect(p.rows).toBe(rows);
    expect(p.added).toBe(rows);
    expect(p.removed).toBe(0);
    expect(p.changed).toEqual([]);
    expect(p.perTicker.map((t) => [t.ticker, t.source, t.firstFetch])).toEqual(
      TICKERS.map((t) => [t, 'fetched', true]),
    );
    expect(tables['PETR4'][0]).toMatchObject({ [C.ticker]: 'PETR4', [C.kind]: 'acao' });
    expect(tables['MXRF11'][0]).toMatchObject({ [C.ticker]: 'MXRF11', [C.kind]: 'fii' });
    expect(summary.status).toBe('complete');
    expect(summary.phaseMs.proventos).toBeGreaterThanOrEqual(0);
    expect(lake.refreshed).toBeGreaterThan(0);
    // A run of dividend pages alone: the manifest counts them.
    expect((await readRuns(lake.ctx.stores, FRIDAY))[0]).toMatchObject({
      status: 'complete',
      kinds: ['proventos'],
      tickers: { listed: 6, landed: 6, fromArchive: 0, deadLettered: 0 },
      warnings: [],
    });
  });

  it('a re-run of the day requests nothing and writes identical rows (rebuilt from the archived pages)', async () => {
    await run();
    const first = await everything();
    src.requests.length = 0;
    src.listingRequests.length = 0;
    const again = await run();
    expect(src.requests).toEqual([]);
    expect(src.listingRequests).toEqual([]);
    expect(again.proventos).toMatchObject({
      tickers: { fetched: 0, restored: 6 },
      added: 0,
      removed: 0,
      rows: again.proventos!.rows,
    });
    expect(again.proventos!.perTicker.every((t) => t.source === 'archive' && !t.firstFetch)).toBe(true);
    expect(await everything()).toEqual(first);
    // Another day of the week fetches again: the same rows, a later ts_extracao.
    const monday = await run({ date: '2022-05-30' });
    expect(src.requests).toHaveLength(6);
    expect(monday.proventos).toMatchObject({ added: 0, removed: 0 });
    const strip = (all: Record<string, Row[]>) =>
      Object.values(all).map((rows) => rows.map(({ [C.fetchedAt]: _, ...row }) => row));
    expect(strip(await everything())).toEqual(strip(first));
    // --force fetches every page again.
    await run({ force: true });
    expect(src.requests).toHaveLength(12);
  });

  it('a page archived by a run stopped before writing its history is rebuilt from the archive', async () => {
    await run({ tickers: ['HGLG11'] });
    const before = await history('HGLG11');
    const [object] = await lake.store('sot').list('tbsot_fundamentus_proventos/ticker=HGLG11/');
    await lake.store('sot').delete([object.key]);
    src.requests.length = 0;
    const again = await run({ tickers: ['HGLG11'] });
    expect(src.requests).toEqual([]);
    expect(again.proventos).toMatchObject({ tickers: { restored: 1 }, added: before.length });
    const after = await history('HGLG11');
    expect(after.map((r) => r[C.id])).toEqual(before.map((r) => r[C.id]));
  });

  it('a re-run of an older day keeps the newer history a later fetch wrote', async () => {
    await run({ date: '2022-05-20', tickers: ['PETR4'] });
    src.changed.add('PETR4');
    const later = await run({ tickers: ['PETR4'] });
    expect(later.proventos).toMatchObject({ added: 1, removed: 1 });
    const newer = await history('PETR4');
    const older = await run({ date: '2022-05-20', tickers: ['PETR4'] });
    expect(older.proventos).toMatchObject({ tickers: { restored: 1 }, added: 0, removed: 0 });
    expect(await history('PETR4')).toEqual(newer);
  });

  it('reports a changed history in the summary and as a warning in the manifest', async () => {
    await run();
    src.changed.add('HGLG11');
    src.changed.add('PETR4');
    const before = await history('PETR4');
    const summary = await run({ date: '2022-06-03' });
    expect(summary.status).toBe('complete');
    const p = summary.proventos!;
    expect(p).toMatchObject({ added: 2, removed: 2 });
    expect(p.changed.map((c) => [c.ticker, c.removed.length, c.added.length])).toEqual([
      ['HGLG11', 1, 1],
      ['PETR4', 1, 1],
    ]);
    expect(p.changed[1].removed).toEqual([before[4][C.id]]);
    expect(p.changed[1].added).toEqual([expect.stringMatching(/^2026-11-24\|/)]);
    expect(p.perTicker.find((t) => t.ticker === 'VALE3')).toMatchObject({ added: 0, removed: 0 });
    const warning = `proventos PETR4: history changed since its previous snapshot: 1 row removed (${String(
      before[4][C.id],
    )}); 1 row added (${p.changed[1].added[0]})`;
    expect(summary.warnings).toContain(warning);
    const [record] = await readRuns(lake.ctx.stores, '2022-06-03');
    expect(record.warnings).toEqual(summary.warnings);
    expect(record.warnings.filter((w) => /history changed/.test(w))).toHaveLength(2);
  });

  it('dead-letters a page that still fails (kind proventos); a re-run fetches only it again', async () => {
    src.failing.add('VALE3');
    const sink = memorySink();
    const first = await run({ deadLetters: sink });
    expect(first.status).toBe('partial');
    expect(first.proventos!.tickers).toMatchObject({ fetched: 5, failed: 1 });
    expect(sink.byDate.get(FRIDAY)!.map((l) => [l.ticker, l.kind, l.code])).toEqual([
      ['VALE3', 'proventos', 'HTTP_ERROR'],
    ]);
    src.failing.clear();
    src.requests.length = 0;
    const retried = await run({ deadLetters: sink, onlyFailed: true });
    expect(src.requests).toEqual(['VALE3']);
    expect(retried).toMatchObject({ status: 'complete', proventos: { tickers: { fetched: 1, restored: 5 } } });
    expect(sink.byDate.get(FRIDAY)).toEqual([]);
  });

  it("keeps a ticker's detail-page dead letter apart from its dividend page's", async () => {
    const sink = memorySink();
    await sink.replace(FRIDAY, [
      {
        ticker: 'PETR4',
        kind: 'acoes',
        code: 'HTTP_ERROR',
        errorType: 'HTTP_ERROR',
        message: 'x',
        attempts: 4,
        retryable: true,
        at: '2022-05-27T21:00:00.000Z',
      },
    ]);
    const summary = await run({ deadLetters: sink });
    expect(summary.proventos!.tickers.fetched).toBe(6);
    expect(sink.byDate.get(FRIDAY)!.map((l) => [l.ticker, l.kind])).toEqual([['PETR4', 'acoes']]);
  });

  it('stops cleanly on a signal: interrupted, nothing dead-lettered; the re-run lands the rest', async () => {
    const controller = new AbortController();
    src.onRequest = () => {
      if (src.requests.length === 3) controller.abort();
    };
    const sink = memorySink();
    const stopped = await run({ deadLetters: sink, signal: controller.signal, concurrency: 1 });
    expect(stopped.status).toBe('interrupted');
    const landed = stopped.proventos!.tickers.fetched;
    expect(landed).toBeGreaterThanOrEqual(2);
    expect(stopped.proventos!.tickers.notAttempted).toBe(6 - landed);
    expect(sink.byDate.get(FRIDAY)).toEqual([]);
    src.onRequest = () => undefined;
    src.requests.length = 0;
    const resumed = await run({ deadLetters: sink });
    expect(resumed).toMatchObject({
      status: 'complete',
      proventos: { tickers: { fetched: 6 - landed, restored: landed } },
    });
    expect(src.requests).toHaveLength(6 - landed);
  });

  it('--tickers fetches only those; a ticker on neither listing is a warning and the run is partial', async () => {
    const summary = await run({ tickers: ['MXRF11', 'PETR4', 'NOPE3'] });
    expect(src.requests.sort()).toEqual(['MXRF11', 'PETR4']);
    expect(summary.proventos).toMatchObject({ listed: { acoes: 1, fiis: 1 }, notListed: ['NOPE3'] });
    expect(summary.status).toBe('partial');
    expect(summary.warnings).toContain("proventos: not on the day's listings, nothing fetched for NOPE3 (--tickers)");
  });

  it('with the daily kinds, reuses their listings and lists only the kind they lack', async () => {
    const summary = await run({ kinds: ['acoes', 'proventos'] });
    expect(src.listingRequests.sort()).toEqual(['acoes', 'fiis']);
    expect(summary.tickers).toMatchObject({ ok: 4, total: 4 });
    expect(summary.proventos!.tickers).toMatchObject({ total: 6, fetched: 6 });
    expect(summary.status).toBe('complete');
    expect(
      lake.puts.filter((k) => k.startsWith(`landing:${proventosArchiveKey(20220527, 'acoes', 'X').slice(0, 30)}`)),
    ).toHaveLength(6);
    // The manifest counts the detail pages when the run has them.
    expect((await readRuns(lake.ctx.stores, FRIDAY))[0].tickers).toMatchObject({ listed: 4, landed: 4 });
  });
});
