import { Argument, Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { TABLES } from '@b3lake/lake';
import {
  coveredByName,
  fetchCotahistFile,
  isTradingDay,
  loadCotahistFile,
  loadedFiles,
  saoPauloDate,
  type CotahistLoadResult,
  type LoadedFile,
  type PipelineContext,
} from '@b3lake/pipeline';
import { COTAHIST_FIRST_YEAR, CotahistNotPublishedError, cotahistFileName } from '@b3lake/scraper';
import { backfillReporter, count, fileDoneLine, fileTitle, megabytes } from '../backfill-progress';
import type { CliContext } from '../cli';
import { EXIT, UsageError, describeError, exitCodeFor } from '../exit-codes';
import type { Io } from '../io';
import { localContext, localPaths } from '../local/context';
import {
  cotahistUrlOf,
  dataDirArg,
  nonNegativeInt,
  positiveInt,
  withCotahistUrl,
  withDataDir,
  withJson,
} from '../options';
import { formatDuration } from '../progress';
import { stopOnSignals } from '../signals';
import { textTable } from './text-table';

/** `--from`/`--to`: a year (annual files) or an ISO day (daily files). */
export type RangeEnd = { year: number; date?: undefined } | { year: number; date: string };

export function yearOrDay(text: string): RangeEnd {
  if (/^\d{4}$/.test(text)) {
    const year = Number(text);
    if (year < COTAHIST_FIRST_YEAR)
      throw new InvalidArgumentError(`B3's COTAHIST files start in ${COTAHIST_FIRST_YEAR}.`);
    return { year };
  }
  const date = /^(\d{4})-\d{2}-\d{2}$/.exec(text);
  if (!date || new Date(`${text}T00:00:00Z`).toISOString?.().slice(0, 10) !== text || Number.isNaN(Date.parse(text)))
    throw new InvalidArgumentError('must be a year YYYY (annual files) or a day YYYY-MM-DD (daily files).');
  if (Number(date[1]) < COTAHIST_FIRST_YEAR)
    throw new InvalidArgumentError(`B3's COTAHIST files start in ${COTAHIST_FIRST_YEAR}.`);
  return { year: Number(date[1]), date: text };
}

export interface BackfillOptions {
  from: RangeEnd;
  to?: RangeEnd;
  force?: boolean;
  json?: boolean;
  dataDir: string;
  cotahistUrl?: string;
  minInterval: number;
  timeout: number;
  retries: number;
}

/** `b3lake backfill cotahist`: B3's COTAHIST files of years or days into the lake. */
export function backfillCommand(ctx: CliContext) {
  return withCotahistUrl(
    withJson(
      withDataDir(
        new Command('backfill')
          .summary("B3's price history (COTAHIST files) of years or days into the lake")
          .description(
            "Downloads B3's COTAHIST files — annual (COTAHIST_A<YYYY>.ZIP) for years, daily " +
              '(COTAHIST_D<DDMMYYYY>.ZIP) for days, weekends and B3 holidays left out — archives them in ' +
              'DIR/lake/landing/cotahist/ and loads every record into db_b3lake_sot.tbsot_b3_cotacoes_historicas ' +
              'and the spot market of shares, units, FIIs, ETFs and BDRs into ' +
              'db_b3lake_spec.tbspec_b3_cotacoes_diarias. Files already loaded are neither downloaded nor written ' +
              'again.',
          )
          .addArgument(new Argument('<source>', 'what to backfill').choices(['cotahist'] as const))
          .requiredOption('--from <YYYY|YYYY-MM-DD>', 'first year (annual files) or first day (daily files)', yearOrDay)
          .option(
            '--to <YYYY|YYYY-MM-DD>',
            'last year or day, the same kind as --from (default: this year, or today, in São Paulo)',
            yearOrDay,
          )
          .option('--force', 'download and load again files already loaded')
          .option('--min-interval <ms>', 'minimum time between requests to B3 (be polite)', nonNegativeInt, 250)
          .option('--timeout <ms>', 'longest wait for the next bytes of a download', positiveInt, 20_000)
          .option('--retries <n>', 'attempts per request, the first included', positiveInt, 4),
      ),
    ),
  )
    .addHelpText(
      'after',
      `
Examples:
  npx b3lake backfill cotahist --from 2000 --to 2025              annual files (about 90 MB each lately)
  npx b3lake backfill cotahist --from 2026-01-02 --to 2026-11-20  daily files

A re-run downloads and writes nothing already loaded: a past year's file once it holds the year's
last session, a day once loaded or held by a loaded annual file. This year's annual file grows
every session: it is downloaded again once it lacks the last session before today. A file an
interrupted run downloaded is loaded from the archive, without a request. A day B3 has not
published (yet) is reported, not a failure. Ctrl-C stops cleanly; the same command resumes.`,
    )
    .action(async (_source, options) => {
      ctx.exitCode = await backfill(options as BackfillOptions, ctx.io);
    });
}

/** What to do with one file, decided from the ledger and the landing archive before any request. */
export interface PlannedFile {
  file: string;
  year: number;
  /** fetch: download then load; archive: load what an earlier run downloaded; skip: nothing to do. */
  action: 'fetch' | 'archive' | 'skip';
  /** For a skip: loaded already, or its day held by a loaded annual/monthly file (`coveredBy`). */
  reason?: 'loaded' | 'covered';
  coveredBy?: string;
  /** For a fetch of a file loaded before: this year's annual file, grown since (or --force). */
  refresh?: boolean;
}

export interface BackfillPlan {
  files: PlannedFile[];
  /** Weekends and holidays in a range of days: no file is asked for. */
  nonTradingDays: number;
}

/** The last trading day of a year (the calendar's: Dec 24 and 31 are not). */
export function lastTradingDay(year: number): string {
  for (let day = Date.UTC(year, 11, 31); ; day -= 86_400_000) {
    const iso = new Date(day).toISOString().slice(0, 10);
    if (isTradingDay(iso)) return iso;
  }
}

/** The last trading day before `today` (ISO). */
export function previousTradingDay(today: string): string {
  for (let day = Date.parse(`${today}T00:00:00Z`) - 86_400_000; ; day -= 86_400_000) {
    const iso = new Date(day).toISOString().slice(0, 10);
    if (isTradingDay(iso)) return iso;
  }
}

/**
 * Whether a loaded annual file is all there is to have: a past year's file generated after the
 * year ended or holding its last session; this year's file holding the last session before today.
 */
export function annualIsComplete(loaded: LoadedFile, year: number, today: string): boolean {
  const last = loaded.lastDate ?? '';
  if (year < Number(today.slice(0, 4))) return loaded.generatedOn > `${year}-12-31` || last >= lastTradingDay(year);
  return last >= previousTradingDay(today);
}

/** The files of a range, decided from the ledger (`loaded`, per year) and the archive (`archived` names, per year). */
export function planBackfill(
  from: RangeEnd,
  to: RangeEnd,
  state: { loaded: (year: number) => readonly LoadedFile[]; archived: (year: number) => ReadonlySet<string> },
  options: { force?: boolean; today: string },
): BackfillPlan {
  const files: PlannedFile[] = [];
  let nonTradingDays = 0;
  const plan = (file: string, year: number, skip: (loaded: readonly LoadedFile[]) => PlannedFile | undefined) => {
    const loaded = state.loaded(year);
    const skipped = options.force ? undefined : skip(loaded);
    if (skipped) return files.push(skipped);
    const before = loaded.some((f) => f.file === file);
    if (!options.force && !before && state.archived(year).has(file))
      return files.push({ file, year, action: 'archive' });
    files.push({ file, year, action: 'fetch', ...(before && { refresh: true }) });
  };
  if (from.date === undefined) {
    for (let year = from.year; year <= to.year; year++) {
      const file = cotahistFileName({ year });
      plan(file, year, (loaded) => {
        const own = loaded.find((f) => f.file === file);
        return own && annualIsComplete(own, year, options.today)
          ? { file, year, action: 'skip', reason: 'loaded' }
          : undefined;
      });
    }
    return { files, nonTradingDays };
  }
  const last = to.date as string;
  for (let ms = Date.parse(`${from.date}T00:00:00Z`); ; ms += 86_400_000) {
    const date = new Date(ms).toISOString().slice(0, 10);
    if (date > last) break;
    if (!isTradingDay(date)) {
      nonTradingDays++;
      continue;
    }
    const year = Number(date.slice(0, 4));
    const file = cotahistFileName({ date });
    plan(file, year, (loaded) => {
      if (loaded.some((f) => f.file === file)) return { file, year, action: 'skip', reason: 'loaded' };
      const holder = coveredByName(loaded, file);
      return holder ? { file, year, action: 'skip', reason: 'covered', coveredBy: holder.file } : undefined;
    });
  }
  return { files, nonTradingDays };
}

/** One sentence: `12 files to fetch, 28 already loaded (3 days held by annual files)`. */
export function planLine(plan: BackfillPlan, force = false): string {
  const n = (what: PlannedFile['action'], reason?: PlannedFile['reason']) =>
    plan.files.filter((f) => f.action === what && (reason === undefined || f.reason === reason)).length;
  const files = (k: number) => `${k} file${k === 1 ? '' : 's'}`;
  const parts = [`${files(n('fetch'))} to fetch${force ? ' (--force: every file again)' : ''}`];
  const refresh = plan.files.filter((f) => f.refresh).length;
  if (refresh && !force) parts[0] += ` (${refresh} incomplete when loaded)`;
  if (n('archive')) parts.push(`${n('archive')} to load from the archive an earlier run downloaded`);
  parts.push(`${n('skip', 'loaded')} already loaded`);
  const covered = n('skip', 'covered');
  if (covered) parts.push(`${covered} day${covered === 1 ? '' : 's'} held by a loaded annual or monthly file`);
  if (plan.nonTradingDays) parts.push(`${plan.nonTradingDays} weekend days and holidays left out`);
  return parts.join(', ');
}

export type FileOutcome =
  'loaded' | 'unchanged' | 'covered' | 'already-loaded' | 'not-published' | 'failed' | 'not-attempted';

export interface FileReport {
  file: string;
  year: number;
  outcome: FileOutcome;
  downloadedBytes: number;
  quotes: number;
  spotRows: number;
  seconds: number;
  replaced: string[];
  coveredBy?: string;
  /** From the archive an earlier run downloaded (no request). */
  fromArchive?: boolean;
  error?: { code: string; message: string };
}

export interface YearReport {
  year: number;
  /** Files loaded by this backfill. */
  files: number;
  quotes: number;
  spotRows: number;
  downloadedBytes: number;
  seconds: number;
  replaced: string[];
  skipped: number;
  notPublished: number;
  failed: number;
}

export interface BackfillReport {
  source: 'cotahist';
  from: string;
  to: string;
  status: 'complete' | 'partial' | 'interrupted';
  plan: { toFetch: number; fromArchive: number; alreadyLoaded: number; covered: number; nonTradingDays: number };
  files: FileReport[];
  years: YearReport[];
  durationMs: number;
  peakRssMb: number;
}

const show = (end: RangeEnd) => end.date ?? String(end.year);

/** A download that broke off after its first bytes is tried again this many times. */
const BROKEN_DOWNLOAD_RETRIES = 2;

async function backfill(options: BackfillOptions, io: Io): Promise<number> {
  const started = Date.now();
  const today = saoPauloDate(new Date());
  const from = options.from;
  const thisYear = Number(today.slice(0, 4));
  const to: RangeEnd = options.to ?? (from.date === undefined ? { year: thisYear } : { year: thisYear, date: today });
  checkRange(from, to, today);

  const { ctx, close } = await localContext({
    dataDir: options.dataDir,
    cotahistUrl: cotahistUrlOf(options),
    concurrency: 1,
    minIntervalMs: options.minInterval,
    timeoutMs: options.timeout,
    maxAttempts: options.retries,
  });
  const stop = stopOnSignals(io, 'the files downloaded so far are kept in the archive');
  const reporter = backfillReporter(io, Boolean(process.stderr.isTTY), (t) => process.stderr.write(t));
  const sot = ctx.stores('sot');
  const landing = ctx.stores('landing');
  const ledgers = new Map<number, LoadedFile[]>();
  const archives = new Map<number, Set<string>>();
  const reports: FileReport[] = [];
  let planned: BackfillReport['plan'] = { toFetch: 0, fromArchive: 0, alreadyLoaded: 0, covered: 0, nonTradingDays: 0 };
  let loadedAny = false;
  try {
    for (let year = from.year; year <= to.year; year++) {
      ledgers.set(year, await loadedFiles(sot, year));
      const prefix = `cotahist/ano=${year}/`;
      archives.set(year, new Set((await landing.list(prefix)).map((o) => o.key.slice(prefix.length))));
    }
    const plan = planBackfill(
      from,
      to,
      { loaded: (y) => ledgers.get(y) ?? [], archived: (y) => archives.get(y) ?? new Set() },
      { force: options.force, today },
    );
    io.err(`b3lake: backfill cotahist ${show(from)} to ${show(to)}: ${planLine(plan, options.force)}`);
    planned = planCounts(plan);
    const todo = plan.files.filter((f) => f.action !== 'skip');
    for (const f of plan.files.filter((p) => p.action === 'skip'))
      reports.push({
        ...emptyReport(f.file, f.year),
        outcome: f.reason === 'covered' ? 'covered' : 'already-loaded',
        coveredBy: f.coveredBy,
      });
    for (const [i, file] of todo.entries()) {
      const title = fileTitle(i + 1, todo.length, file.file);
      if (stop.signal.aborted) {
        reports.push({ ...emptyReport(file.file, file.year), outcome: 'not-attempted' });
        continue;
      }
      const report = await landFile(ctx, file, title, {
        force: options.force,
        signal: stop.signal,
        reporter,
        ledger: ledgers.get(file.year),
      });
      reports.push(report);
      if (report.outcome === 'loaded') loadedAny = true;
      if (report.replaced.length) loadedAny = true;
    }
  } finally {
    reporter.end();
    stop.dispose();
    // The catalog's views for people who open catalog.duckdb directly (`query` builds its own).
    if (loadedAny) await ctx.catalog.refresh(TABLES);
    await close();
  }

  reports.sort((a, b) => a.year - b.year || a.file.localeCompare(b.file));
  const interrupted = stop.signal.aborted && reports.some((r) => r.outcome === 'not-attempted');
  const failed = reports.filter((r) => r.outcome === 'failed');
  const report: BackfillReport = {
    source: 'cotahist',
    from: show(from),
    to: show(to),
    status: interrupted ? 'interrupted' : failed.length ? 'partial' : 'complete',
    plan: planned,
    files: reports,
    years: byYear(reports),
    durationMs: Date.now() - started,
    // maxRSS is in kilobytes: the peak resident memory of this process over the whole backfill.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  const resume = resumeCommand(options, from, to);
  if (options.json) io.out(JSON.stringify(report, null, 2));
  else io.out(formatReport(report, localPaths(options.dataDir).root, options.dataDir));
  if (interrupted) {
    const done = reports.filter((r) => r.outcome !== 'not-attempted').length;
    io.err(
      `b3lake: interrupted: ${done} of ${reports.length} files done (the downloaded ones are archived). ` +
        `Resume with: ${resume}`,
    );
    return EXIT.INTERRUPTED;
  }
  if (!failed.length) return EXIT.OK;
  io.err(`b3lake: ${failed.length} file${failed.length === 1 ? '' : 's'} failed; retry them with: ${resume}`);
  // Nothing at all got through and every failure is the network's: the network's exit code.
  const network = failed.every((r) => r.error?.code === 'NETWORK');
  return network && !reports.some((r) => r.outcome === 'loaded') ? EXIT.NETWORK : EXIT.PARTIAL;
}

function checkRange(from: RangeEnd, to: RangeEnd, today: string): void {
  if ((from.date === undefined) !== (to.date === undefined))
    throw new UsageError('--from and --to must both be years (annual files) or both be days (daily files)');
  const [a, b] = [show(from), show(to)];
  if (a > b) throw new UsageError(`--from ${a} is after --to ${b}`);
  const now = to.date === undefined ? today.slice(0, 4) : today;
  if (b > now) throw new UsageError(`--to ${b} is in the future (today is ${today} in São Paulo)`);
}

const emptyReport = (file: string, year: number): FileReport => ({
  file,
  year,
  outcome: 'not-attempted',
  downloadedBytes: 0,
  quotes: 0,
  spotRows: 0,
  seconds: 0,
  replaced: [],
});

/**
 * Downloads (unless archived) and loads one file. A file B3 has not published is reported, any
 * other error too, and the backfill goes on. A download that broke off midway is tried again; an
 * archive an earlier run left that does not load is downloaded again once.
 */
async function landFile(
  ctx: PipelineContext,
  planned: PlannedFile,
  title: string,
  options: {
    force?: boolean;
    signal: AbortSignal;
    reporter: ReturnType<typeof backfillReporter>;
    /** The year's ledger, kept current by each load (no re-reading of the ledger per file). */
    ledger?: LoadedFile[];
  },
): Promise<FileReport> {
  const { reporter, signal } = options;
  const report = emptyReport(planned.file, planned.year);
  const started = Date.now();
  let fetch = planned.action === 'fetch';
  let downloadMs = 0;
  for (let attempt = 1; ; attempt++) {
    let stage: 'download' | 'load' = 'download';
    let received = 0;
    try {
      if (fetch) {
        reporter.start('download', title);
        const downloadStarted = Date.now();
        const onBytes = (bytes: number, size?: number) => {
          received = bytes;
          reporter.bytes(bytes, size);
        };
        report.downloadedBytes = (await fetchCotahistFile(ctx, planned.file, { signal, onBytes })).bytes;
        downloadMs = Date.now() - downloadStarted;
      }
      stage = 'load';
      reporter.start('load', title);
      const loadStarted = Date.now();
      const result = await loadCotahistFile(ctx, planned.file, {
        force: options.force,
        onProgress: (p) => reporter.load(p),
        signal,
        ledger: options.ledger,
      });
      Object.assign(report, outcomeOf(result), { fromArchive: !fetch, seconds: (Date.now() - started) / 1000 });
      reporter.done(resultLine(title, report, downloadMs, Date.now() - loadStarted));
      return report;
    } catch (error) {
      if (signal.aborted) return { ...report, outcome: 'not-attempted', downloadedBytes: 0 };
      if (error instanceof CotahistNotPublishedError) {
        reporter.done(`b3lake: ${title}: not published (${error.url} answered ${error.received})`);
        return { ...report, outcome: 'not-published', seconds: (Date.now() - started) / 1000 };
      }
      // A download cut after its first bytes (the client retried only up to them), or an archive
      // an earlier run left that does not load: download it (again).
      const broken = stage === 'download' && received > 0 && isRetryable(error);
      if ((broken && attempt <= BROKEN_DOWNLOAD_RETRIES) || (stage === 'load' && !fetch)) {
        reporter.line(`b3lake: ${title}: ${describeError(error)}; downloading it again`);
        fetch = true;
        continue;
      }
      reporter.done(`b3lake: ${title}: failed: ${describeError(error)}`);
      const code = exitCodeFor(error) === EXIT.NETWORK ? 'NETWORK' : errorCode(error);
      return {
        ...report,
        outcome: 'failed',
        seconds: (Date.now() - started) / 1000,
        error: { code, message: describeError(error) },
      };
    }
  }
}

function isRetryable(error: unknown): boolean {
  return Boolean(error && typeof error === 'object' && (error as { retryable?: unknown }).retryable === true);
}

function errorCode(error: unknown): string {
  const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : 'UNEXPECTED';
}

function outcomeOf(result: CotahistLoadResult): Partial<FileReport> {
  if (result.status === 'covered') return { outcome: 'covered', coveredBy: result.coveredBy };
  return {
    outcome: result.status,
    quotes: result.loaded.quotes,
    spotRows: result.loaded.spotRows,
    replaced: result.replaced,
  };
}

function resultLine(title: string, r: FileReport, downloadMs: number, loadMs: number): string {
  if (r.outcome === 'covered') return `b3lake: ${title}: its days are in ${r.coveredBy}, already loaded; not kept`;
  if (r.outcome === 'unchanged')
    return (
      `b3lake: ${title}: ${megabytes(r.downloadedBytes)} downloaded, the same bytes as loaded before; ` +
      'nothing written'
    );
  const replaced = r.replaced.length ? `; replaced ${r.replaced.length} file(s) it holds` : '';
  return fileDoneLine(title, { ...r, downloadMs, loadMs }) + replaced;
}

/** The plan in numbers, for --json. */
export function planCounts(plan: BackfillPlan): BackfillReport['plan'] {
  const n = (test: (f: PlannedFile) => boolean) => plan.files.filter(test).length;
  return {
    toFetch: n((f) => f.action === 'fetch'),
    fromArchive: n((f) => f.action === 'archive'),
    alreadyLoaded: n((f) => f.reason === 'loaded'),
    covered: n((f) => f.reason === 'covered'),
    nonTradingDays: plan.nonTradingDays,
  };
}

function byYear(reports: readonly FileReport[]): YearReport[] {
  const years = new Map<number, YearReport>();
  for (const r of reports) {
    let y = years.get(r.year);
    if (!y) {
      y = {
        year: r.year,
        files: 0,
        quotes: 0,
        spotRows: 0,
        downloadedBytes: 0,
        seconds: 0,
        replaced: [],
        skipped: 0,
        notPublished: 0,
        failed: 0,
      };
      years.set(r.year, y);
    }
    y.downloadedBytes += r.downloadedBytes;
    y.seconds += r.seconds;
    if (r.outcome === 'loaded') {
      y.files++;
      y.quotes += r.quotes;
      y.spotRows += r.spotRows;
      y.replaced.push(...r.replaced);
    } else if (r.outcome === 'not-published') y.notPublished++;
    else if (r.outcome === 'failed') y.failed++;
    else if (r.outcome !== 'not-attempted') y.skipped++;
  }
  return [...years.values()].map((y) => ({ ...y, seconds: Math.round(y.seconds * 10) / 10 }));
}

function formatReport(r: BackfillReport, root: string, dataDir: string): string {
  const lines = [`Backfill cotahist ${r.from} to ${r.to} ${r.status} in ${formatDuration(r.durationMs)} → ${root}`];
  const rows = r.years.map((y) => ({
    year: y.year,
    loaded: y.files,
    records: count(y.quotes),
    'spot rows': count(y.spotRows),
    downloaded: megabytes(y.downloadedBytes),
    seconds: y.seconds.toFixed(1),
    'already there': y.skipped,
    'not published': y.notPublished,
    failed: y.failed,
    replaced: y.replaced.length,
  }));
  const names = ['year', 'loaded', 'records', 'spot rows', 'downloaded', 'seconds', 'already there'];
  names.push('not published', 'failed', 'replaced');
  lines.push(textTable(names, rows, { noun: 'year' }));
  const total = (f: (y: YearReport) => number) => r.years.reduce((sum, y) => sum + f(y), 0);
  lines.push(
    `total: ${total((y) => y.files)} files loaded, ${count(total((y) => y.quotes))} records, ` +
      `${count(total((y) => y.spotRows))} spot rows, ${megabytes(total((y) => y.downloadedBytes))} downloaded; ` +
      `peak memory ${r.peakRssMb} MB`,
  );
  const notPublished = r.files.filter((f) => f.outcome === 'not-published').map((f) => f.file);
  if (notPublished.length)
    lines.push(`not published by B3 (not yet, or a holiday the calendar does not know): ${listed(notPublished)}`);
  const replaced = r.files.flatMap((f) => f.replaced);
  if (replaced.length) lines.push(`replaced (their days are in a file loaded now): ${listed(replaced)}`);
  for (const f of r.files.filter((x) => x.outcome === 'failed')) lines.push(`failed: ${f.file}: ${f.error?.message}`);
  if (r.files.some((f) => ['loaded', 'unchanged', 'already-loaded', 'covered'].includes(f.outcome)))
    lines.push(
      `Query: npx b3lake query "SELECT dt_pregao, vlr_fechamento FROM db_b3lake_spec.tbspec_b3_cotacoes_diarias ` +
        `WHERE codigo_ticker = 'PETR4' ORDER BY dt_pregao"${dataDirArg(dataDir)}`,
    );
  return lines.join('\n');
}

const listed = (names: readonly string[]) =>
  names.length > 8 ? `${names.slice(0, 8).join(', ')} … (${names.length})` : names.join(', ');

/** The command that resumes: the same range and source (`--force` left out: what is loaded stays). */
function resumeCommand(options: BackfillOptions, from: RangeEnd, to: RangeEnd): string {
  const parts = [`npx b3lake backfill cotahist --from ${show(from)} --to ${show(to)}`];
  if (options.cotahistUrl) parts.push(`--cotahist-url ${options.cotahistUrl}`);
  if (options.minInterval !== 250) parts.push(`--min-interval ${options.minInterval}`);
  return parts.join(' ') + dataDirArg(options.dataDir);
}
