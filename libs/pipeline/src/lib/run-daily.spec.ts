import { HyparquetFixedWidthWriter, readPartition, table } from '@b3lake/lake';
import { CotahistNotPublishedError, HttpError } from '@b3lake/scraper';
import { cotahistFile, cotahistHeader, cotahistQuote, zipOf } from '@b3lake/scraper/testing';
import { fixtureSource, tempLake, type TempLake } from '../test-support/lake';
import { cotahistArchiveKey, loadCotahistFile } from './cotahist/load';
import type { DeadLetter, DeadLetterSink } from './dead-letters';
import type { FundamentusSource, HistorySource } from './ports';
import { runDaily, type RunOptions } from './run-daily';
import { readRuns } from './steps/record-run';

/** Dead letters kept in memory per date, as the local file sink keeps them on disk. */
function memorySink(): DeadLetterSink & { byDate: Map<string, DeadLetter[]> } {
  const byDate = new Map<string, DeadLetter[]>();
  return {
    byDate,
    replace: async (date, letters) => void byDate.set(date, [...letters]),
    read: async (date) => [...(byDate.get(date) ?? [])],
  };
}

/** Fixture source that counts detail requests and can fail chosen tickers. */
function countingSource(failing: Set<string> = new Set()): FundamentusSource & { detailRequests: string[] } {
  const detailRequests: string[] = [];
  return {
    detailRequests,
    fetchListingPage: (kind) => fixtureSource.fetchListingPage(kind),
    detailUrl: fixtureSource.detailUrl,
    fetchDetailPage: async (ticker, options) => {
      detailRequests.push(ticker);
      if (failing.has(ticker)) throw Object.assign(new Error(`HTTP 500 for ${ticker}`), { code: 'HTTP_ERROR' });
      return fixtureSource.fetchDetailPage(ticker, options);
    },
  };
}

const DAY = { date: '2022-05-24', kinds: ['acoes', 'fiis'] as const, concurrency: 2 };
const TICKERS = ['HGLG11', 'ITUB4', 'MXRF11', 'PETR4', 'TAEE11', 'VALE3'];

