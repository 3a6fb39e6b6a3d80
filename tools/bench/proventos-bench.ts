/**
 * nx run bench:proventos — the dividend history (issue 11), measured two ways:
 *
 * 1. Requests per weekly run: the replay server with a synthetic market of BENCH_TICKERS (1,400)
 *    tickers and its dividend pages; the real `b3lake run --kinds proventos` (the bundle, a fresh
 *    process, --min-interval 0) counted at the server, timed, and run again the same day (the
 *    archived pages: no request).
 * 2. The trailing-yield query on a synthetic history: bench:cotahist-query's 20-year COTAHIST lake
 *    (built by it when missing: `--build-only`), its COTAHIST tables hard-linked into a lake of
 *    this bench's own (the cotahist bench's lake is never written), plus a synthetic dividend
 *    history for each of its stocks (BDI 02: quarterly dividends and a December JCP) and FIIs
 *    (BDI 12: a monthly rendimento, an amortization now and then) since 2006, written with the
 *    lake's writeObject, one object per ticker as proventosStep writes it. Then
 *    db_b3lake_spec.vwspec_proventos_yield_12m through `b3lake query` in a fresh process (node's
 *    start, the bundle, the views built, the query, the output), and the same code path in a
 *    fresh process split into catalog open and query; one FII's answer is checked against a sum
 *    made here.
 *
 * `--yield-only` / `--requests-only` run one part. BENCH_RUNS (5) timed runs after one warm-up.
 * BENCH_DIR (default <tmp>/b3lake-bench-proventos) holds this bench's lake; COTAHIST_BENCH_DIR the
 * cotahist bench's (default <tmp>/b3lake-bench-cotahist-history).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalFsStore, PROVENTOS_TICKER_KEY, TABLES, table, writeObject } from '@b3lake/lake';
import { DuckDbCatalog } from '@b3lake/lake/duckdb';
import { isTradingDay, proventosRows } from '@b3lake/pipeline';
import { seededRandom, startReplayServer, tickerSeed } from '@b3lake/replay';
import type { Provento } from '@b3lake/scraper';
import { bundled, runChild } from './bundled-child';
import { inProcessQuery, type InProcessFigures } from './in-process-query';
import { loadLine, median, printVerdicts, type Verdict } from './verdicts';

const ROOT = resolve(__dirname, '../..');
const DIR = resolve(process.env['BENCH_DIR'] ?? join(tmpdir(), 'b3lake-bench-proventos'));
const COTAHIST_DIR = resolve(process.env['COTAHIST_BENCH_DIR'] ?? join(tmpdir(), 'b3lake-bench-cotahist-history'));
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const TICKERS = Number(process.env['BENCH_TICKERS'] ?? 1400);
/** Bump when the synthetic history changes: the lake is written again. */
const GENERATOR_VERSION = 1;
const FIRST_YEAR = 2006;
const LAST_DAY = '2026-11-30';
/** A Friday: the weekly run's day, and the replay server's today. */
const FRIDAY = '2022-05-27';
/** The yield query's day (a Monday in the synthetic history), and an older one. */
const DAY = '2025-06-16';
const OLD_DAY = '2015-06-15';

const data = join(DIR, 'data');
const lake = join(data, 'lake');
const PROVENTOS = table('proventos');
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const CLI = join(ROOT, 'tools/bin/b3lake.cjs');

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The last trading day on or before the given one. */
function tradingOnOrBefore(ms: number): string {
  while (!isTradingDay(iso(ms))) ms -= DAY_MS;
  return iso(ms);
}
const monthEnd = (year: number, month: number) => Date.UTC(year, month + 1, 0);
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * A stock's distributions, newest first as a page prints them: a quarterly DIVIDENDO and a December
 * JRS CAP PRÓPRIO, about `yield` of the price a year; a FII's monthly Rendimento (0.6–1% of the
 * price) and, one year in five, an Amortização. Data com on the period's last trading day,
 * payment three weeks later.
 */
