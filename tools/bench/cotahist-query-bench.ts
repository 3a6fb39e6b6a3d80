/**
 * nx run bench:cotahist-query — a synthetic 20-year COTAHIST history in a local lake, then:
 *
 * - daily append: one day's file (the recorded day's 6,100 records, zipped) loaded into the lake
 *   that holds the 20 years and the current year's earlier days, each run in a fresh process on
 *   a fresh copy (hard links) of the lake: loadCotahistFile with the DuckDB writer, then the
 *   catalog's views refreshed (what `run` does when it closes);
 * - queries through the real command, each run a fresh process (`node tools/bin/b3lake.cjs query
 *   --data-dir … --format csv "SQL"`: node's start, the bundle, the catalog opened and its views
 *   built, the query, the output): (a) one ticker's full close series by date from
 *   db_b3lake_spec.tbspec_b3_cotacoes_diarias, (b) every instrument on one date from
 *   db_b3lake_sot.tbsot_b3_cotacoes_historicas; and the same code path in a fresh process of this
 *   file, split into catalog open (DuckDbCatalog.openInMemory + refresh, as openLakeReader) and
 *   query.
 *
 * The history: 2006–2025 as annual zips, each day the recorded day's spot market (1,056 records)
 * and 600 of its other records (options, forward, odd lot…) shifted day by day, prices moved
 * deterministically (cotahist-synthetic.ts): ≥ 8,000,000 records; plus 2026's earlier days as
 * daily files. Built once under BENCH_DIR (default <tmp>/b3lake-bench-cotahist-history) with
 * marker files and reused; when the loader's or writer's sources changed since, it says so, and
 * `--reload` loads the lake again (the files kept); `--rebuild` regenerates everything;
 * `--build-only` stops once the lake is ready (build it, then measure when the machine is quiet).
 * BENCH_RUNS (5) timed runs after one warm-up; BENCH_PRIOR_DAYS (220) daily files of 2026 before
 * the appended day; BENCH_FIRST_YEAR (2006).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TABLES } from '@b3lake/lake';
import { DuckDbCatalog } from '@b3lake/lake/duckdb';
import { cotahistArchiveKey, loadCotahistFile } from '@b3lake/pipeline';
import { bundled, runChild } from './bundled-child';
import { inProcessQuery, type InProcessFigures } from './in-process-query';
import { archive, benchContext, makeWriter } from './cotahist-lake';
import {
  dayFileStem,
  dayTemplate,
  spotAndRotating,
  tradingDays,
  wholeDay,
  writeSyntheticZip,
  type DayTemplate,
  type SyntheticFile,
} from './cotahist-synthetic';
import { loadLine, median, printVerdicts, type Verdict } from './verdicts';

const ROOT = resolve(__dirname, '../..');
const DIR = resolve(process.env['BENCH_DIR'] ?? join(tmpdir(), 'b3lake-bench-cotahist-history'));
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const FIRST_YEAR = Number(process.env['BENCH_FIRST_YEAR'] ?? 2006);
const LAST_YEAR = 2025;
const CURRENT_YEAR = 2026;
/** Records a day besides the spot market, in the annual files. */
const ROTATING = 600;
/** 2026's days already in the lake before the appended one (a daily file each). */
const PRIOR_DAYS = Number(process.env['BENCH_PRIOR_DAYS'] ?? 220);
const GENERATOR_VERSION = 1;
const DAY = '2015-06-15';
/** Where `tools/bin/b3lake.cjs` is run from: this checkout, or a snapshot of its HEAD (see headSnapshot). */
let cliRoot = ROOT;

/** PETR4 (in the recorded day), or the first spot ticker of synthetic records. */
function tickerOf(template: DayTemplate): string {
  const tickers = template.spot.map((r) => r.toString('latin1', 12, 24).trim());
  return tickers.includes('PETR4') ? 'PETR4' : tickers[0];
}

