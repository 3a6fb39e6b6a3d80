import { ASSET_KIND_IDS, TABLES, isAssetKind } from '@b3lake/lake';
import { cotahistFileName } from '@b3lake/scraper';
import { landCotahistFile } from './cotahist/land';
import { type DeadLetter, type DeadLetterSink } from './dead-letters';
import { countingStores } from './counting-stores';
import { extractAll } from './extract-pool';
import type { AssetKind, ExtractJob, PipelineContext } from './ports';
import { finalizeStep, type TableFinal } from './steps/finalize';
import { ibovStep, type IbovResult } from './steps/ibov';
import { PROVENTOS_KIND, proventosDue, proventosOfRun, type ProventosSummary } from './proventos/run';
import { listStep } from './steps/list';
import { recordRun, runId, type RunStatus } from './steps/record-run';
import { startRun, type RunDate } from './steps/start';
import { toDeadLetter } from './dead-letters';

export type RunKind = AssetKind | 'ibov' | 'cotahist' | 'proventos';

/** The kinds of every trading day: both listings and every detail page, the IBOV portfolio, the day's COTAHIST file. */
export const DAILY_RUN_KINDS: readonly RunKind[] = [...ASSET_KIND_IDS, 'ibov', 'cotahist'];

/**
 * What a run of `date` does by default: the daily kinds, plus every dividend page (proventos) on
 * the last trading day of the week (see proventosDue): weekly, since it doubles a day's requests.
 */
export function defaultRunKinds(date: string): RunKind[] {
  return proventosDue(date) ? [...DAILY_RUN_KINDS, PROVENTOS_KIND] : [...DAILY_RUN_KINDS];
}

/** The dead letter's "ticker" for the IBOV portfolio. */
const IBOV = 'IBOV';
/** The dead letter's "ticker" for the day's COTAHIST file. */
const COTAHIST = 'COTAHIST';

type Phase = 'list' | 'extract' | 'finalize' | 'ibov' | 'cotahist' | 'proventos';

/** What became of the business date's COTAHIST file (`COTAHIST_D24052022.ZIP`) in a run. */
export interface CotahistDayResult {
  file: string;
  /**
   * loaded by this run; already-loaded by an earlier one (nothing fetched); covered: a loaded
   * annual or monthly file holds the day (nothing fetched); not-published: B3 has no such file yet.
   */
  status: 'loaded' | 'already-loaded' | 'covered' | 'not-published';
  /** Whether this run downloaded it (false when an earlier, interrupted run had archived it). */
  downloaded: boolean;
  quotes: number;
  spotRows: number;
  coveredBy?: string;
  /** Files whose days this one holds, removed from the tables. */
  replaced: string[];
}

export interface RunOptions {
  /** Business date (ISO); default today in America/Sao_Paulo. */
  date?: string;
  kinds: readonly RunKind[];
  /** At most this many tickers per listing (per asset kind). */
  limit?: number;
  /** The proventos kind fetches only these tickers' dividend pages (looked up in the day's listings). */
  tickers?: readonly string[];
  /**
   * Requests in flight (the HTTP client enforces it). Twice as many tickers are processed at
   * once, so parsing and writing one page overlaps with fetching the next ones.
   */
  concurrency: number;
  deadLetters: DeadLetterSink;
  onEvent?: (event: RunEvent) => void;
  /** Refetch every ticker; by default a re-run of a date lands only what has not landed yet. */
  force?: boolean;
  /** Retry only the day's dead letters. */
  onlyFailed?: boolean;
  /** Stops the run cleanly (SIGINT/SIGTERM): nothing new starts, finalize is skipped, the manifest says interrupted. */
  signal?: AbortSignal;
  /** Recorded in the run manifest. */
  version?: string;
}

export type RunEvent =
  | { type: 'phase'; phase: Phase; detail?: string }
  | { type: 'ticker'; ticker: string; ok: boolean; done: number; total: number; error?: string; restored?: boolean }
  | { type: 'phase-end'; phase: Phase; ms: number }
  | { type: 'warning'; message: string };

