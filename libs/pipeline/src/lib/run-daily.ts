import { isAssetKind } from '@b3lake/lake';
import { type DeadLetter, type DeadLetterSink } from './dead-letters';
import { countingStores } from './counting-stores';
import { extractAll } from './extract-pool';
import type { AssetKind, ExtractJob, PipelineContext } from './ports';
import { finalizeStep, type TableFinal } from './steps/finalize';
import { ibovStep, type IbovResult } from './steps/ibov';
import { listStep } from './steps/list';
import { recordRun, runId, type RunStatus } from './steps/record-run';
import { startRun, type RunDate } from './steps/start';
import { toDeadLetter } from './dead-letters';

export type RunKind = AssetKind | 'ibov';

/** The dead letter's "ticker" for the IBOV portfolio. */
const IBOV = 'IBOV';

export interface RunOptions {
  /** Business date (ISO); default today in America/Sao_Paulo. */
  date?: string;
  kinds: readonly RunKind[];
  /** At most this many tickers per listing (per asset kind). */
  limit?: number;
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
  | { type: 'phase'; phase: 'list' | 'extract' | 'finalize' | 'ibov'; detail?: string }
  | { type: 'ticker'; ticker: string; ok: boolean; done: number; total: number; error?: string; restored?: boolean }
  | { type: 'phase-end'; phase: 'list' | 'extract' | 'finalize' | 'ibov'; ms: number }
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
  deadLetters: DeadLetter[];
  objectsWritten: number;
  durationMs: number;
  /** Milliseconds spent in each phase. */
  phaseMs: Partial<Record<'list' | 'extract' | 'finalize' | 'ibov', number>>;
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
  const attempted = new Set<string>();
  try {
    const assetKinds = options.kinds.filter(isAssetKind);
    if (assetKinds.length) {
      const day = await extractDay(ctx, start, assetKinds, options, summary, emit, phaseDone);
      stoppedBefore = !day.finalized;
      for (const ticker of day.attempted) attempted.add(ticker);
    }
    if (options.kinds.includes('ibov') && options.signal?.aborted) stoppedBefore = true;
    else if (options.kinds.includes('ibov')) {
      attempted.add(IBOV);
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
  summary.status = failure
    ? 'failed'
    : stoppedBefore
      ? 'interrupted'
      : summary.tickers.ok < summary.tickers.total || summary.deadLetters.length || options.limit !== undefined
        ? 'partial'
        : 'complete';
  summary.deadLetters.sort((a, b) => a.ticker.localeCompare(b.ticker));
  // The day's dead letters: this run's, and the earlier ones of tickers it did not attempt (a run
  // of other kinds, an interrupted or --only-failed run must not forget them). A failed run leaves them.
  if (!failure) {
    const earlier = (await options.deadLetters.read(start.businessDate)).filter((l) => !attempted.has(l.ticker));
    const letters = [...summary.deadLetters, ...earlier].sort((a, b) => a.ticker.localeCompare(b.ticker));
    await options.deadLetters.replace(start.businessDate, letters);
  }
  summary.runId = runId(startedAt, 'local');
  await recordRun(ctx, {
    id: summary.runId,
    businessDate: start.businessDate,
    startedAt,
    endedAt: ctx.clock.now(),
    status: summary.status,
    kinds: options.kinds,
    tickers: {
      listed: summary.tickers.total,
      landed: summary.tickers.ok,
      fromArchive: summary.tickers.restored,
      deadLettered: summary.deadLetters.length,
    },
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
  summary: RunSummary,
  emit: (event: RunEvent) => void,
  phaseDone: (phase: keyof RunSummary['phaseMs']) => void,
): Promise<{ finalized: boolean; attempted: ReadonlySet<string> }> {
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

  const previous: DeadLetter[] = options.force ? [] : await options.deadLetters.read(run.businessDate);
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
  if (options.signal?.aborted) return { finalized: false, attempted: pool.attempted };

  emit({ type: 'phase', phase: 'finalize' });
  summary.tables = await finalizeStep(ctx, run.anomesdia);
  phaseDone('finalize');
  return { finalized: true, attempted: pool.attempted };
}