const queries = (TICKER: string) => ({
  ticker:
    `SELECT dt_pregao, vlr_fechamento FROM db_b3lake_spec.tbspec_b3_cotacoes_diarias ` +
    `WHERE codigo_ticker = '${TICKER}' ORDER BY dt_pregao`,
  day: `SELECT * FROM db_b3lake_sot.tbsot_b3_cotacoes_historicas WHERE dt_pregao = DATE '${DAY}'`,
  dayWithYear:
    `SELECT * FROM db_b3lake_sot.tbsot_b3_cotacoes_historicas ` +
    `WHERE ano = ${DAY.slice(0, 4)} AND dt_pregao = DATE '${DAY}'`,
});

const data = join(DIR, 'data');
const lake = join(data, 'lake');
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** The loader's and writers' sources: a lake loaded by other code is loaded again. */
function loaderHash(): string {
  const hash = createHash('sha256');
  const dirs = ['libs/lake/src/lib/duckdb', 'libs/lake/src/lib/fixed-width', 'libs/pipeline/src/lib/cotahist'];
  const files = [
    ...dirs.flatMap((d) =>
      readdirSync(join(ROOT, d))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
        .map((f) => join(d, f)),
    ),
    'libs/lake/src/lib/registry/cotahist-tables.ts',
  ].sort();
  for (const file of files) hash.update(file).update(readFileSync(join(ROOT, file)));
  return hash.digest('hex').slice(0, 16);
}

interface Plan {
  files: { file: SyntheticFile; path: string }[];
  appendDay: string;
  appendZip: string;
}

function plan(): Plan {
  const files: Plan['files'] = [];
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    const name = `COTAHIST_A${year}.TXT`;
    const file = { name, days: tradingDays(year), pick: spotAndRotating(ROTATING) };
    files.push({ file, path: join(lake, 'landing', cotahistArchiveKey(name.replace(/TXT$/, 'ZIP'))) });
  }
  const current = tradingDays(CURRENT_YEAR);
  for (const day of current.slice(0, PRIOR_DAYS)) {
    const name = `${dayFileStem(day)}.TXT`;
    files.push({
      file: { name, days: [day], pick: wholeDay },
      path: join(lake, 'landing', cotahistArchiveKey(name.replace(/TXT$/, 'ZIP'))),
    });
  }
  const appendDay = current[PRIOR_DAYS];
  return { files, appendDay, appendZip: join(DIR, 'append', `${dayFileStem(appendDay)}.ZIP`) };
}

