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

/** A failed system call on a local path (Node's `SystemError`: `code`, `syscall`, usually `path`). */
interface SystemError {
  code: string;
  syscall: string;
  path?: string;
  dest?: string;
}

/** System calls of the network: their errors (ECONNREFUSED, ENOTFOUND…) are not about a local path. */
const NETWORK_SYSCALLS = new Set(['connect', 'getaddrinfo', 'getnameinfo', 'read ECONNRESET', 'write', 'queryA']);

/** The error, or the first of its causes, that is a failed local system call. */
function systemError(error: unknown): SystemError | undefined {
  for (
    let e = error, depth = 0;
    e && typeof e === 'object' && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const candidate = e as Partial<SystemError>;
    if (
      typeof candidate.code === 'string' &&
      /^E[A-Z]+$/.test(candidate.code) &&
      typeof candidate.syscall === 'string' &&
      !NETWORK_SYSCALLS.has(candidate.syscall)
    )
      return candidate as SystemError;
  }
  return undefined;
}

/** Codes of errors about the local lake or files that are not system calls. */
const LOCAL_CODES = new Set(['NO_LAKE', 'NO_ARCHIVE', 'CATALOG_IN_USE']);

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (error instanceof ScraperError) {
    return ['HTTP_ERROR', 'TIMEOUT', 'BLOCKED'].includes(error.code) ? EXIT.NETWORK : EXIT.DATA_ERROR;
  }
  if (systemError(error)) return EXIT.IO;
  if (error && typeof error === 'object' && LOCAL_CODES.has(String((error as { code?: unknown }).code))) return EXIT.IO;
  return EXIT.DATA_ERROR;
}

/** What a failed system call on a path means and what to do about it, in one line. */
function describeSystemError(e: SystemError): string {
  const path = e.path ?? e.dest ?? 'the given path';
  switch (e.code) {
    case 'ENOENT':
      return `file not found: ${path}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied: ${path}; check its owner and mode, or choose another --data-dir`;
    case 'EROFS':
      return `${path} is on a read-only file system; choose a writable --data-dir (reading commands work on it)`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `no space left writing ${path}; free some space or choose another --data-dir`;
    case 'ENOTDIR':
      return `a file is in the way of a folder in ${path}; move it away or choose another --data-dir`;
    case 'EEXIST':
      return `${path} already exists and is in the way (a file where a folder is needed?); move it away`;
    case 'EISDIR':
      return `${path} is a folder; give a file`;
    case 'EMFILE':
    case 'ENFILE':
      return `too many open files while opening ${path}; raise the limit (ulimit -n) or lower --concurrency`;
    default:
      return `${e.code} on ${path} (${e.syscall}); check the path and try again`;
  }
}

/** One clear line: what went wrong and, where we know it, what to do. */
export function describeError(error: unknown): string {
  if (error instanceof UsageError) return `${error.message} (see npx b3lake --help)`;
  if (error instanceof ScraperError && error.code === 'TICKER_NOT_FOUND')
    return `${error.message} Check the code on https://www.fundamentus.com.br.`;
  if (error instanceof ScraperError) return error.message;
  const system = systemError(error);
  if (system) return describeSystemError(system);
  return error instanceof Error ? error.message : String(error);
}
