import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFsStore } from '@b3lake/lake';
import { cotahistArchiveKey, isComplete, loadedFiles, type LoadedFile } from '@b3lake/pipeline';
import { cotahistFile, cotahistHeader, cotahistQuote, zipOf } from '@b3lake/scraper/testing';
import { backfillReporter, fileDoneLine, megabytes, stageLine, stageRemainingMs } from '../backfill-progress';
import { cli } from '../test-support/run-cli';
import { byYear, formatReport, type BackfillReport, type FileReport } from './backfill-report';
import { planBackfill, planLine, yearOrDay, type RangeEnd } from './backfill';

const ledgerRow = (file: string, firstDate: string, lastDate: string, generatedOn = lastDate): LoadedFile => ({
  file,
  kind: file.startsWith('COTAHIST_A') ? 'annual' : file.startsWith('COTAHIST_M') ? 'monthly' : 'daily',
  generatedOn,
  firstDate,
  lastDate,
  records: 4,
  quotes: 2,
  spotRows: 2,
  bytes: 100,
  sha256: 'x',
  loadedAt: new Date('2026-01-01T00:00:00Z'),
});

describe('the backfill report', () => {
  const file = (name: string, outcome: FileReport['outcome']): FileReport => ({
    file: name,
    year: 2022,
    outcome,
    downloadedBytes: 0,
    quotes: 0,
    spotRows: 0,
    seconds: 0,
    replaced: [],
  });
  const report = (files: FileReport[]): BackfillReport => ({
    source: 'cotahist',
    from: '2022-05-16',
    to: '2022-05-18',
    status: 'complete',
    plan: { toFetch: files.length, fromArchive: 0, alreadyLoaded: 0, covered: 0, nonTradingDays: 0 },
    files,
    years: byYear(files),
    durationMs: 10,
    peakRssMb: 100,
  });

  it('points at --cotahist-url when not one of the files asked for was found', () => {
    const missing = ['COTAHIST_D16052022.ZIP', 'COTAHIST_D17052022.ZIP'].map((f) => file(f, 'not-published'));
    expect(formatReport(report(missing), '/lake', 'data')).toMatch(
      /none of the 2 files asked for was found: if they should be there, check --cotahist-url/,
    );
    const some = [...missing, file('COTAHIST_D18052022.ZIP', 'loaded')];
    expect(formatReport(report(some), '/lake', 'data')).not.toMatch(/none of the/);
  });
});