export function syntheticHistory(ticker: string, kind: 'acoes' | 'fiis', price: number): Provento[] {
  const next = seededRandom(tickerSeed(ticker, 0));
  const rows: Provento[] = [];
  const lastYear = Number(LAST_DAY.slice(0, 4));
  const row = (ms: number, tipo: string, categoria: Provento['categoria'], perShare: number): Provento => {
    const dataCom = tradingOnOrBefore(ms);
    return {
      dataCom,
      valor: Math.max(round(perShare, kind === 'fiis' ? 2 : 4), kind === 'fiis' ? 0.01 : 0.0001),
      tipo,
      categoria,
      dataPagamento: iso(Date.parse(`${dataCom}T00:00:00Z`) + 21 * DAY_MS),
      porQuantasAcoes: 1,
    };
  };
  if (kind === 'fiis') {
    const monthly = price * (0.006 + next() * 0.004);
    for (let year = FIRST_YEAR; year <= lastYear; year++) {
      for (let month = 0; month < 12; month++) {
        const end = monthEnd(year, month);
        if (iso(end) > LAST_DAY) break;
        rows.push(row(end, 'Rendimento', 'rendimento', monthly * (0.85 + next() * 0.3)));
        if (month === 5 && next() < 0.2) rows.push(row(end, 'Amortização', 'amortizacao', price * 0.05));
      }
    }
  } else {
    const yearly = price * (0.02 + next() * 0.08);
    for (let year = FIRST_YEAR; year <= lastYear; year++) {
      for (const month of [2, 5, 8, 11]) {
        const end = monthEnd(year, month);
        if (iso(end) > LAST_DAY) break;
        rows.push(row(end, 'DIVIDENDO', 'dividendo', yearly * 0.2 * (0.7 + next() * 0.6)));
        if (month === 11) rows.push(row(end, 'JRS CAP PRÓPRIO', 'jcp', yearly * 0.2 * (0.7 + next() * 0.6)));
      }
    }
  }
  return rows.sort((a, b) => b.dataCom.localeCompare(a.dataCom));
}

interface YieldMarker {
  version: number;
  cotahistBuiltAt: string;
  tickers: { acoes: number; fiis: number };
  rows: number;
}

/** The COTAHIST lake of bench:cotahist-query: its marker, after building it when missing. */
function cotahistLake(): { builtAt: string; data: string } {
  const marker = join(COTAHIST_DIR, 'lake.json');
  if (!existsSync(marker)) {
    console.log(`no COTAHIST history at ${COTAHIST_DIR}: building it (bench:cotahist-query --build-only) …`);
    execFileSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'tools/bench/cotahist-query-bench.ts'), '--build-only'],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json', BENCH_DIR: COTAHIST_DIR },
      },
    );
  }
  const built = JSON.parse(readFileSync(marker, 'utf8')) as { builtAt: string };
  return { builtAt: built.builtAt, data: join(COTAHIST_DIR, 'data') };
}