function readMarker<T>(name: string): T | undefined {
  const path = join(DIR, name);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

interface SourcesMarker {
  version: number;
  years: string;
  rotating: number;
  priorDays: number;
  quotes: number;
  annualQuotes: number;
}
interface LakeMarker {
  sources: SourcesMarker;
  loader: string;
  loadSeconds: number;
  builtAt: string;
}

/** The archived files (landing) and the appended day's zip, unless the marker says they are there. */
async function ensureSources(rebuild: boolean, p: Plan, template: DayTemplate): Promise<SourcesMarker> {
  const wanted = { version: GENERATOR_VERSION, years: `${FIRST_YEAR}-${LAST_YEAR}`, rotating: ROTATING };
  const marker = readMarker<SourcesMarker>('sources.json');
  const same =
    marker &&
    marker.version === wanted.version &&
    marker.years === wanted.years &&
    marker.rotating === wanted.rotating &&
    marker.priorDays === PRIOR_DAYS;
  if (same && !rebuild) return marker;
  console.log(`generating the history's files under ${DIR} (once; --rebuild to redo) …`);
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(join(DIR, 'append'), { recursive: true });
  const started = Date.now();
  let quotes = 0;
  let annualQuotes = 0;
  for (const { file, path } of p.files) {
    mkdirSync(resolve(path, '..'), { recursive: true });
    const n = await writeSyntheticZip(path, file, template, join(DIR, 'scratch.txt'));
    quotes += n;
    if (file.name.startsWith('COTAHIST_A')) {
      annualQuotes += n;
      console.log(`  ${file.name.replace(/TXT$/, 'ZIP')}: ${fmt(n)} quotes, ${fmt(statSync(path).size / 1e6, 1)} MB`);
    }
  }
  const day = { name: `${dayFileStem(p.appendDay)}.TXT`, days: [p.appendDay], pick: wholeDay };
  await writeSyntheticZip(p.appendZip, day, template, join(DIR, 'scratch.txt'));
  console.log(`  + ${PRIOR_DAYS} daily files of ${CURRENT_YEAR}; generated in ${fmt((Date.now() - started) / 1e3)} s`);
  const written: SourcesMarker = { ...wanted, priorDays: PRIOR_DAYS, quotes, annualQuotes };
  writeFileSync(join(DIR, 'sources.json'), JSON.stringify(written, null, 2));
  rmSync(join(DIR, 'lake.json'), { force: true });
  return written;
}

/** The lake loaded from the archived files, unless the marker says this loader loaded these sources. */
async function ensureLake(sources: SourcesMarker, p: Plan, reload: boolean): Promise<LakeMarker> {
  const loader = loaderHash();
  const marker = readMarker<LakeMarker>('lake.json');
  const same = marker && JSON.stringify(marker.sources) === JSON.stringify(sources);
  if (same && !reload) {
    if (marker.loader !== loader) {
      console.log(
        `NOTE: the loader's sources changed since the lake was loaded (${marker.loader} → ${loader}): the queries ` +
          'read what the earlier code wrote, the daily append runs the current code; --reload to load it again',
      );
    }
    return marker;
  }
  console.log(same ? 'loading the history into the lake again (--reload) …' : 'loading the history into the lake …');
  for (const layer of ['sot', 'spec']) rmSync(join(lake, layer), { recursive: true, force: true });
  const ctx = benchContext(lake, makeWriter('duckdb', DIR));
  const started = Date.now();
  for (const { file } of p.files) {
    const result = await loadCotahistFile(ctx, file.name.replace(/TXT$/, 'ZIP'));
    if (result.status !== 'loaded') throw new Error(`${file.name}: ${result.status}`);
    if (file.name.startsWith('COTAHIST_A')) {
      console.log(`  ${result.file}: ${fmt(result.loaded.quotes)} quotes in ${result.seconds.toFixed(1)} s`);
    }
  }
  const written: LakeMarker = {
    sources,
    loader,
    loadSeconds: (Date.now() - started) / 1e3,
    builtAt: new Date().toISOString(),
  };
  console.log(`  loaded in ${fmt(written.loadSeconds)} s`);
  writeFileSync(join(DIR, 'lake.json'), JSON.stringify(written, null, 2));
  return written;
}

interface AppendFigures {
  status: string;
  quotes: number;
  loadSeconds: number;
  refreshSeconds: number;
  uptimeSeconds: number;
  peakRss: number;
}

/** Child mode `--append DATA_DIR ZIP`: archives the day's zip, loads it, refreshes the catalog; prints JSON. */
async function append(dataDir: string, zip: string): Promise<void> {
  const name = zip.split('/').pop() as string;
  const target = join(dataDir, 'lake');
  archive(target, zip, name);
  const ctx = benchContext(target, makeWriter('duckdb', dataDir));
  let start = process.hrtime.bigint();
  const result = await loadCotahistFile(ctx, name);
  const loadSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  start = process.hrtime.bigint();
  const catalog = await DuckDbCatalog.open(join(dataDir, 'catalog.duckdb'), target);
  await catalog.refresh(TABLES);
  catalog.close();
  const refreshSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const figures: AppendFigures = {
    status: result.status,
    quotes: result.loaded.quotes,
    loadSeconds,
    refreshSeconds,
    uptimeSeconds: process.uptime(),
    peakRss: process.resourceUsage().maxRSS * 1024,
  };
  console.log(JSON.stringify(figures));
}

let script = '';
const child = <T>(args: string[]) => runChild<T>(script, args);

/** One `b3lake query` in a fresh process; its wall time and the rows it printed (CSV, header excluded). */
function cliQuery(sql: string): { seconds: number; rows: number; rebuilt: boolean } {
  const bundle = join(cliRoot, 'dist/apps/cli/main.cjs');
  const cli = join(cliRoot, 'tools/bin/b3lake.cjs');
  const before = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, 'query', '--data-dir', data, '--format', 'csv', sql], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new CliError(result.status, result.stderr);
  const rows = result.stdout.trimEnd().split('\n').length - 1;
  return { seconds, rows, rebuilt: statSync(bundle).mtimeMs !== before };
}