describe('planning a backfill from the ledger and the archive', () => {
  const years = (from: number, to: number): [RangeEnd, RangeEnd] => [{ year: from }, { year: to }];
  const days = (from: string, to: string): [RangeEnd, RangeEnd] => [yearOrDay(from), yearOrDay(to)];
  const state = (loaded: LoadedFile[] = [], archived: string[] = []) => ({
    loaded: (year: number) => loaded.filter((f) => f.file.includes(String(year))),
    archived: () => new Set(archived),
  });
  const TODAY = '2026-11-30';

  it('skips a past year whose file holds its last session, fetches one cut short and one never loaded', () => {
    const plan = planBackfill(
      ...years(2019, 2021),
      state([
        ledgerRow('COTAHIST_A2019.ZIP', '2019-01-02', '2019-12-30'),
        ledgerRow('COTAHIST_A2020.ZIP', '2020-01-02', '2020-06-30'),
      ]),
      { today: TODAY },
    );
    expect(plan.files).toEqual([
      { file: 'COTAHIST_A2019.ZIP', year: 2019, action: 'skip', reason: 'loaded' },
      { file: 'COTAHIST_A2020.ZIP', year: 2020, action: 'fetch', refresh: true },
      { file: 'COTAHIST_A2021.ZIP', year: 2021, action: 'fetch' },
    ]);
    expect(planLine(plan)).toBe('2 files to fetch (1 incomplete when loaded), 1 already loaded');
  });

  it("fetches this year's file again once it lacks the last session before today", () => {
    const upToDate = ledgerRow('COTAHIST_A2026.ZIP', '2026-01-02', '2026-11-27');
    const behind = ledgerRow('COTAHIST_A2026.ZIP', '2026-01-02', '2026-11-26');
    expect(isComplete(upToDate, TODAY)).toBe(true);
    expect(isComplete(behind, TODAY)).toBe(false);
    expect(isComplete(upToDate, '2026-12-01')).toBe(false);
    const plan = (row: LoadedFile) => planBackfill(...years(2026, 2026), state([row]), { today: TODAY }).files[0];
    expect(plan(upToDate)).toMatchObject({ action: 'skip', reason: 'loaded' });
    expect(plan(behind)).toMatchObject({ action: 'fetch', refresh: true });
  });

  it('leaves out weekends and holidays, skips days loaded or held by an annual file, loads an archive', () => {
    const plan = planBackfill(
      ...days('2021-03-25', '2021-04-06'),
      state(
        [
          ledgerRow('COTAHIST_D25032021.ZIP', '2021-03-25', '2021-03-25'),
          ledgerRow('COTAHIST_M032021.ZIP', '2021-03-01', '2021-03-31'),
        ],
        ['COTAHIST_D05042021.ZIP'],
      ),
      { today: TODAY },
    );
    // Good Friday (2021-04-02) and two weekends are left out.
    expect(plan.nonTradingDays).toBe(5);
    expect(plan.files.map((f) => [f.file, f.action, f.reason ?? f.coveredBy ?? ''])).toEqual([
      ['COTAHIST_D25032021.ZIP', 'skip', 'loaded'],
      ['COTAHIST_D26032021.ZIP', 'skip', 'covered'],
      ['COTAHIST_D29032021.ZIP', 'skip', 'covered'],
      ['COTAHIST_D30032021.ZIP', 'skip', 'covered'],
      ['COTAHIST_D31032021.ZIP', 'skip', 'covered'],
      ['COTAHIST_D01042021.ZIP', 'fetch', ''],
      ['COTAHIST_D05042021.ZIP', 'archive', ''],
      ['COTAHIST_D06042021.ZIP', 'fetch', ''],
    ]);
    expect(plan.files[1].coveredBy).toBe('COTAHIST_M032021.ZIP');
    expect(planLine(plan)).toBe(
      '2 files to fetch, 1 to load from the archive an earlier run downloaded, 1 already loaded, ' +
        '4 days held by a loaded annual or monthly file, 5 days left out (weekends and B3 holidays)',
    );
    const forced = planBackfill(...days('2021-03-25', '2021-04-06'), state(), { force: true, today: TODAY });
    expect(forced.files.every((f) => f.action === 'fetch')).toBe(true);
  });

  it('reads --from and --to as a year or a day', () => {
    expect(yearOrDay('2021')).toEqual({ year: 2021 });
    expect(yearOrDay('2021-03-26')).toEqual({ year: 2021, date: '2021-03-26' });
    expect(() => yearOrDay('1985')).toThrow(/start in 1986/);
    expect(() => yearOrDay('2021-02-30')).toThrow(/a year YYYY .* or a day YYYY-MM-DD/);
    expect(() => yearOrDay('21')).toThrow(/a year YYYY/);
  });
});

describe('backfill progress', () => {
  it('shows bytes, MB/s and ETA while downloading, records/s and ETA while loading', () => {
    const title = '[3/12] COTAHIST_A2021.ZIP';
    expect(stageLine(title, { stage: 'download', bytes: 45_200_000, size: 89_100_000, elapsedMs: 4000 })).toBe(
      'b3lake: [3/12] COTAHIST_A2021.ZIP download [#####.....] 45.2/89.1 MB  ETA 0:04  11.3 MB/s',
    );
    const load = {
      stage: 'load' as const,
      sourceBytes: 44_550_000,
      size: 89_100_000,
      records: 410_000,
      elapsedMs: 2000,
    };
    expect(stageLine(title, load)).toBe(
      'b3lake: [3/12] COTAHIST_A2021.ZIP load [#####.....] 410,000 records  ETA 0:02  205,000 records/s',
    );
    expect(stageRemainingMs({ stage: 'download', bytes: 10, elapsedMs: 5 })).toBeUndefined();
    expect(megabytes(36_200)).toBe('36.2 kB');
    expect(stageLine('[1/1] D', { stage: 'download', bytes: 400, size: 800, elapsedMs: 0 })).toBe(
      'b3lake: [1/1] D download [#####.....] 0.4/0.8 kB  ETA -:--',
    );
    expect(
      fileDoneLine(title, {
        downloadedBytes: 89_100_000,
        downloadMs: 7200,
        quotes: 1_000_402,
        spotRows: 412_345,
        loadMs: 4100,
      }),
    ).toBe(
      'b3lake: [3/12] COTAHIST_A2021.ZIP: 89.1 MB downloaded in 7.2 s; 1,000,402 records (412,345 spot rows) ' +
        'loaded in 4.1 s, 244,000 records/s',
    );
  });
});