export interface RunSummary {
  businessDate: string;
  skipped?: string;
  /** complete, partial (some tickers did not land), interrupted or failed; absent for a skipped day. */
  status?: RunStatus;
  /** The run's row in the run manifest (db_b3lake_ops.tbops_execucoes). */
  runId?: string;
  /**
   * Tickers: `ok` landed (fetched, or `restored` from a page an earlier run of the day archived),
   * `failed` dead-lettered, `notAttempted` stopped by a signal or left out by --only-failed.
   */
  tickers: { ok: number; restored: number; failed: number; notAttempted: number; total: number };
  /** The sources' own dates: the latest "Data últ cot" read, the IBOV portfolio's date. */
  sourceDates: { fundamentus?: string; ibov?: string };
  /** Things a user should know: a source date that is not the business date, for one. */
  warnings: string[];
  listed: Partial<Record<AssetKind, number>>;
  tables: TableFinal[];
  ibov?: IbovResult;
  /** The business date's COTAHIST file, when the run's kinds include cotahist (and it was not stopped before). */
  cotahist?: CotahistDayResult;
  /** The dividend histories, when the run's kinds include proventos (and it was not stopped before). */
  proventos?: ProventosSummary;
  deadLetters: DeadLetter[];
  objectsWritten: number;
  durationMs: number;
  /** Milliseconds spent in each phase. */
  phaseMs: Partial<Record<Phase, number>>;
}

/**
 * The whole daily pipeline in one process: the same step functions the Lambdas call, wired by
 * an in-process worker pool instead of SQS. Finalize derives SoT and Spec from the day's SoR,
 * so the per-ticker prepare/specialize steps (S3-triggered on AWS) are not needed here. A
 * ticker that still fails after the HTTP client's retries is dead-lettered; the others land.
 */
