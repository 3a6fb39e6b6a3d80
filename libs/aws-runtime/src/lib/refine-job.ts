import type { StartJobRunCommandInput, StartJobRunCommandOutput } from '@aws-sdk/client-glue';
import { InvalidDateError, PipelineError, ibovDateFromObjectKey } from '@b3lake/pipeline';

/**
 * Glue's StartJobRun, as the start-refine-job handler sends it. Passed in rather than imported
 * here: every Lambda bundles this library, and a static import of the Glue client would load it
 * at every cold start.
 */
export type StartJobRun = (input: StartJobRunCommandInput) => Promise<Pick<StartJobRunCommandOutput, 'JobRunId'>>;

/**
 * The refine job is still busy with an earlier run (Glue's ConcurrentRunsExceededException)
 * and the function ran out of time waiting. Retryable: the asynchronous invocation is retried,
 * and after its last retry the failure goes to the function's failure destination.
 */
export class RefineJobBusyError extends PipelineError {
  readonly code = 'REFINE_JOB_BUSY';
  override readonly retryable = true;
  constructor(
    readonly jobName: string,
    readonly date: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Glue job ${jobName} is still running an earlier run; gave up starting it for ${date} ` +
        `after ${attempts} attempt(s) to leave time to report.`,
      options,
    );
    this.name = 'RefineJobBusyError';
  }
}

export interface StartRefineOptions {
  /** Time left in this invocation (Lambda's context.getRemainingTimeInMillis); without it a busy job fails at once. */
  remainingMs?: () => number;
  /** Stop waiting when less than this would be left after the next wait (one more StartJobRun and the error report). */
  marginMs?: number;
  /** First wait after a busy answer; doubles up to maxDelayMs (a refine run takes about two minutes). */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Injected by specs. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Starts the Glue ETL job that runs ibov_refine.sql over one raw day. A second trigger for a
 * date while a run is active (the job allows one at a time) waits and tries again instead of
 * being dropped, until the invocation is about to run out of time.
 */
export async function startRefineJob(
  startJobRun: StartJobRun,
  jobName: string,
  date: string,
  options: StartRefineOptions = {},
): Promise<string> {
  if (!ISO_DATE.test(date)) throw new InvalidDateError('portfolio date', date);
  const {
    remainingMs = () => 0,
    marginMs = 10_000,
    firstDelayMs = 15_000,
    maxDelayMs = 60_000,
    sleep = defaultSleep,
  } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await startJobRun({ JobName: jobName, Arguments: { '--date': date } });
      return out.JobRunId ?? '';
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConcurrentRunsExceededException') throw error;
      const delay = Math.min(maxDelayMs, firstDelayMs * 2 ** (attempt - 1));
      if (remainingMs() - delay < marginMs) throw new RefineJobBusyError(jobName, date, attempt, { cause: error });
      await sleep(delay);
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The portfolio date of a raw IBOV object key from an S3 event (the pipeline parses the lake's keys). */
export function dateFromRawKey(key: string): string | undefined {
  return ibovDateFromObjectKey(key);
}
