/**
 * Failures of the pipeline's own checks, on the scraper's and the lake's model: a stable `code`
 * to branch on (dead letters record it), `retryable` when a later attempt may succeed. Names are
 * set explicitly: Lambda bundles are minified, which would mangle class names.
 */
export abstract class PipelineError extends Error {
  abstract readonly code: string;
  readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PipelineError';
  }
}

/** A business date given from outside (an event, a flag) that is not a real calendar date. */
export class InvalidDateError extends PipelineError {
  readonly code = 'INVALID_DATE';
  constructor(
    what: string,
    readonly value: unknown,
  ) {
    const expected =
      what === 'anomesdia' ? 'an integer yyyymmdd such as 20261127' : 'an ISO date YYYY-MM-DD such as 2026-11-27';
    super(`Invalid ${what} ${JSON.stringify(value)}: expected ${expected}`);
    this.name = 'InvalidDateError';
  }
}

/** A kind's listing URL answered with the other kind's table. */
export class ListingMismatchError extends PipelineError {
  readonly code = 'LISTING_MISMATCH';
  constructor(
    readonly expected: string,
    readonly served: string,
  ) {
    super(`${expected} listing URL served the ${served} table`);
    this.name = 'ListingMismatchError';
  }
}

/** B3 answered a day portfolio without its date, so its partition cannot be named. */
export class PortfolioWithoutDateError extends PipelineError {
  readonly code = 'PORTFOLIO_WITHOUT_DATE';
  constructor(readonly index: string) {
    super(`B3 day portfolio has no date (index ${index})`);
    this.name = 'PortfolioWithoutDateError';
  }
}

/** Finalize was asked for a table that is not partitioned by the business date. */
export class NotDailyTableError extends PipelineError {
  readonly code = 'NOT_DAILY_TABLE';
  constructor(
    readonly tables: readonly string[],
    daily: readonly string[],
  ) {
    super(`finalize: ${tables.join(', ')} is not a daily table (expected some of ${daily.join(', ')})`);
    this.name = 'NotDailyTableError';
  }
}

/**
 * The code of any failure: its own `code` when it has one (scraper, lake, pipeline and Node
 * errors do), UNEXPECTED otherwise (a bug, or a library's plain Error).
 */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : 'UNEXPECTED';
}
