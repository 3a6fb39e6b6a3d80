import { errorCode } from './errors';

/** A ticker (or source) that still failed after the HTTP client's retries. */
export interface DeadLetter {
  ticker: string;
  kind: string;
  /** The error's stable code (`HTTP_ERROR`, `LAYOUT_CHANGED`, `OBJECT_NOT_FOUND`…); `UNEXPECTED` when it has none. */
  code: string;
  /** The same code, under the field name earlier dead-letter files used (kept for their readers). */
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
  /** The dead letters a business date has now (none when there are none). */
  read(businessDate: string): Promise<DeadLetter[]>;
}

export function toDeadLetter(ticker: string, kind: string, error: unknown, at: Date): DeadLetter {
  const e = error as { name?: unknown; message?: unknown; attempts?: unknown; retryable?: unknown } | undefined;
  const code = errorCode(error);
  const message = typeof e?.message === 'string' ? e.message : String(error);
  // An uncoded error keeps its class in the message (`TypeError: …`), since its code says only UNEXPECTED.
  const named = code === 'UNEXPECTED' && typeof e?.name === 'string' && e.name !== 'Error';
  return {
    ticker,
    kind,
    code,
    errorType: code,
    message: named ? `${e.name}: ${message}` : message,
    attempts: typeof e?.attempts === 'number' ? e.attempts : 1,
    retryable: e?.retryable === true,
    at: at.toISOString(),
  };
}