class CliError extends Error {
  constructor(
    readonly status: number | null,
    readonly stderr: string,
  ) {
    super(`b3lake query exited ${status}: ${stderr.trim().split('\n').pop()}`);
  }
}

/**
 * HEAD of this checkout exported beside the lake (git archive; the repository's node_modules linked
 * in): the committed command, when the shared working tree does not build (someone mid-edit).
 */
function headSnapshot(): string {
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(DIR, 'cli-head');
  const marker = join(dir, '.commit');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== commit) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', 'git archive HEAD | tar -x -C "$1"', 'sh', dir], { cwd: ROOT });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(marker, commit);
  }
  return dir;
}

/** Runs `b3lake query` once from this checkout; when it cannot build, from HEAD (BENCH_CLI=head: always). */
function chooseCli(): string {
  if (process.env['BENCH_CLI'] !== 'head') {
    try {
      cliQuery('SELECT 1');
      return 'this checkout (tools/bin/b3lake.cjs: the bundle rebuilt when a source is newer)';
    } catch (error) {
      if (!(error instanceof CliError) || !error.stderr.includes('could not build the CLI')) throw error;
      console.log('  the working tree does not build the CLI (an edit in progress?): using a snapshot of HEAD');
    }
  }
  cliRoot = headSnapshot();
  cliQuery('SELECT 1');
  return `a snapshot of HEAD ${readFileSync(join(cliRoot, '.commit'), 'utf8').slice(0, 10)} in ${cliRoot}`;
}

interface Timed {
  first: number;
  min: number;
  median: number;
  rows: number;
}

/** One warm-up (reported as `first`: a cold page cache, or a bundle just built) and RUNS timed runs. */
function timeCli(sql: string): Timed {
  const first = cliQuery(sql);
  const times: number[] = [];
  let rows = first.rows;
  while (times.length < RUNS) {
    const run = cliQuery(sql);
    if (run.rebuilt) continue; // someone edited a source: the launcher rebuilt the bundle during this run
    times.push(run.seconds);
    rows = run.rows;
  }
  return { first: first.seconds, min: Math.min(...times), median: median(times), rows };
}

function timeInProcess(sql: string): { open: number; query: number; uptime: number; rows: number } {
  const runs = Array.from({ length: Math.max(3, Math.ceil(RUNS / 2)) }, () =>
    child<InProcessFigures>(['--query', data, sql]),
  );
  return {
    open: median(runs.map((r) => r.figures.openMs)),
    query: median(runs.map((r) => r.figures.queryMs)),
    uptime: median(runs.map((r) => r.figures.uptimeMs)),
    rows: runs[0].figures.rows,
  };
}

function timeAppend(zip: string): { runs: (AppendFigures & { wallSeconds: number })[] } {
  const runs: (AppendFigures & { wallSeconds: number })[] = [];
  const copy = join(DIR, 'append-run');
  for (let i = 0; i <= RUNS; i++) {
    rmSync(copy, { recursive: true, force: true });
    mkdirSync(copy, { recursive: true });
    // Hard links: the loader writes new files and renames them, so the built lake is never changed.
    execFileSync('cp', ['-al', lake, join(copy, 'lake')]);
    const { figures, wallSeconds } = child<AppendFigures>(['--append', copy, zip]);
    if (figures.status !== 'loaded') throw new Error(`the appended day was ${figures.status}`);
    if (i > 0) runs.push({ ...figures, wallSeconds }); // the first run warms the page cache
  }
  rmSync(copy, { recursive: true, force: true });
  return { runs };
}