describe('runDaily', () => {
  let lake: TempLake;
  beforeEach(() => {
    lake = tempLake();
    // A clock that moves: each run starts at its own time, as in life (the run id is its start time).
    let tick = 0;
    lake.ctx.clock = { now: () => new Date(Date.UTC(2022, 4, 24, 22, 0, 0, 0) + 1000 * tick++) };
  });
  afterEach(() => lake.cleanup());
  const run = (options: Partial<RunOptions> & { deadLetters: DeadLetterSink }) =>
    runDaily(lake.ctx, { ...DAY, version: '9.9.9', ...options });
  const specTickers = async () =>
    (await readPartition(lake.store('spec'), table('spec_cotacoes'), { anomesdia_exec: 20220524 })).map(
      (r) => r['codigo_ticker_ativo'],
    );

  it('lands a ticker with its SoR row; finalize derives SoT and Spec, no per-ticker SoT or Spec writes', async () => {
    const sink = memorySink();
    const summary = await run({ deadLetters: sink });

    expect(summary.tickers).toEqual({ ok: 6, restored: 0, failed: 0, notAttempted: 0, total: 6 });
    expect(summary.status).toBe('complete');
    expect(sink.byDate.get('2022-05-24')).toEqual([]);
    const perTicker = lake.puts.filter((k) =>
      /^(sot|spec):tb(sot|spec)_fundamentus_(indicadores|cotacao)[^/]*\/[^/]+\/[A-Z0-9]+\.parquet$/.test(k),
    );
    expect(perTicker).toEqual([]);
    expect(await specTickers()).toEqual(TICKERS);
    expect(summary.tables.find((t) => t.table === table('sot_acoes').name)).toMatchObject({ rows: 4, objectsAfter: 1 });
  });

  it('records the run in the manifest with its counts, source dates and version', async () => {
    const summary = await run({ kinds: ['acoes'], deadLetters: memorySink() });
    const [record] = await readRuns(lake.ctx.stores, '2022-05-24');
    expect(record).toMatchObject({
      id: summary.runId,
      businessDate: '2022-05-24',
      status: 'complete',
      kinds: ['acoes'],
      tickers: { listed: 4, landed: 4, fromArchive: 0, deadLettered: 0 },
      sourceDates: { fundamentus: '2022-05-24' },
      warnings: [],
      version: '9.9.9',
      origin: 'local',
    });
  });

  it('warns when the pages’ latest quote is not of the business date', async () => {
    const summary = await run({ date: '2022-05-25', kinds: ['acoes'], deadLetters: memorySink() });
    expect(summary.sourceDates.fundamentus).toBe('2022-05-24');
    expect(summary.warnings).toEqual([
      "Fundamentus' latest quote is of 2022-05-24, not of the business date 2022-05-25",
    ]);
    expect((await readRuns(lake.ctx.stores, '2022-05-25'))[0].warnings).toEqual(summary.warnings);
  });

  it('a re-run fetches nothing that landed: pages come back from the archive, tables are identical', async () => {
    const source = countingSource();
    lake.ctx.fundamentus = source;
    await run({ deadLetters: memorySink() });
    const first = await readPartition(lake.store('sot'), table('sot_acoes'), { anomesdia_exec: 20220524 });
    source.detailRequests.length = 0;

    const again = await run({ deadLetters: memorySink() });
    expect(source.detailRequests).toEqual([]);
    expect(again.tickers).toMatchObject({ ok: 6, restored: 6, total: 6 });
    expect(await readPartition(lake.store('sot'), table('sot_acoes'), { anomesdia_exec: 20220524 })).toEqual(first);

    await run({ deadLetters: memorySink(), force: true });
    expect(source.detailRequests.sort()).toEqual(TICKERS);
  });

  it('a re-run refetches the dead letters; --only-failed fetches nothing else', async () => {
    const failing = new Set(['PETR4']);
    const source = countingSource(failing);
    lake.ctx.fundamentus = source;
    const sink = memorySink();
    const first = await run({ deadLetters: sink });
    expect(first.status).toBe('partial');
    expect(sink.byDate.get('2022-05-24')!.map((l) => [l.ticker, l.code])).toEqual([['PETR4', 'HTTP_ERROR']]);

    failing.clear();
    source.detailRequests.length = 0;
    const retried = await run({ deadLetters: sink, onlyFailed: true });
    expect(source.detailRequests).toEqual(['PETR4']);
    expect(retried).toMatchObject({ status: 'complete', tickers: { ok: 6, restored: 5, failed: 0 } });
    expect(sink.byDate.get('2022-05-24')).toEqual([]);
    expect(await specTickers()).toEqual(TICKERS);
  });

  it('stops cleanly on a signal: no finalize, nothing dead-lettered, the manifest says interrupted', async () => {
    const controller = new AbortController();
    const source = countingSource();
    lake.ctx.fundamentus = {
      ...source,
      fetchDetailPage: async (ticker, options) => {
        if (source.detailRequests.length === 2) controller.abort();
        options?.signal?.throwIfAborted();
        return source.fetchDetailPage(ticker, options);
      },
    };
    const sink = memorySink();
    const stopped = await run({ deadLetters: sink, signal: controller.signal, concurrency: 1 });
    expect(stopped.status).toBe('interrupted');
    expect(stopped.tickers.ok).toBe(2);
    expect(stopped.tickers.notAttempted).toBe(4);
    expect(stopped.tables).toEqual([]);
    expect(sink.byDate.get('2022-05-24')).toEqual([]);
    expect((await readRuns(lake.ctx.stores))[0]).toMatchObject({ status: 'interrupted', tickers: { landed: 2 } });

    lake.ctx.fundamentus = source;
    source.detailRequests.length = 0;
    const resumed = await run({ deadLetters: sink });
    expect(source.detailRequests).toHaveLength(4);
    expect(resumed).toMatchObject({ status: 'complete', tickers: { ok: 6, restored: 2 } });
    expect(await specTickers()).toEqual(TICKERS);
    expect((await readRuns(lake.ctx.stores, '2022-05-24')).map((r) => r.status)).toEqual(['interrupted', 'complete']);
    // A page restored from its archive records the URL it was fetched from, like a fetched one.
    const index = await readPartition(lake.store('sor'), table('raw_pages'), { anomesdia_exec: 20220524 });
    expect(index.map((r) => r['url'])).toEqual(TICKERS.map((t) => `https://fixture/${t}`));
  });

  it('keeps the day’s dead letters of tickers a later run did not attempt; a failed run leaves them', async () => {
    const failing = new Set(['PETR4']);
    lake.ctx.fundamentus = countingSource(failing);
    const sink = memorySink();
    await run({ deadLetters: sink });
    await run({ kinds: ['fiis'], deadLetters: sink });
    expect(sink.byDate.get('2022-05-24')!.map((l) => l.ticker)).toEqual(['PETR4']);
    lake.ctx.fundamentus = { ...countingSource(), fetchListingPage: () => Promise.reject(new Error('down')) };
    await expect(run({ force: true, deadLetters: sink })).rejects.toThrow('down');
    expect(sink.byDate.get('2022-05-24')!.map((l) => l.ticker)).toEqual(['PETR4']);
    expect((await readRuns(lake.ctx.stores, '2022-05-24')).map((r) => r.status)).toEqual([
      'partial',
      'complete',
      'failed',
    ]);
  });

  it('a stop signal that arrives during finalize lets the day finish: complete, not interrupted', async () => {
    const controller = new AbortController();
    const summary = await run({
      deadLetters: memorySink(),
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'phase' && event.phase === 'finalize') controller.abort();
      },
    });
    expect(summary.status).toBe('complete');
    expect(await specTickers()).toEqual(TICKERS);
  });

  it('a --limit run is partial, with a warning saying why', async () => {
    const summary = await run({ limit: 1, deadLetters: memorySink() });
    expect(summary.status).toBe('partial');
    expect(summary.warnings).toContain(
      'limited to the first 1 tickers of each listing (--limit): the day is not complete',
    );
  });
});

