import {
  PipelineError,
  landCotahistFile,
  startRun,
  type LandResult,
  type LandStatus,
  type PipelineContext,
} from '@b3lake/pipeline';
import { cotahistFileName, parseCotahistFileName } from '@b3lake/scraper';
import * as z from 'zod/mini';
import { parseOrThrow } from './schemas';

/** What the cotahist function is asked: a file, a year's annual file, or a day's file (default: today's). */
export interface CotahistRequest {
  /** A COTAHIST zip by name: `COTAHIST_A2021.ZIP`, `COTAHIST_M032021.ZIP`, `COTAHIST_D26032021.ZIP`. */
  file?: string;
  /** A year's annual file (the backfill state machine sends one per Map iteration). */
  year?: number;
  /** A trading day's daily file (default: today in America/Sao_Paulo, as the schedule invokes it). */
  date?: string;
  /** Download and load again even when the ledger has the file. */
  force?: boolean;
}

/** An event the cotahist function cannot act on: a deployment or operator error, never retried. */
export class InvalidCotahistEventError extends PipelineError {
  readonly code = 'INVALID_COTAHIST_EVENT';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCotahistEventError';
  }
}

/** What a failure says about itself: its code (names are minified in Lambda bundles) and message. */
type Cause = { name: string; message: string; code?: string };
const describe = (cause: Cause) => `${cause.message} (${cause.code ?? cause.name})`;

/**
 * A failure a later attempt may get past (B3 or S3 unreachable, a download cut midway), under one
 * name the backfill state machine's Retry matches: the libraries' own error names vary (and are
 * minified in a bundle). The file, the original code and message are kept.
 */
export class RetryableError extends PipelineError {
  readonly code: string;
  override readonly retryable = true;
  constructor(file: string, cause: Cause) {
    super(`${file}: ${describe(cause)}`, { cause });
    this.code = cause.code ?? 'RETRYABLE';
    this.name = 'RetryableError';
  }
}

/**
 * A file that failed for good (a damaged or truncated file, a record outside its year…): named so,
 * with the file and the original code in its message, so a failed backfill says which year and why.
 */
export class CotahistFileError extends PipelineError {
  readonly code: string;
  constructor(file: string, cause: Cause) {
    super(`${file}: ${describe(cause)}`, { cause });
    this.code = cause.code ?? 'UNEXPECTED';
    this.name = 'CotahistFileError';
  }
}

const YEAR = 'a year from 1986, e.g. 2021';
const rule =
  (text: string) =>
  ({ input }: { input?: unknown }) =>
    `expected ${text}, got ${JSON.stringify(input)}`;

/** The event: EventBridge Scheduler sends `{}`, the backfill state machine `{ year }`, an operator any of them. */
export const CotahistEventSchema = z.object(
  {
    file: z.optional(z.string({ error: rule('a COTAHIST zip name, e.g. COTAHIST_A2021.ZIP') })),
    year: z.optional(z.int({ error: rule(YEAR) }).check(z.gte(1986, { error: rule(YEAR) }))),
    date: z.optional(z.string({ error: rule('an ISO date YYYY-MM-DD') })),
    force: z.optional(z.boolean({ error: rule('true or false') })),
  },
  { error: rule('a JSON object { file?, year?, date?, force? }') },
);

/** The event checked: at most one of file, year and date (null and undefined are "no event"). */
export function parseCotahistEvent(event: unknown): CotahistRequest {
  const request = parseOrThrow(
    CotahistEventSchema,
    event ?? {},
    (message) => new InvalidCotahistEventError(`cotahist event: ${message}`),
  );
  const given = (['file', 'year', 'date'] as const).filter((k) => request[k] !== undefined);
  if (given.length > 1)
    throw new InvalidCotahistEventError(`cotahist event: give one of file, year and date, not ${given.join(' and ')}`);
  return request;
}

/** The pipeline's statuses of a file, and `skipped`: not a B3 trading day, so no file exists (daily runs only). */
export type CotahistRunStatus = LandStatus | 'skipped';

/** What landCotahistFile reports, with the business date of a daily run; no file for a skipped day. */
export interface CotahistRunResult extends Omit<LandResult, 'status' | 'file' | 'year'> {
  status: CotahistRunStatus;
  file?: string;
  year?: number;
  businessDate?: string;
}

/**
 * One COTAHIST file into the lake, the way the cotahist function runs it: the file named by the
 * request (`file`, a `year`'s annual file, or a `date`'s daily file, today's in São Paulo by
 * default — weekends and B3 holidays skipped). Nothing is downloaded when the ledger has the file
 * final or a loaded file holds its days (unless `force`); a file already archived in the landing
 * zone by an earlier attempt is loaded from there (a retry after a failed load does not download
 * 90 MB again). A file B3 has not published is a status, not an error. Failures name the file:
 * RetryableError when a later attempt may succeed, CotahistFileError otherwise.
 */
export async function runCotahist(ctx: PipelineContext, request: CotahistRequest): Promise<CotahistRunResult> {
  const idle = {
    downloaded: false,
    bytes: 0,
    quotes: 0,
    spotRows: 0,
    replaced: [],
    downloadSeconds: 0,
    loadSeconds: 0,
  };
  let name: string;
  let businessDate: string | undefined;
  if (request.file !== undefined) name = request.file.toUpperCase();
  else if (request.year !== undefined) name = cotahistFileName({ year: request.year });
  else {
    const run = startRun(ctx.clock, request.date);
    businessDate = run.businessDate;
    if (run.skipped) return { ...idle, status: 'skipped', businessDate, reason: run.reason };
    name = cotahistFileName({ date: run.businessDate });
  }
  parseCotahistFileName(name);
  try {
    const landed = await landCotahistFile(ctx, name, { force: request.force ?? false });
    return { ...landed, businessDate };
  } catch (error) {
    const cause: Cause = error instanceof Error ? error : { name: typeof error, message: String(error) };
    throw isRetryable(error) ? new RetryableError(name, cause) : new CotahistFileError(name, cause);
  }
}

/** The libraries' `retryable`, or the AWS SDK's `$retryable` (throttling, 5xx after the SDK's own retries). */
function isRetryable(error: unknown): boolean {
  const e = error as { retryable?: unknown; $retryable?: unknown } | undefined;
  return e instanceof Error && (e.retryable === true || (!!e.$retryable && e.retryable === undefined));
}