async function main(): Promise<void> {
  const rebuild = process.argv.includes('--rebuild');
  console.log(`bench:cotahist-query — ${loadLine()} at start`);
  script = bundled(__filename);
  const template = dayTemplate();
  const p = plan();
  const sources = await ensureSources(rebuild, p, template);
  const built = await ensureLake(sources, p, process.argv.includes('--reload'));
  console.log(
    `history: ${LAST_YEAR - FIRST_YEAR + 1} annual files ${FIRST_YEAR}–${LAST_YEAR} ` +
      `(${fmt(sources.annualQuotes)} records) + ${PRIOR_DAYS} daily files of ${CURRENT_YEAR}: ` +
      `${fmt(sources.quotes)} records from ${template.source}; lake loaded ${built.builtAt} ` +
      `in ${fmt(built.loadSeconds)} s (loader ${built.loader})`,
  );
  console.log(`data dir: ${data}\n`);
  if (process.argv.includes('--build-only')) return;

  const verdicts: Verdict[] = [];

  console.log(`daily append of ${p.appendZip.split('/').pop()} (${fmt(template.records.length)} records) …`);
  const { runs } = timeAppend(p.appendZip);
  const load = runs.map((r) => r.loadSeconds);
  const refresh = runs.map((r) => r.refreshSeconds);
  const wall = runs.map((r) => r.wallSeconds);
  const rss = Math.max(...runs.map((r) => r.peakRss));
  console.log(
    `  loadCotahistFile min ${Math.min(...load).toFixed(2)} s, median ${median(load).toFixed(2)} s; ` +
      `catalog refresh median ${median(refresh).toFixed(2)} s; whole process (node + bundle + both) ` +
      `min ${Math.min(...wall).toFixed(2)} s, median ${median(wall).toFixed(2)} s; peak RSS ${fmt(rss / 1e6)} MB`,
  );
  verdicts.push({
    what: 'daily append: fresh process, load + catalog refresh (median)',
    figure: `${median(wall).toFixed(2)} s`,
    target: '≤ 5 s',
    met: median(wall) <= 5,
    ratio: median(wall) / 5,
  });
  verdicts.push({
    what: 'daily append: loadCotahistFile alone (median)',
    figure: `${median(load).toFixed(2)} s`,
    target: '≤ 5 s',
    met: median(load) <= 5,
    ratio: median(load) / 5,
  });

  console.log(`\nqueries: node tools/bin/b3lake.cjs query --data-dir ${data} --format csv "SQL"`);
  console.log(`  the command from ${chooseCli()}`);
  const TICKER = tickerOf(template);
  const QUERIES = queries(TICKER);
  if (!tradingDays(Number(DAY.slice(0, 4))).includes(DAY.replace(/-/g, '')))
    throw new Error(`${DAY} is no trading day`);
  const days = p.files.reduce((n, f) => n + f.file.days.length, 0);
  const perDay = template.spot.length + ROTATING;
  const shapes: [string, string, string, number][] = [
    [`(a) ${TICKER}'s closes, every day, by date (spec)`, 'ticker', QUERIES.ticker, days],
    [`(b) every instrument on ${DAY} (sot)`, 'day', QUERIES.day, perDay],
    [`(b') the same with ano = ${DAY.slice(0, 4)}`, 'dayWithYear', QUERIES.dayWithYear, perDay],
  ];
  for (const [label, key, sql, expected] of shapes) {
    const cli = timeCli(sql);
    const inside = timeInProcess(sql);
    if (cli.rows !== expected || inside.rows !== expected) {
      throw new Error(`${label}: ${cli.rows} rows printed, ${inside.rows} in process, expected ${expected}`);
    }
    console.log(`  ${label}: ${fmt(cli.rows)} rows`);
    console.log(`    ${sql}`);
    console.log(
      `    b3lake query, fresh process: first ${cli.first.toFixed(2)} s, min ${cli.min.toFixed(2)} s, ` +
        `median ${cli.median.toFixed(2)} s of ${RUNS}`,
    );
    console.log(
      `    same code path in a fresh process (medians): catalog open + views ${fmt(inside.open)} ms, ` +
        `query ${fmt(inside.query)} ms; process start to done ${fmt(inside.uptime)} ms`,
    );
    const isInfo = key === 'dayWithYear';
    verdicts.push({
      what: `${label}, b3lake query (median)`,
      figure: `${cli.median.toFixed(2)} s`,
      target: '< 1 s',
      ...(isInfo ? {} : { met: cli.median < 1, ratio: cli.median }),
    });
  }
  printVerdicts(`${RUNS} runs each, ${loadLine()} at the end`, verdicts);
}

if (process.argv[2] === '--append') void append(resolve(process.argv[3]), resolve(process.argv[4]));
else if (process.argv[2] === '--query') void inProcessQuery(resolve(process.argv[3]), process.argv[4]);
else
  void main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