/** A COTAHIST zip of the given days (yyyymmdd), PETR4 and HGLG11 on each. */
function cotahistZip(name: string, days: string[]): Buffer {
  const quotes = days.flatMap((date) => [
    cotahistQuote({ date, ticker: 'PETR4' }),
    cotahistQuote({ date, ticker: 'HGLG11', bdi: '12' }),
  ]);
  const text = cotahistFile(quotes).replace(cotahistHeader(), cotahistHeader(days[days.length - 1]));
  return zipOf([{ name: name.replace(/\.ZIP$/, '.TXT'), data: text }]);
}

/** B3's SerHist folder in memory: the files it has, the names asked for; others are not published. */
function historySource(files: Record<string, Buffer>): HistorySource & { requests: string[]; fail?: Error } {
  const source: HistorySource & { requests: string[]; fail?: Error } = {
    requests: [],
    download: async (name) => {
      source.requests.push(name);
      const url = `https://replay/${name}`;
      if (source.fail) throw source.fail;
      const body = files[name];
      if (!body) throw new CotahistNotPublishedError(name, url, 'HTTP 404');
      return {
        url,
        body: (async function* () {
          yield body;
        })(),
        size: body.length,
        cancel: async () => undefined,
      };
    },
  };
  return source;
}

describe('runDaily with the cotahist kind', () => {
  let lake: TempLake;
  const DAY_FILE = 'COTAHIST_D24052022.ZIP';
  beforeEach(() => {
    lake = tempLake();
    lake.ctx.fixedWidth = new HyparquetFixedWidthWriter();
  });
  afterEach(() => lake.cleanup());
  const run = (options: Partial<RunOptions> = {}) =>
    runDaily(lake.ctx, { ...DAY, kinds: ['cotahist'], deadLetters: memorySink(), ...options });

  it('downloads and loads the day’s file; a re-run of the day fetches nothing', async () => {
    const source = historySource({ [DAY_FILE]: cotahistZip(DAY_FILE, ['20220524']) });
    lake.ctx.history = source;
    const first = await run();
    expect(first).toMatchObject({ status: 'complete', warnings: [] });
    expect(first.cotahist).toEqual({
      file: DAY_FILE,
      status: 'loaded',
      downloaded: true,
      quotes: 2,
      spotRows: 2,
      replaced: [],
    });
    expect(first.phaseMs.cotahist).toBeGreaterThanOrEqual(0);
    const spot = await readPartition(lake.store('spec'), table('cotahist_spot'), { ano: 2022 });
    expect(spot.map((r) => r['codigo_ticker']).sort()).toEqual(['HGLG11', 'PETR4']);

    const again = await run();
    expect(source.requests).toEqual([DAY_FILE]);
    expect(again.cotahist).toMatchObject({ status: 'already-loaded', downloaded: false, quotes: 2 });
    await run({ force: true });
    expect(source.requests).toEqual([DAY_FILE, DAY_FILE]);
    // (the runs share one id here: the clock of these specs stands still)
    expect((await readRuns(lake.ctx.stores, '2022-05-24'))[0].kinds).toEqual(['cotahist']);
  });

  it('a file not published yet is a warning of a complete run, and a later run of the day adds it', async () => {
    const files: Record<string, Buffer> = {};
    lake.ctx.history = historySource(files);
    const early = await run();
    expect(early.status).toBe('complete');
    expect(early.cotahist).toMatchObject({ status: 'not-published', quotes: 0 });
    expect(early.warnings).toEqual([expect.stringMatching(/^B3 has not published COTAHIST_D24052022\.ZIP yet/)]);
    expect((await readRuns(lake.ctx.stores, '2022-05-24'))[0].warnings).toEqual(early.warnings);
    files[DAY_FILE] = cotahistZip(DAY_FILE, ['20220524']);
    expect((await run()).cotahist).toMatchObject({ status: 'loaded', quotes: 2 });
  });

  it('fetches nothing when a loaded annual file holds the day; loads an archived file without a request', async () => {
    const annual = 'COTAHIST_A2022.ZIP';
    await lake.store('landing').put(cotahistArchiveKey(annual), cotahistZip(annual, ['20220103', '20220524']));
    await loadCotahistFile(lake.ctx, annual);
    const source = historySource({});
    lake.ctx.history = source;
    expect((await run()).cotahist).toMatchObject({ status: 'covered', coveredBy: annual });
    // The day after: an interrupted run had downloaded it.
    const next = 'COTAHIST_D25052022.ZIP';
    await lake.store('landing').put(cotahistArchiveKey(next), cotahistZip(next, ['20220525']));
    expect((await run({ date: '2022-05-25' })).cotahist).toMatchObject({ status: 'loaded', downloaded: false });
    expect(source.requests).toEqual([]);
  });

  it('a download that fails is dead-lettered as COTAHIST: the run is partial, the other kinds land', async () => {
    const source = historySource({});
    source.fail = new HttpError('GET https://replay/x failed with HTTP 500 after 4 attempt(s).', 'x', 500, 4);
    lake.ctx.history = source;
    const sink = memorySink();
    const summary = await run({ kinds: ['acoes', 'cotahist'], deadLetters: sink });
    expect(summary.status).toBe('partial');
    expect(summary.tickers).toMatchObject({ ok: 4, failed: 0 });
    expect(sink.byDate.get('2022-05-24')!.map((l) => [l.ticker, l.kind, l.code])).toEqual([
      ['COTAHIST', 'cotahist', 'HTTP_ERROR'],
    ]);
    source.fail = undefined;
  });

  it('a stop before the cotahist step leaves it for the re-run: interrupted, nothing fetched', async () => {
    const source = historySource({ [DAY_FILE]: cotahistZip(DAY_FILE, ['20220524']) });
    lake.ctx.history = source;
    const controller = new AbortController();
    controller.abort();
    const summary = await run({ signal: controller.signal });
    expect(summary.status).toBe('interrupted');
    expect(summary.cotahist).toBeUndefined();
    expect(source.requests).toEqual([]);
  });
});