describe('the backfill reporter', () => {
  const capture = (tty: boolean) => {
    const err: string[] = [];
    const writes: string[] = [];
    const reporter = backfillReporter({ out: () => undefined, err: (t) => err.push(t), isTty: tty }, tty, (t) =>
      writes.push(t),
    );
    return { err, writes, reporter };
  };

  it('on a terminal redraws one line per file, then leaves its result and nothing after it', () => {
    const { err, writes, reporter } = capture(true);
    reporter.start('download', '[1/2] COTAHIST_A2021.ZIP');
    reporter.bytes(800_000, 800_000);
    reporter.start('load', '[1/2] COTAHIST_A2021.ZIP');
    reporter.load({ sourceBytes: 800_000, size: 800_000, quotes: 3000 });
    reporter.done('b3lake: [1/2] COTAHIST_A2021.ZIP: loaded');
    reporter.end();
    expect(writes.some((w) => w.includes('download [##########] 0.8/0.8 MB'))).toBe(true);
    expect(writes.some((w) => w.includes('load [##########] 3,000 records'))).toBe(true);
    expect(writes[writes.length - 1]).toBe('\r\x1b[2K');
    expect(err).toEqual(['b3lake: [1/2] COTAHIST_A2021.ZIP: loaded']);
  });

  it('in a log prints every 10% of a large file only, and each result', () => {
    const { err, writes, reporter } = capture(false);
    reporter.start('download', '[1/1] COTAHIST_A2021.ZIP');
    for (let mb = 1; mb <= 10; mb++) reporter.bytes(mb * 1e6, 10e6);
    reporter.start('download', '[1/1] COTAHIST_D26032021.ZIP');
    for (let kb = 1; kb <= 10; kb++) reporter.bytes(kb * 1e3, 10e3);
    reporter.done('b3lake: [1/1] COTAHIST_D26032021.ZIP: loaded');
    expect(writes).toEqual([]);
    expect(err.map((line) => line.replace(/, \d+:\d+ elapsed.*/, ''))).toEqual([
      ...[10, 20, 30, 40, 50, 60, 70, 80, 90].map((p) => `b3lake: [1/1] COTAHIST_A2021.ZIP download ${p}%`),
      'b3lake: [1/1] COTAHIST_D26032021.ZIP: loaded',
    ]);
  });
});

