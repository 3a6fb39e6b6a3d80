/**
 * Every failure the scraper can report is a subclass of ScraperError with a stable `code`,
 * so callers (the pipeline, a dead-letter file, the CLI) can branch on it without parsing
 * messages. `retryable` says whether trying again later may succeed.
 */
export abstract class ScraperError extends Error {
  abstract readonly code: string;
  readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A ticker that cannot be valid (checked before any request). */
export class InvalidTickerError extends ScraperError {
  readonly code = 'INVALID_TICKER';
  constructor(readonly ticker: string) {
    super(`Invalid ticker "${ticker}": expected 4 to 7 upper-case letters and digits, such as PETR4 or HGLG11.`);
  }
}

/** Fundamentus answered "Nenhum papel encontrado". */
export class TickerNotFoundError extends ScraperError {
  readonly code = 'TICKER_NOT_FOUND';
  constructor(readonly ticker: string) {
    super(`${ticker ? `Ticker ${ticker}` : 'The ticker'} was not found on Fundamentus ("Nenhum papel encontrado").`);
  }
}

/** Fundamentus answered "Selecione o Papel": the code is old, renamed or partial. */
export class AmbiguousTickerError extends ScraperError {
  readonly code = 'AMBIGUOUS_TICKER';
  constructor(
    readonly ticker: string,
    readonly candidates: readonly { ticker: string; name: string }[],
  ) {
    const list = candidates.map((c) => (c.name ? `${c.ticker} (${c.name})` : c.ticker)).join(', ');
    const subject = ticker ? `Ticker ${ticker}` : 'The ticker';
    super(`${subject} is ambiguous on Fundamentus ("Selecione o Papel"); candidates: ${list || 'none'}.`);
  }
}

/** The page does not have the shape we know: required labels are missing or a cell is misplaced. */
export class LayoutChangedError extends ScraperError {
  readonly code = 'LAYOUT_CHANGED';
  constructor(
    readonly page: string,
    readonly missing: readonly string[],
    detail?: string,
  ) {
    const what = missing.length ? `missing required labels: ${missing.join(', ')}` : (detail ?? 'unexpected structure');
    super(`${page}: layout changed, ${what}${missing.length && detail ? ` (${detail})` : ''}.`);
  }
}

/** A value's text does not match the format its column requires (e.g. "12,3" in a percentage column). */
export class ValueFormatError extends ScraperError {
  readonly code = 'VALUE_FORMAT';
  constructor(
    readonly field: string,
    readonly text: string,
    readonly expected: string,
  ) {
    super(`Field "${field}": cannot read "${text}" as ${expected}.`);
  }
}

/** The content is not any page or file format this library knows. */
export class UnknownFormatError extends ScraperError {
  readonly code = 'UNKNOWN_FORMAT';
}

/** B3 JSON that is not an index portfolio, such as GetStockIndex or the indexStatistics closing points. */
export class NotAPortfolioError extends ScraperError {
  readonly code = 'NOT_A_PORTFOLIO';
  constructor(
    /** B3's name for what the response is (`GetStockIndex`, `indexStatistics GetPortfolioDay`), if recognised. */
    readonly source: string | undefined,
    what?: string,
  ) {
    const it = source
      ? `This is B3's ${source} response${what ? ` (${what})` : ''}, not an index portfolio`
      : 'This JSON is not a B3 index portfolio: its rows have no cod/part';
    super(
      `${it}. b3lake reads the portfolio calls GetPortfolioDay and GetTheoricalPortfolio ` +
        `(indexProxy/indexCall/…), whose rows have cod, part and theoricalQty.`,
    );
  }
}

/** Gzip-compressed content (by its magic bytes) that does not decompress: truncated or corrupt. */
export class CorruptGzipError extends ScraperError {
  readonly code = 'CORRUPT_GZIP';
}

/** HTTP failure after all attempts (or a non-retryable status). */
export class HttpError extends ScraperError {
  readonly code: string = 'HTTP_ERROR';
  override readonly retryable: boolean;
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | undefined,
    readonly attempts: number,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(message, options);
    this.retryable = options?.retryable ?? (status === undefined || status === 429 || status >= 500);
  }
}

/** The request did not complete within the per-request timeout. */
export class TimeoutError extends HttpError {
  override readonly code = 'TIMEOUT';
  constructor(url: string, timeoutMs: number, attempts: number) {
    super(`Request to ${url} timed out after ${timeoutMs} ms (attempt ${attempts}).`, url, undefined, attempts, {
      retryable: true,
    });
  }
}

/** A Cloudflare challenge or a 403 "Access denied" page: never data, back off and retry later. */
export class BlockedError extends HttpError {
  override readonly code = 'BLOCKED';
  constructor(url: string, status: number, attempts: number, reason: string) {
    const host = url.split('/')[2] ?? url;
    super(
      `Blocked by ${host} (${reason}, HTTP ${status}) after ${attempts} attempt(s); slow down and retry later.`,
      url,
      status,
      attempts,
      {
        retryable: true,
      },
    );
  }
}

/**
 * The caller's deadline or abort signal ended the request before it succeeded: no attempt
 * starts after it, an attempt in flight is aborted, and a backoff or Retry-After wait that
 * would end past it is not started. Retryable: a later call with more time may succeed.
 */
export class DeadlineExceededError extends HttpError {
  override readonly code = 'DEADLINE_EXCEEDED';
  constructor(
    url: string,
    attempts: number,
    /** What ended it: the deadline, or the caller's abort signal. */
    readonly reason: 'deadline' | 'aborted',
    detail: string,
    options?: { cause?: unknown },
  ) {
    const why = reason === 'deadline' ? 'deadline reached' : 'aborted by the caller';
    super(`GET ${url} gave up after ${attempts} attempt(s): ${why} (${detail}).`, url, undefined, attempts, {
      ...options,
      retryable: true,
    });
  }
}
