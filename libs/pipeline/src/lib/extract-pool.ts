import pLimit from 'p-limit';
import { toDeadLetter, type DeadLetter } from './dead-letters';
import type { ExtractJob, PipelineContext } from './ports';
import { extractStep, type Extracted } from './steps/extract';
import { archivedPages, recordedSources, restoreFromArchive, type ArchivedPage } from './steps/restore';

/** How the day's tickers are landed: from the network, or from pages an earlier run archived. */
export interface PoolOptions {
  /** Tickers (and requests: the HTTP client enforces its own limit) in flight. */
  concurrency: number;
  /** Refetch every ticker, even one whose page an earlier run of the day archived. */
  force?: boolean;
  /** Tickers fetched even when archived: the day's dead letters (an archived page may be one that failed to parse). */
  refetch?: ReadonlySet<string>;
  /** Fetch nothing but `refetch`: the other tickers land from their archive or not at all (`--only-failed`). */
  onlyRefetch?: boolean;
  /** Stops the pool: nothing new starts, requests in flight are aborted, their tickers are left for a re-run. */
  signal?: AbortSignal;
  /** Each ticker attempted, as it ends: `done` of `total` (the tickers this run means to land). */
  onTicker?: (outcome: Exclude<TickerOutcome, { status: 'skipped' }>, done: number, total: number) => void;
}

export type TickerOutcome =
  | { ticker: string; status: 'fetched' | 'restored'; extracted: Extracted }
  | { ticker: string; status: 'failed'; letter: DeadLetter }
  | { ticker: string; status: 'skipped' };

export interface PoolResult {
  fetched: number;
  restored: number;
  /** Tickers not attempted: stopped by the signal, or left out by `onlyRefetch`. */
  skipped: number;
  deadLetters: DeadLetter[];
  /** Tickers fetched, restored or dead-lettered (not the skipped ones). */
  attempted: Set<string>;
  /** The latest "Data últ cot" among the pages that landed. */
  latestQuoteDate?: string;
}

/**
 * Lands each job's ticker once. A ticker whose page an earlier run of the day archived is
 * rebuilt from that archive (no request) unless `force`; the rest is fetched. A ticker that
 * still fails after the HTTP client's retries is dead-lettered; one stopped by the signal is not.
 */
export async function extractAll(
  ctx: PipelineContext,
  anomesdia: number,
  jobs: readonly ExtractJob[],
  options: PoolOptions,
): Promise<PoolResult> {
  const archived = options.force ? new Map<string, ArchivedPage>() : await archivedPages(ctx, anomesdia);
  const recorded = archived.size ? await recordedSources(ctx, anomesdia) : new Map();
  const result: PoolResult = { fetched: 0, restored: 0, skipped: 0, deadLetters: [], attempted: new Set() };
  const limit = pLimit(options.concurrency * 2);
  let done = 0;
  const land = async (job: ExtractJob): Promise<TickerOutcome> => {
    const refetch = options.refetch?.has(job.ticker) ?? false;
    const page = refetch ? undefined : archived.get(job.ticker);
    if (options.signal?.aborted || (!page && options.onlyRefetch && !refetch))
      return { ticker: job.ticker, status: 'skipped' };
    try {
      if (page) {
        return {
          ticker: job.ticker,
          status: 'restored',
          extracted: await restoreFromArchive(ctx, anomesdia, page, recorded),
        };
      }
      return {
        ticker: job.ticker,
        status: 'fetched',
        extracted: await extractStep(ctx, job, { signal: options.signal }),
      };
    } catch (error) {
      if (options.signal?.aborted) return { ticker: job.ticker, status: 'skipped' };
      return {
        ticker: job.ticker,
        status: 'failed',
        letter: toDeadLetter(job.ticker, job.kind, error, ctx.clock.now()),
      };
    }
  };
  // --only-failed leaves out what is neither a dead letter nor archived: not part of the progress.
  const planned = options.onlyRefetch
    ? jobs.filter((job) => options.refetch?.has(job.ticker) || archived.has(job.ticker))
    : jobs;
  result.skipped = jobs.length - planned.length;
  await Promise.all(
    planned.map((job) =>
      limit(async () => {
        const outcome = await land(job);
        if (outcome.status !== 'skipped') result.attempted.add(job.ticker);
        if (outcome.status === 'skipped') result.skipped++;
        else if (outcome.status === 'failed') result.deadLetters.push(outcome.letter);
        else {
          result[outcome.status]++;
          const date = outcome.extracted.quoteDate;
          if (date && (!result.latestQuoteDate || date > result.latestQuoteDate)) result.latestQuoteDate = date;
        }
        if (outcome.status !== 'skipped') options.onTicker?.(outcome, ++done, planned.length);
      }),
    ),
  );
  return result;
}