/** This bench's lake: the COTAHIST tables (hard links) and a dividend history per stock and FII. */
async function ensureYieldLake(): Promise<YieldMarker> {
  const cotahist = cotahistLake();
  const markerPath = join(DIR, 'proventos.json');
  const marker = existsSync(markerPath) ? (JSON.parse(readFileSync(markerPath, 'utf8')) as YieldMarker) : undefined;
  if (marker && marker.version === GENERATOR_VERSION && marker.cotahistBuiltAt === cotahist.builtAt) return marker;
  console.log(`writing the dividend histories under ${lake} (once) …`);
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(lake, { recursive: true });
  // Hard links: the COTAHIST loader replaces files by renaming, so neither lake changes the other.
  for (const layer of ['sot', 'spec'])
    execFileSync('cp', ['-al', join(cotahist.data, 'lake', layer), join(lake, layer)]);

  const catalog = await DuckDbCatalog.openInMemory(lake);
  await catalog.refresh(TABLES);
  const { rows: assets } = await catalog.query(
    'SELECT codigo_ticker, cod_bdi, avg(vlr_fechamento) AS preco FROM db_b3lake_spec.tbspec_b3_cotacoes_diarias ' +
      "WHERE cod_bdi IN ('02', '12') GROUP BY 1, 2 ORDER BY 1",
  );
  catalog.close();
  const store = new LocalFsStore(join(lake, PROVENTOS.layer));
  const fetchedAt = new Date(`${LAST_DAY}T21:00:00Z`);
  const written: YieldMarker = {
    version: GENERATOR_VERSION,
    cotahistBuiltAt: cotahist.builtAt,
    tickers: { acoes: 0, fiis: 0 },
    rows: 0,
  };
  const started = Date.now();
  for (const asset of assets) {
    const ticker = String(asset['codigo_ticker']);
    const kind = asset['cod_bdi'] === '12' ? 'fiis' : 'acoes';
    const rows = proventosRows(ticker, kind, syntheticHistory(ticker, kind, Number(asset['preco'])), fetchedAt);
    await writeObject(store, PROVENTOS, { [PROVENTOS_TICKER_KEY]: ticker }, 'proventos', rows);
    written.tickers[kind]++;
    written.rows += rows.length;
  }
  console.log(
    `  ${fmt(written.tickers.acoes)} stocks and ${fmt(written.tickers.fiis)} FIIs, ${fmt(written.rows)} rows, ` +
      `${fmt(written.tickers.acoes + written.tickers.fiis)} objects in ${fmt((Date.now() - started) / 1e3, 1)} s`,
  );
  writeFileSync(markerPath, JSON.stringify(written, null, 2));
  return written;
}

/** "FIIs by 12-month yield on a date": the README's query (the FIIs are BDI 12 in COTAHIST). */
const fiisByYield = (day: string) =>
  'SELECT y.codigo_ticker, y.vlr_fechamento, y.qtd_proventos_12m, ' +
  'round(y.vlr_proventos_12m, 4) AS vlr_proventos_12m, round(y.pct_yield_12m * 100, 2) AS pct_yield_12m ' +
  'FROM db_b3lake_spec.vwspec_proventos_yield_12m y JOIN db_b3lake_spec.tbspec_b3_cotacoes_diarias c ' +
  'ON c.codigo_ticker = y.codigo_ticker AND c.dt_pregao = y.dt_pregao ' +
  `WHERE y.dt_pregao = DATE '${day}' AND c.cod_bdi = '12' ORDER BY y.pct_yield_12m DESC`;
/** The same without the join: tickers ending in 11 (FIIs, but units and ETFs too). */
const suffix11 = (day: string) =>
  'SELECT codigo_ticker, vlr_fechamento, qtd_proventos_12m, vlr_proventos_12m, pct_yield_12m ' +
  `FROM db_b3lake_spec.vwspec_proventos_yield_12m WHERE dt_pregao = DATE '${day}' AND codigo_ticker LIKE '%11' ` +
  'ORDER BY pct_yield_12m DESC';
/** One FII's trailing yield on every day of 20 years. */
const series = (ticker: string) =>
  'SELECT dt_pregao, vlr_fechamento, vlr_proventos_12m, pct_yield_12m FROM db_b3lake_spec.vwspec_proventos_yield_12m ' +
  `WHERE codigo_ticker = '${ticker}' ORDER BY dt_pregao`;

/** One `b3lake query` in a fresh process: its wall time and output (CSV). */
function cliQuery(sql: string): { seconds: number; csv: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [CLI, 'query', '--data-dir', data, '--format', 'csv', sql], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`b3lake query exited ${result.status}: ${result.stderr.trim()}`);
  return { seconds, csv: result.stdout };
}

function timeCli(sql: string): { first: number; median: number; min: number; csv: string } {
  const first = cliQuery(sql);
  const times = Array.from({ length: RUNS }, () => cliQuery(sql).seconds);
  return { first: first.seconds, median: median(times), min: Math.min(...times), csv: first.csv };
}