export async function runDaily(baseCtx: PipelineContext, options: RunOptions): Promise<RunSummary> {
  const started = Date.now();
  const startedAt = baseCtx.clock.now();
  const emit = options.onEvent ?? (() => undefined);
  const counting = countingStores(baseCtx.stores);
  const ctx: PipelineContext = { ...baseCtx, stores: counting.stores };
  const start = startRun(ctx.clock, options.date);
  const summary: RunSummary = {
    businessDate: start.businessDate,
    tickers: { ok: 0, restored: 0, failed: 0, notAttempted: 0, total: 0 },
    sourceDates: {},
    warnings: [],
    listed: {},
    tables: [],
    deadLetters: [],
    objectsWritten: 0,
    durationMs: 0,
    phaseMs: {},
  };
  let phaseStart = Date.now();
  const phaseDone = (phase: keyof RunSummary['phaseMs']) => {
    summary.phaseMs[phase] = Date.now() - phaseStart;
    phaseStart = Date.now();
    emit({ type: 'phase-end', phase, ms: summary.phaseMs[phase] });
  };
  if (start.skipped) return { ...summary, skipped: start.reason, durationMs: Date.now() - started };

  let failure: unknown;
  // Work the stop signal left undone: a signal that arrives during finalize or ibov lets them finish.
  let stoppedBefore = false;
  // The dead letters this run attempted again, by letterKey.
  const attempted = new Set<string>();
  try {
    const previous = options.force ? [] : await options.deadLetters.read(start.businessDate);
    const assetKinds = options.kinds.filter(isAssetKind);
    let listed: { jobs: readonly ExtractJob[]; kinds: readonly AssetKind[] } = { jobs: [], kinds: [] };
    if (assetKinds.length) {
      const letters = previous.filter((letter) => isAssetKind(letter.kind));
      const day = await extractDay(ctx, start, assetKinds, options, letters, summary, emit, phaseDone);
      stoppedBefore = !day.finalized;
      for (const ticker of day.attempted) attempted.add(letterKey({ kind: 'acoes', ticker }));
      listed = { jobs: day.jobs, kinds: assetKinds };
    }
    if (options.kinds.includes('ibov') && options.signal?.aborted) stoppedBefore = true;
    else if (options.kinds.includes('ibov')) {
      attempted.add(letterKey({ kind: 'ibov', ticker: IBOV }));
      emit({ type: 'phase', phase: 'ibov' });
      try {
        summary.ibov = await ibovStep(ctx, start);
        summary.sourceDates.ibov = summary.ibov.date;
      } catch (error) {
        summary.deadLetters.push(toDeadLetter(IBOV, 'ibov', error, ctx.clock.now()));
      } finally {
        phaseDone('ibov');
      }
    }
    if (options.kinds.includes('cotahist') && options.signal?.aborted) stoppedBefore = true;
    else if (options.kinds.includes('cotahist')) {
      attempted.add(letterKey({ kind: 'cotahist', ticker: COTAHIST }));
      emit({ type: 'phase', phase: 'cotahist', detail: cotahistFileName({ date: start.businessDate }) });
      try {
        summary.cotahist = await cotahistDay(ctx, start.businessDate, options);
        if (summary.cotahist.status === 'not-published') {
          const warning =
            `B3 has not published ${summary.cotahist.file} yet (a day's file comes out in the evening after the ` +
            `session): the day's price history is missing until a later run of the day with the cotahist kind`;
          summary.warnings.push(warning);
          emit({ type: 'warning', message: warning });
        }
      } catch (error) {
        if (options.signal?.aborted) stoppedBefore = true;
        else summary.deadLetters.push(toDeadLetter(COTAHIST, 'cotahist', error, ctx.clock.now()));
      } finally {
        phaseDone('cotahist');
      }
    }
    if (options.kinds.includes(PROVENTOS_KIND) && options.signal?.aborted) stoppedBefore = true;
    else if (options.kinds.includes(PROVENTOS_KIND)) {
      const letters = previous.filter((letter) => letter.kind === PROVENTOS_KIND);
      const phase = await proventosOfRun(ctx, start, listed, options, letters, emit);
      summary.proventos = phase.summary;
      summary.deadLetters.push(...phase.deadLetters);
      summary.warnings.push(...phase.warnings);
      for (const ticker of phase.attempted) attempted.add(letterKey({ kind: PROVENTOS_KIND, ticker }));
      if (phase.stopped) stoppedBefore = true;
      phaseDone('proventos');
    }
  } catch (error) {
    failure = error;
  }

  for (const [source, date] of Object.entries(summary.sourceDates)) {
    if (date && date !== start.businessDate) {
      const warning =
        `${source === 'ibov' ? 'the IBOV portfolio is' : "Fundamentus' latest quote is"} of ${date}, ` +
        `not of the business date ${start.businessDate}`;
      summary.warnings.push(warning);
      emit({ type: 'warning', message: warning });
    }
  }
  if (options.limit !== undefined) {
    const warning = `limited to the first ${options.limit} tickers of each listing (--limit): the day is not complete`;
    summary.warnings.push(warning);
  }
  const proventosShort = summary.proventos
    ? summary.proventos.tickers.notAttempted > 0 || summary.proventos.notListed.length > 0
    : false;
  summary.status = failure
    ? 'failed'
    : stoppedBefore
      ? 'interrupted'
      : summary.tickers.ok < summary.tickers.total ||
          summary.deadLetters.length ||
          options.limit !== undefined ||
          proventosShort
        ? 'partial'
        : 'complete';
  summary.deadLetters.sort((a, b) => a.ticker.localeCompare(b.ticker));
  // The day's dead letters: this run's, and the earlier ones of tickers it did not attempt (a run
  // of other kinds, an interrupted or --only-failed run must not forget them). A failed run leaves them.
  if (!failure) {
    const earlier = (await options.deadLetters.read(start.businessDate)).filter((l) => !attempted.has(letterKey(l)));
    const letters = [...summary.deadLetters, ...earlier].sort((a, b) => a.ticker.localeCompare(b.ticker));
    await options.deadLetters.replace(start.businessDate, letters);
  }
  summary.runId = runId(startedAt, 'local');
  // A run of dividend pages alone counts them; otherwise the counts are the detail pages'.
  const p = options.kinds.some(isAssetKind) ? undefined : summary.proventos?.tickers;
  await recordRun(ctx, {
    id: summary.runId,
    businessDate: start.businessDate,
    startedAt,
    endedAt: ctx.clock.now(),
    status: summary.status,
    kinds: options.kinds,
    tickers: {
      listed: p ? p.total : summary.tickers.total,
      landed: p ? p.fetched + p.restored : summary.tickers.ok,
      fromArchive: p ? p.restored : summary.tickers.restored,
      deadLettered: summary.deadLetters.length,
    },
    ...(summary.proventos && {
      dividends: {
        landed: summary.proventos.tickers.fetched + summary.proventos.tickers.restored,
        deadLettered: summary.proventos.tickers.failed,
        rowsAdded: summary.proventos.added,
        rowsRemoved: summary.proventos.removed,
      },
    }),
    sourceDates: summary.sourceDates,
    warnings: summary.warnings,
    version: options.version ?? '',
    origin: 'local',
  });
  if (failure) throw failure;
  summary.objectsWritten = counting.written();
  summary.durationMs = Date.now() - started;
  return summary;
}

