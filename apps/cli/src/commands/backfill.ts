import { Argument, Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { TABLES } from '@b3lake/lake';
import {
  fetchCotahistFile,
  loadCotahistFile,
  loadedFiles,
  saoPauloDate,
  type CotahistLoadResult,
  type LoadedFile,
  type PipelineContext,
} from '@b3lake/pipeline';
import { COTAHIST_FIRST_YEAR, CotahistNotPublishedError } from '@b3lake/scraper';
import { backfillReporter, fileDoneLine, fileTitle, megabytes } from '../backfill-progress';
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
import { stopOnSignals } from '../signals';
import { planBackfill, planCounts, planLine, type PlannedFile } from './backfill-plan';
import { byYear, formatReport, type BackfillReport, type FileReport } from './backfill-report';

export * from './backfill-plan';
export * from './backfill-report';

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
    const range = show(from) === show(to) ? show(from) : `${show(from)} to ${show(to)}`;
    io.err(`b3lake: backfill cotahist ${range}: ${planLine(plan, options.force)}`);
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

/** The command that resumes: the same range and source (`--force` left out: what is loaded stays). */
function resumeCommand(options: BackfillOptions, from: RangeEnd, to: RangeEnd): string {
  const parts = [`npx b3lake backfill cotahist --from ${show(from)} --to ${show(to)}`];
  if (options.cotahistUrl) parts.push(`--cotahist-url ${options.cotahistUrl}`);
  if (options.minInterval !== 250) parts.push(`--min-interval ${options.minInterval}`);
  return parts.join(' ') + dataDirArg(options.dataDir);
}
