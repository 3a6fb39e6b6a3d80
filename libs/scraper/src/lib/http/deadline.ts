import { DeadlineExceededError } from '../errors';

/** Per-request limits a caller may set on HttpClient.get. */
export interface RequestOptions {
  /**
   * Epoch milliseconds (Date.now() clock). No attempt starts after it, an attempt in flight is
   * aborted at it, and a backoff or Retry-After wait that would end past it is not started.
   */
  deadline?: number;
  /** Aborts the request, in flight or waiting, when it fires. */
  signal?: AbortSignal;
}

/**
 * One request's deadline and abort signal folded into a single signal, so every wait (a
 * connection slot, the response, a retry delay) can stop as soon as either fires.
 */
export class RequestDeadline {
  /** What ended the request, once it has ended. */
  reason?: 'deadline' | 'aborted';
  private readonly controller = new AbortController();
  private readonly timer?: ReturnType<typeof setTimeout>;
  private readonly onCallerAbort = () => this.expire('aborted');

  constructor(
    private readonly url: string,
    private readonly options: RequestOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    if (options.signal?.aborted) this.expire('aborted');
    else options.signal?.addEventListener('abort', this.onCallerAbort, { once: true });
    if (options.deadline !== undefined && !this.reason) {
      const ms = options.deadline - now();
      if (ms <= 0) this.expire('deadline');
      else this.timer = setTimeout(() => this.expire('deadline'), ms);
    }
  }

  /** Fires at the deadline or when the caller aborts. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Milliseconds left (Infinity without a deadline, 0 once ended). */
  remaining(): number {
    if (this.reason) return 0;
    return this.options.deadline === undefined ? Number.POSITIVE_INFINITY : this.options.deadline - this.now();
  }

  error(attempts: number, detail: string, cause?: unknown): DeadlineExceededError {
    return new DeadlineExceededError(
      this.url,
      attempts,
      this.reason ?? 'deadline',
      detail,
      cause === undefined ? undefined : { cause },
    );
  }

  /**
   * The work's result, or a DeadlineExceededError as soon as the request ends
   * (the work is left to finish unobserved).
   */
  race<T>(work: Promise<T>, attempts: () => number, detail: () => string): Promise<T> {
    if (this.reason) return Promise.reject(this.error(attempts(), detail()));
    return new Promise<T>((resolve, reject) => {
      const stop = () => reject(this.error(attempts(), detail()));
      this.signal.addEventListener('abort', stop, { once: true });
      const settle =
        <V>(fn: (v: V) => void) =>
        (value: V) => {
          this.signal.removeEventListener('abort', stop);
          fn(value);
        };
      work.then(settle(resolve), settle(reject));
    });
  }

  /** Stops the timer and the caller-signal listener (a pending timer would keep a CLI process alive). */
  dispose(): void {
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onCallerAbort);
  }

  private expire(reason: 'deadline' | 'aborted'): void {
    this.reason ??= reason;
    this.controller.abort();
  }
}