/** List, then land every ticker (fetched, or restored from the day's archive), then finalize. */
async function extractDay(
  ctx: PipelineContext,
  run: RunDate,
  kinds: readonly AssetKind[],
  options: RunOptions,
  previous: readonly DeadLetter[],
  summary: RunSummary,
  emit: (event: RunEvent) => void,
  phaseDone: (phase: keyof RunSummary['phaseMs']) => void,
): Promise<{ finalized: boolean; attempted: ReadonlySet<string>; jobs: ExtractJob[] }> {
  emit({ type: 'phase', phase: 'list' });
  const jobs: ExtractJob[] = [];
  const listed = await listStep(
    ctx,
    run,
    { send: async (batch) => void jobs.push(...batch) },
    { kinds, limit: options.limit, reuseArchived: !options.force },
  );
  summary.listed = Object.fromEntries(Object.entries(listed.listed).sort(([a], [b]) => a.localeCompare(b)));
  summary.tickers.total = jobs.length;
  phaseDone('list');

  emit({ type: 'phase', phase: 'extract', detail: `${jobs.length} tickers` });
  const pool = await extractAll(ctx, run.anomesdia, jobs, {
    concurrency: options.concurrency,
    force: options.force,
    refetch: new Set(previous.map((letter) => letter.ticker)),
    onlyRefetch: options.onlyFailed,
    signal: options.signal,
    onTicker: (outcome, done, total) => {
      emit({
        type: 'ticker',
        ticker: outcome.ticker,
        ok: outcome.status !== 'failed',
        done,
        total,
        ...(outcome.status === 'failed' && { error: `${outcome.letter.code}: ${outcome.letter.message}` }),
        ...(outcome.status === 'restored' && { restored: true }),
      });
    },
  });
  summary.tickers.ok = pool.fetched + pool.restored;
  summary.tickers.restored = pool.restored;
  summary.tickers.failed = pool.deadLetters.length;
  summary.tickers.notAttempted = pool.skipped;
  summary.deadLetters.push(...pool.deadLetters);
  if (pool.latestQuoteDate) summary.sourceDates.fundamentus = pool.latestQuoteDate;
  phaseDone('extract');
  // The landed pages are archived; a re-run resumes from them.
  if (options.signal?.aborted) return { finalized: false, attempted: pool.attempted, jobs };

  emit({ type: 'phase', phase: 'finalize' });
  summary.tables = await finalizeStep(ctx, run.anomesdia);
  phaseDone('finalize');
  return { finalized: true, attempted: pool.attempted, jobs };
}

/** A dead letter's identity across runs of a day: a ticker's detail page and its dividend page are two. */
function letterKey(letter: Pick<DeadLetter, 'kind' | 'ticker'>): string {
  return `${isAssetKind(letter.kind) ? 'extract' : letter.kind}:${letter.ticker}`;
}

/**
 * The business date's COTAHIST file into the history tables: nothing fetched when the ledger
 * already has it or a loaded annual/monthly file holds the day (unless `force`), loaded from the
 * landing archive when an interrupted run downloaded it, otherwise downloaded then loaded.
 */
async function cotahistDay(ctx: PipelineContext, date: string, options: RunOptions): Promise<CotahistDayResult> {
  const landed = await landCotahistFile(ctx, cotahistFileName({ date }), {
    force: options.force,
    signal: options.signal,
  });
  // The catalog's views for people who open it directly (locally refreshed once, when the run closes).
  if (landed.status === 'loaded') await ctx.catalog.refresh(TABLES);
  return {
    file: landed.file,
    status: landed.status === 'unchanged' ? 'already-loaded' : landed.status,
    downloaded: landed.downloaded,
    quotes: landed.quotes,
    spotRows: landed.spotRows,
    coveredBy: landed.coveredBy,
    replaced: landed.replaced,
  };
}