const csvRows = (csv: string) =>
  csv
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

async function yieldPart(verdicts: Verdict[]): Promise<void> {
  const marker = await ensureYieldLake();
  console.log(
    `history: bench:cotahist-query's 20-year COTAHIST lake (${COTAHIST_DIR}) + dividends of ` +
      `${fmt(marker.tickers.acoes)} stocks and ${fmt(marker.tickers.fiis)} FIIs since ${FIRST_YEAR} ` +
      `(${fmt(marker.rows)} rows, one object per ticker); data dir ${data}`,
  );
  const script = bundled(__filename);
  cliQuery('SELECT 1'); // builds the CLI bundle when a source is newer, outside the timings

  const shapes: [string, string, boolean][] = [
    [`FIIs by 12-month yield on ${DAY} (README query, BDI 12 joined)`, fiisByYield(DAY), true],
    [`the same on ${OLD_DAY}`, fiisByYield(OLD_DAY), false],
    [`tickers ending in 11 on ${DAY} (no join)`, suffix11(DAY), false],
  ];
  const first = timeCli(fiisByYield(DAY));
  const fii = csvRows(first.csv)[0][0];
  shapes.push([`${fii}'s trailing yield on every day (${FIRST_YEAR}–2026)`, series(fii), false]);

  for (const [label, sql, main] of shapes) {
    const cli = main ? first : timeCli(sql);
    const inside = Array.from({ length: 3 }, () => runChild<InProcessFigures>(script, ['--query', data, sql]).figures);
    const rows = csvRows(cli.csv).length;
    console.log(`  ${label}: ${fmt(rows)} rows`);
    console.log(`    ${sql}`);
    console.log(
      `    b3lake query, fresh process: first ${cli.first.toFixed(2)} s, min ${cli.min.toFixed(2)} s, ` +
        `median ${cli.median.toFixed(2)} s of ${RUNS}; in a fresh process (medians): catalog open + views ` +
        `${fmt(median(inside.map((f) => f.openMs)))} ms, query ${fmt(median(inside.map((f) => f.queryMs)))} ms`,
    );
    verdicts.push({
      what: `${label}, b3lake query (median)`,
      figure: `${cli.median.toFixed(2)} s`,
      target: '< 1 s (issue 10 query target)',
      ...(main ? { met: cli.median < 1, ratio: cli.median } : {}),
    });
  }

  // One FII checked: its rows with data com in (DAY − 12 months, DAY], amortizations out, summed here.
  const [row] = csvRows(first.csv);
  const [ticker, close, count, cash] = row;
  const from = `${Number(DAY.slice(0, 4)) - 1}${DAY.slice(4)}`;
  const window = (await historyOf(ticker)).filter(
    (p) => p.dt_com > from && p.dt_com <= DAY && p.categoria_provento !== 'amortizacao',
  );
  const sum = window.reduce((s, p) => s + p.vlr_provento_por_acao, 0);
  if (window.length !== Number(count) || Math.abs(sum - Number(cash)) > 1e-4)
    throw new Error(`${ticker}: view ${count} distributions, ${cash}; expected ${window.length}, ${sum}`);
  console.log(
    `  checked: ${ticker} on ${DAY} — ${window.length} rendimentos, ${sum.toFixed(4)} BRL per share, ` +
      `close ${close}: as summed here from its generated history`,
  );
}

/** A ticker's rows as the table holds them. */
async function historyOf(
  ticker: string,
): Promise<{ dt_com: string; categoria_provento: string; vlr_provento_por_acao: number }[]> {
  const catalog = await DuckDbCatalog.openInMemory(lake);
  await catalog.refresh(TABLES);
  const { rows } = await catalog.query(
    "SELECT strftime(dt_com, '%Y-%m-%d') AS dt_com, categoria_provento, vlr_provento_por_acao " +
      `FROM db_b3lake_sot.tbsot_fundamentus_proventos WHERE codigo_ticker = '${ticker}'`,
  );
  catalog.close();
  return rows as unknown as { dt_com: string; categoria_provento: string; vlr_provento_por_acao: number }[];
}

