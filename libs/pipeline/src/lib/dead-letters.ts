/** A ticker (or source) that still failed after the HTTP client's retries. */
export interface DeadLetter {
  ticker: string;
  kind: string;
  errorType: string;
  message: string;
  attempts: number;
  retryable: boolean;
  at: string;
}

/** Where a run's dead letters go (data/dlq/<date>.jsonl locally, an SQS DLQ on AWS). */
export interface DeadLetterSink {
  /** Replaces the dead letters of a business date with this run's (a clean re-run clears them). */
  replace(businessDate: string, letters: readonly DeadLetter[]): Promise<void>;
}

export function toDeadLetter(ticker: string, kind: string, error: unknown, at: Date): DeadLetter {
  const e = error as { code?: unknown; name?: unknown; message?: unknown; attempts?: unknown; retryable?: unknown };
  return {
    ticker,
    kind,
    errorType: typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(error),
    attempts: typeof e?.attempts === 'number' ? e.attempts : 1,
    retryable: e?.retryable === true,
    at: at.toISOString(),
  };
}
