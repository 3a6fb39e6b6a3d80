import { isAssetKind } from '@b3lake/lake';
import pLimit from 'p-limit';
import { toDeadLetter, type DeadLetter, type DeadLetterSink } from './dead-letters';
import { countingStores } from './counting-stores';
import type { AssetKind, ExtractJob, PipelineContext } from './ports';
import { extractStep } from './steps/extract';
import { finalizeStep, type TableFinal } from './steps/finalize';
import { ibovStep, type IbovResult } from './steps/ibov';
import { listStep } from './steps/list';
import { startRun } from './steps/start';

export type RunKind = AssetKind | 'ibov';

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
}

export type RunEvent =
  | { type: 'phase'; phase: 'list' | 'extract' | 'finalize' | 'ibov'; detail?: string }
  | { type: 'ticker'; ticker: string; ok: boolean; done: number; total: number; error?: string };

export interface RunSummary {
  businessDate: string;
  skipped?: string;
  tickers: { ok: number; failed: number; total: number };
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
  const emit = options.onEvent ?? (() => undefined);
  const counting = countingStores(baseCtx.stores);
  const ctx: PipelineContext = { ...baseCtx, stores: counting.stores };
  const start = startRun(ctx.clock, options.date);
  const summary: RunSummary = {
    businessDate: start.businessDate,
    tickers: { ok: 0, failed: 0, total: 0 },
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
  };
  if (start.skipped) return { ...summary, skipped: start.reason, durationMs: Date.now() - started };

  const assetKinds = options.kinds.filter(isAssetKind);
  if (assetKinds.length) {
    emit({ type: 'phase', phase: 'list' });
    const jobs: ExtractJob[] = [];
    const listed = await listStep(
      ctx,
      start,
      { send: async (batch) => void jobs.push(...batch) },
      { kinds: assetKinds, limit: options.limit },
    );
    summary.listed = listed.listed;
    phaseDone('list');
    summary.tickers.total = jobs.length;

    emit({ type: 'phase', phase: 'extract', detail: `${jobs.length} tickers` });
    const limit = pLimit(options.concurrency * 2);
    let done = 0;
    await Promise.all(
      jobs.map((job) =>
        limit(async () => {
          try {
            // Landed once its SoR row is written: finalize derives SoT and Spec from the day's SoR.
            await extractStep(ctx, job);
            summary.tickers.ok++;
            emit({ type: 'ticker', ticker: job.ticker, ok: true, done: ++done, total: jobs.length });
          } catch (error) {
            summary.tickers.failed++;
            const letter = toDeadLetter(job.ticker, job.kind, error, ctx.clock.now());
            summary.deadLetters.push(letter);
            emit({
              type: 'ticker',
              ticker: job.ticker,
              ok: false,
              done: ++done,
              total: jobs.length,
              error: `${letter.errorType}: ${letter.message}`,
            });
          }
        }),
      ),
    );

    phaseDone('extract');
    emit({ type: 'phase', phase: 'finalize' });
    summary.tables = await finalizeStep(ctx, start.anomesdia);
    phaseDone('finalize');
  }

  if (options.kinds.includes('ibov')) {
    emit({ type: 'phase', phase: 'ibov' });
    try {
      summary.ibov = await ibovStep(ctx, start);
      phaseDone('ibov');
    } catch (error) {
      summary.deadLetters.push(toDeadLetter('IBOV', 'ibov', error, ctx.clock.now()));
    }
  }

  summary.deadLetters.sort((a, b) => a.ticker.localeCompare(b.ticker));
  await options.deadLetters.replace(start.businessDate, summary.deadLetters);
  summary.objectsWritten = counting.written();
  summary.durationMs = Date.now() - started;
  return summary;
}