/** B3's SerHist folder on 127.0.0.1: zips by name, 404 for the rest, 500 for `failing`; every request counted. */
async function serHist(files: Map<string, Buffer>, failing: Set<string>) {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '').replace(/^\/SerHist\//, '');
    requests.push(name);
    if (failing.has(name)) return void res.writeHead(500).end('boom');
    const body = files.get(name);
    if (!body) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': String(body.length) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/SerHist/`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A zip of PETR4, a FII and an option on each day (yyyymmdd), generated on the last day. */
function cotahistZip(name: string, days: string[]): Buffer {
  const quotes = days.flatMap((date, i) => [
    cotahistQuote({ date, ticker: 'PETR4', prices: Array(7).fill(2300 + i) }),
    cotahistQuote({ date, ticker: 'HGLG11', bdi: '12' }),
    cotahistQuote({ date, ticker: 'PETRD240', bdi: '78', market: 70, expiry: '20221219' }),
  ]);
  const text = cotahistFile(quotes).replace(cotahistHeader(), cotahistHeader(days[days.length - 1]));
  return zipOf([{ name: name.replace(/\.ZIP$/, '.TXT'), data: text }]);
}

describe('b3lake backfill cotahist', () => {
  jest.setTimeout(60_000);
  const files = new Map<string, Buffer>([
    ['COTAHIST_A2020.ZIP', cotahistZip('COTAHIST_A2020.ZIP', ['20200102', '20201230'])],
    ['COTAHIST_A2021.ZIP', cotahistZip('COTAHIST_A2021.ZIP', ['20210104', '20210326', '20211230'])],
    ['COTAHIST_A2022.ZIP', cotahistZip('COTAHIST_A2022.ZIP', ['20220103', '20220523', '20220524'])],
    ['COTAHIST_D23052022.ZIP', cotahistZip('COTAHIST_D23052022.ZIP', ['20220523'])],
    ['COTAHIST_D24052022.ZIP', cotahistZip('COTAHIST_D24052022.ZIP', ['20220524'])],
  ]);
  const failing = new Set<string>();
  let b3: Awaited<ReturnType<typeof serHist>>;
  let dir: string;
  beforeAll(async () => {
    b3 = await serHist(files, failing);
  });
  afterAll(() => b3.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'b3lake-cli-backfill-'));
    b3.requests.length = 0;
    failing.clear();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const backfill = (...args: string[]) =>
    cli('backfill', 'cotahist', '--cotahist-url', b3.url, '--min-interval', '0', '--data-dir', dir, ...args);
  const sot = () => new LocalFsStore(join(dir, 'lake', 'sot'));
  const parquetFiles = () =>
    (readdirSync(join(dir, 'lake'), { recursive: true, encoding: 'utf8' }) as string[])
      .filter((f) => f.endsWith('.parquet') || f.endsWith('.ZIP'))
      .sort();

  it('loads years, prints a summary per year; a re-run requests and writes nothing', async () => {
    const first = await backfill('--from', '2020', '--to', '2021');
    expect(first.err).toMatch(/backfill cotahist 2020 to 2021: 2 files to fetch, 0 already loaded/);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Backfill cotahist 2020 to 2021 complete in /);
    expect(first.out).toMatch(/^2020 +1 +6 +4 /m);
    expect(first.out).toMatch(/^2021 +1 +9 +6 /m);
    expect(first.out).toMatch(/total: 2 files loaded, 15 records, 10 spot rows/);
    expect(first.out).toContain(`tbspec_b3_cotacoes_diarias WHERE codigo_ticker = 'PETR4'`);
    expect(b3.requests).toEqual(['COTAHIST_A2020.ZIP', 'COTAHIST_A2021.ZIP']);
    expect((await loadedFiles(sot(), 2021)).map((f) => [f.file, f.lastDate])).toEqual([
      ['COTAHIST_A2021.ZIP', '2021-12-30'],
    ]);
    const closes = await cli(
      'query',
      "SELECT dt_pregao, vlr_fechamento FROM db_b3lake_spec.tbspec_b3_cotacoes_diarias WHERE codigo_ticker = 'PETR4' " +
        'ORDER BY dt_pregao',
      '--format',
      'csv',
      '--data-dir',
      dir,
    );
    expect(closes.out.split('\n')).toEqual([
      'dt_pregao,vlr_fechamento',
      '2020-01-02,23',
      '2020-12-30,23.01',
      '2021-01-04,23',
      '2021-03-26,23.01',
      '2021-12-30,23.02',
    ]);
    // No scratch file is left in the data dir.
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);

    const written = parquetFiles().map((f) => [f, statSync(join(dir, 'lake', f)).mtimeMs]);
    const again = await backfill('--from', '2020', '--to', '2021', '--json');
    expect(again.code).toBe(0);
    expect(b3.requests).toHaveLength(2);
    expect(parquetFiles().map((f) => [f, statSync(join(dir, 'lake', f)).mtimeMs])).toEqual(written);
    const report = JSON.parse(again.out);
    expect(report).toMatchObject({
      source: 'cotahist',
      from: '2020',
      to: '2021',
      status: 'complete',
      plan: { toFetch: 0, fromArchive: 0, alreadyLoaded: 2, covered: 0, nonTradingDays: 0 },
    });
    expect(report.files.map((f: { outcome: string }) => f.outcome)).toEqual(['already-loaded', 'already-loaded']);

    const forced = await backfill('--from', '2021', '--to', '2021', '--force');
    expect(forced.code).toBe(0);
    expect(b3.requests.slice(2)).toEqual(['COTAHIST_A2021.ZIP']);
    expect(forced.out).toMatch(/^2021 +1 +9 +6 /m);
  });

  it('loads days; a day not published is reported and does not fail; an annual file then replaces them', async () => {
    const result = await backfill('--from', '2022-05-20', '--to', '2022-05-24');
    expect(result.err).toMatch(/3 files to fetch, 0 already loaded, 2 days left out \(weekends and B3 holidays\)/);
    expect(result.err).toMatch(/\[1\/3\] COTAHIST_D20052022\.ZIP: not published \(.* answered HTTP 404\)/);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^2022 +2 +6 +4 /m);
    expect(result.out).toMatch(
      /not published by B3 \(not yet, or a holiday the calendar does not know\): COTAHIST_D20052022/,
    );
    expect((await loadedFiles(sot(), 2022)).map((f) => f.file)).toEqual([
      'COTAHIST_D23052022.ZIP',
      'COTAHIST_D24052022.ZIP',
    ]);
    // The re-run asks again only for the day that was not there.
    b3.requests.length = 0;
    expect((await backfill('--from', '2022-05-20', '--to', '2022-05-24')).code).toBe(0);
    expect(b3.requests).toEqual(['COTAHIST_D20052022.ZIP']);

    const annual = await backfill('--from', '2022', '--to', '2022');
    expect(annual.code).toBe(0);
    expect(annual.err).toMatch(/COTAHIST_A2022\.ZIP: .* loaded in .*; replaced 2 file\(s\) it holds/);
    expect(annual.out).toMatch(/^2022 +1 +9 +6 .* 2$/m);
    expect(annual.out).toMatch(
      /replaced \(their days are in a file loaded now\): COTAHIST_D23052022.ZIP, COTAHIST_D24052022.ZIP/,
    );
    expect((await loadedFiles(sot(), 2022)).map((f) => f.file)).toEqual(['COTAHIST_A2022.ZIP']);
    // Days the annual file holds are not asked for any more.
    b3.requests.length = 0;
    const held = await backfill('--from', '2022-05-23', '--to', '2022-05-24');
    expect(held.err).toMatch(/0 files to fetch, 0 already loaded, 2 days held by a loaded annual or monthly file/);
    expect(b3.requests).toEqual([]);
  });

  it('a failing file is reported and the others land (exit 5); the re-run fetches only it', async () => {
    failing.add('COTAHIST_A2020.ZIP');
    const result = await backfill('--from', '2020', '--to', '2021', '--retries', '1');
    expect(result.code).toBe(5);
    expect(result.err).toMatch(/\[1\/2\] COTAHIST_A2020\.ZIP: failed: GET .* failed with HTTP 500/);
    expect(result.err).toMatch(
      new RegExp(
        `1 file failed; retry them with: npx b3lake backfill cotahist --from 2020 --to 2021 ` +
          `--cotahist-url ${b3.url} --min-interval 0 --data-dir ${dir}`,
      ),
    );
    expect(result.out).toMatch(/^2021 +1 +9 /m);
    failing.clear();
    b3.requests.length = 0;
    expect((await backfill('--from', '2020', '--to', '2021')).code).toBe(0);
    expect(b3.requests).toEqual(['COTAHIST_A2020.ZIP']);
  });

  it('loads a file an interrupted run downloaded from the archive, without a request', async () => {
    await new LocalFsStore(join(dir, 'lake', 'landing')).put(
      cotahistArchiveKey('COTAHIST_A2021.ZIP'),
      files.get('COTAHIST_A2021.ZIP') as Buffer,
    );
    const result = await backfill('--from', '2021', '--to', '2021');
    expect(result.err).toMatch(/0 files to fetch, 1 to load from the archive an earlier run downloaded/);
    expect(result.err).toMatch(/COTAHIST_A2021\.ZIP: from the archive; 9 records \(6 spot rows\) loaded/);
    expect(result.code).toBe(0);
    expect(b3.requests).toEqual([]);
  });

  it('refuses a mixed, reversed or future range and a year before 1986 (exit 2), creating nothing', async () => {
    const refused = [
      [['--from', '2020', '--to', '2021-01-04'], /both be years .* or both be days/],
      [['--from', '2021', '--to', '2020'], /--from 2021 is after --to 2020/],
      [['--from', '2021', '--to', '2999'], /--to 2999 is in the future/],
      [['--from', '1985'], /start in 1986/],
      [['--to', '2020'], /required option '--from/],
    ] as const;
    for (const [args, message] of refused) {
      const result = await backfill(...args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.err).toMatch(message);
    }
    const other = await cli('backfill', 'prices', '--from', '2020');
    expect(other).toMatchObject({ code: 2, err: expect.stringMatching(/'prices' is invalid .* choices are cotahist/) });
    expect(existsSync(join(dir, 'lake'))).toBe(false);
    expect(b3.requests).toEqual([]);
  });
});