/** The real CLI as a child process, without blocking this process (the replay server runs in it). */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }> {
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((done) =>
    child.on('close', (code) => done({ code, stdout, stderr, seconds: Number(process.hrtime.bigint() - start) / 1e9 })),
  );
}

async function requestsPart(verdicts: Verdict[]): Promise<void> {
  cliQuery('SELECT 1');
  const server = await startReplayServer({
    fixturesDir: join(ROOT, 'tools/fixtures'),
    syntheticTickers: TICKERS,
    today: FRIDAY,
    quoteDate: FRIDAY,
  });
  const dir = mkdtempSync(join(tmpdir(), 'b3lake-bench-proventos-run-'));
  try {
    const listed = server.tickers.acoes.length + server.tickers.fiis.length;
    const args = [
      'run',
      '--date',
      FRIDAY,
      '--kinds',
      'proventos',
      '--fundamentus-url',
      server.url,
      '--min-interval',
      '0',
      '--data-dir',
      dir,
      '--json',
    ];
    const first = await runCli(args);
    if (first.code !== 0) throw new Error(`run exited ${first.code}: ${first.stderr}`);
    const requests = server.stats.requests;
    const summary = JSON.parse(first.stdout) as {
      peakRssMb: number;
      proventos: { rows: number; tickers: { fetched: number } };
    };
    const again = await runCli(args);
    const rerun = server.stats.requests - requests;
    console.log(
      `  a synthetic market of ${fmt(listed)} tickers (${fmt(server.tickers.acoes.length)} stocks, ` +
        `${fmt(server.tickers.fiis.length)} FIIs): ${fmt(requests)} requests = 2 listings + ` +
        `${fmt(summary.proventos.tickers.fetched)} dividend pages; ${fmt(summary.proventos.rows)} rows; ` +
        `${first.seconds.toFixed(1)} s at --min-interval 0 (the parse of each page dominates: ` +
        `${fmt((first.seconds * 1000) / listed, 1)} ms per ticker), peak RSS ${summary.peakRssMb} MB`,
    );
    console.log(`  the same day again: ${rerun} requests (every page from its archive), ${again.seconds.toFixed(1)} s`);
    console.log(
      `  at the live site's pace (250 ms between requests to a host: 4 per second) the pages take ` +
        `${fmt(listed / 4 / 60, 1)} min; after the daily run of the same day (its listings archived) the ` +
        `weekly run requests ${fmt(listed)} pages: the Friday total is 2 + ${fmt(listed)} detail pages + IBOV + ` +
        `COTAHIST + ${fmt(listed)} dividend pages = ${fmt(2 * listed + 4)}`,
    );
    verdicts.push({
      what: `requests of a weekly dividend run (${fmt(listed)} listed tickers, run alone)`,
      figure: fmt(requests),
      target: `= listed + 2 listings (${fmt(listed + 2)})`,
      met: requests === listed + 2,
    });
    verdicts.push({
      what: 'requests of the same day again',
      figure: String(rerun),
      target: '0',
      met: rerun === 0,
    });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`bench:proventos — ${loadLine()} at start`);
  const verdicts: Verdict[] = [];
  if (!process.argv.includes('--yield-only')) {
    console.log('\nrequests per weekly run: b3lake run --kinds proventos against the replay server');
    await requestsPart(verdicts);
  }
  if (!process.argv.includes('--requests-only')) {
    console.log('\nthe trailing-yield view (db_b3lake_spec.vwspec_proventos_yield_12m) on a synthetic history');
    await yieldPart(verdicts);
  }
  printVerdicts(`${RUNS} runs each, ${loadLine()} at the end`, verdicts);
}

if (process.argv[2] === '--query') void inProcessQuery(resolve(process.argv[3]), process.argv[4]);
else
  void main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
