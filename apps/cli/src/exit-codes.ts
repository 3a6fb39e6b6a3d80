import { ScraperError } from '@b3lake/scraper';

/** Exit codes of the b3lake command, also listed in `b3lake --help` and the README. */
export const EXIT = {
  OK: 0,
  /** The data said no: ticker not found or ambiguous, a page whose layout changed, a malformed value. */
  DATA_ERROR: 1,
  /** Wrong command, option or argument. */
  USAGE: 2,
  /** The site could not be reached, kept failing, or blocked us (retry later). */
  NETWORK: 3,
  /** A local file could not be read. */
  IO: 4,
  /** The run finished but some tickers did not land: dead-lettered (see data/dlq/<date>.jsonl) or left out. */
  PARTIAL: 5,
  /** Stopped by Ctrl-C/SIGTERM (128 + SIGINT, as shells report it); a re-run resumes. */
  INTERRUPTED: 130,
} as const;

/** Wrong command, option or argument (exit 2). */
export class UsageError extends Error {
  readonly code = 'USAGE';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (error instanceof ScraperError) {
    return ['HTTP_ERROR', 'TIMEOUT', 'BLOCKED'].includes(error.code) ? EXIT.NETWORK : EXIT.DATA_ERROR;
  }
  if (
    error &&
    typeof error === 'object' &&
    'code' in error &&
    ['ENOENT', 'EACCES', 'EISDIR'].includes(String(error.code))
  )
    return EXIT.IO;
  return EXIT.DATA_ERROR;
}

/** One clear line: what went wrong and, where we know it, what to do. */
export function describeError(error: unknown): string {
  if (error instanceof UsageError) return `${error.message} (see b3lake --help)`;
  if (error && typeof error === 'object' && 'code' in error && error.code === 'ENOENT') {
    return `file not found: ${(error as { path?: string }).path ?? ''}`;
  }
  if (error instanceof ScraperError && error.code === 'TICKER_NOT_FOUND')
    return `${error.message} Check the code on https://www.fundamentus.com.br.`;
  return error instanceof Error ? error.message : String(error);
}
