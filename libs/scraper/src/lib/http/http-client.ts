import pLimit, { type LimitFunction } from 'p-limit';
import { BlockedError, DeadlineExceededError, HttpError, TimeoutError } from '../errors';
import { looksBlocked } from './block-page';
import { decodeBody } from '../parse/text';
import { RequestDeadline, type RequestOptions } from './deadline';
import { HostGate, defaultSleep } from './host-gate';
import { backoffDelay, isRetryableStatus, retryAfterMs } from './retry';

/** A recent desktop Chrome; Fundamentus answered 403 to library default User-Agents. */
export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

export interface HttpClientOptions {
  /** Per-attempt timeout covering headers and body, in ms (default 20 000). */
  timeoutMs?: number;
  /** Attempts before giving up, the first included (default 4). */
  maxAttempts?: number;
  /** First backoff delay in ms; doubles per attempt, with jitter (default 500). */
  baseDelayMs?: number;
  /** Cap on one backoff delay in ms (default 30 000). */
  maxDelayMs?: number;
  /** Cap on a server's Retry-After in ms (default 120 000). */
  maxRetryAfterMs?: number;
  /** Requests in flight at once, over all hosts (default 4). */
  concurrency?: number;
  /** Minimum ms between the starts of two requests to the same host (default 250). */
  minIntervalMs?: number;
  userAgent?: string;
  headers?: Record<string, string>;
  /** Injected for tests or proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry, e.g. to log or count. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  url: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface HttpResponse {
  url: string;
  status: number;
  headers: Headers;
  /** The exact bytes received (archive these; decode with decodeBody). */
  body: Uint8Array;
  attempts: number;
  fetchedAt: Date;
}

/**
 * The one HTTP client every fetch goes through: timeouts, retries with backoff and jitter on
 * network errors, 429 and 5xx (honouring Retry-After), bounded concurrency, a minimum
 * interval per host, and block-page detection. Failures are typed (HttpError and subclasses).
 */
export class HttpClient {
  private readonly options: Required<Omit<HttpClientOptions, 'onRetry' | 'headers'>> &
    Pick<HttpClientOptions, 'onRetry' | 'headers'>;
  private readonly limit: LimitFunction;
  private readonly gate: HostGate;

  constructor(options: HttpClientOptions = {}) {
    this.options = {
      timeoutMs: 20_000,
      maxAttempts: 4,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      maxRetryAfterMs: 120_000,
      concurrency: 4,
      minIntervalMs: 250,
      userAgent: BROWSER_USER_AGENT,
      fetch: (...args) => globalThis.fetch(...args),
      random: Math.random,
      sleep: defaultSleep,
      // An option passed as undefined keeps its default instead of erasing it.
      ...(Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as HttpClientOptions),
    };
    for (const key of ['maxAttempts', 'concurrency', 'timeoutMs'] as const) {
      if (!Number.isInteger(this.options[key]) || this.options[key] < 1)
        throw new RangeError(`${key} must be a positive integer`);
    }
    this.limit = pLimit(this.options.concurrency);
    this.gate = new HostGate(this.options.minIntervalMs, Date.now, this.options.sleep);
  }

  /**
   * GETs a URL and returns its bytes; throws HttpError, TimeoutError or BlockedError after the
   * last attempt, or DeadlineExceededError once the request's deadline or signal ends it.
   */
  async get(url: string, request: RequestOptions = {}): Promise<HttpResponse> {
    const { maxAttempts } = this.options;
    const deadline = new RequestDeadline(url, request);
    const progress = { started: 0 };
    const started = () => progress.started;
    try {
      for (let attempt = 1; ; attempt++) {
        const waiting = () =>
          progress.started === attempt ? 'the attempt in flight was aborted' : 'waiting for a connection slot';
        const outcome = await deadline.race(
          this.limit(() => this.attempt(url, attempt, deadline, progress)),
          started,
          waiting,
        );
        if (outcome.response) return outcome.response;
        const error = outcome.error;
        if (error instanceof DeadlineExceededError || !error.retryable || attempt >= maxAttempts) throw error;
        const delayMs = outcome.retryAfterMs ?? backoffDelay(attempt, this.options);
        // Waiting past the deadline only to give up then would waste the caller's remaining time.
        if (delayMs >= deadline.remaining())
          throw deadline.error(
            attempt,
            `a ${delayMs} ms wait before retrying would pass it; last failure: ${error.message}`,
            error,
          );
        this.options.onRetry?.({ url, attempt, delayMs, reason: error.message });
        await deadline.race(this.options.sleep(delayMs), started, () => `waiting ${delayMs} ms before retrying`);
      }
    } finally {
      deadline.dispose();
    }
  }

  /** GETs a URL and decodes it (UTF-8 when valid, otherwise Windows-1252). */
  async getText(url: string, request?: RequestOptions): Promise<string> {
    return decodeBody((await this.get(url, request)).body);
  }

  private async attempt(
    url: string,
    attempt: number,
    deadline: RequestDeadline,
    progress: { started: number },
  ): Promise<
    | { response: HttpResponse; error?: never; retryAfterMs?: never }
    | { response?: never; error: HttpError; retryAfterMs?: number }
  > {
    // Queued behind the concurrency limit or the host gate, the deadline may have passed meanwhile.
    if (deadline.reason) return { error: deadline.error(attempt - 1, 'before the attempt started') };
    await this.gate.wait(new URL(url).host);
    if (deadline.reason) return { error: deadline.error(attempt - 1, 'before the attempt started') };
    progress.started = attempt;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const stop = () => controller.abort();
    deadline.signal.addEventListener('abort', stop, { once: true });
    try {
      const res = await this.options.fetch(url, {
        signal: controller.signal,
        redirect: 'follow',
        headers: {
          'User-Agent': this.options.userAgent,
          Accept: 'text/html,application/json,text/csv;q=0.9,*/*;q=0.8',
          'Accept-Language': 'pt-BR,pt;q=0.9,en;q=0.8',
          ...this.options.headers,
        },
      });
      const body = new Uint8Array(await res.arrayBuffer());
      // A challenge or access-denied page is never data, whether served with 200, 403 or 503.
      const blocked = isHtml(res, body) ? looksBlocked(decodeBody(body)) : undefined;
      if (res.status === 403 || (blocked && (res.ok || res.status === 503))) {
        return {
          error: new BlockedError(url, res.status, attempt, blocked ?? 'HTTP 403 access denied'),
          retryAfterMs: this.retryAfter(res),
        };
      }
      if (!res.ok) {
        const retryable = isRetryableStatus(res.status);
        const error = new HttpError(
          `GET ${url} failed with HTTP ${res.status} after ${attempt} attempt(s).`,
          url,
          res.status,
          attempt,
          { retryable },
        );
        return { error, retryAfterMs: retryable ? this.retryAfter(res) : undefined };
      }
      return {
        response: { url, status: res.status, headers: res.headers, body, attempts: attempt, fetchedAt: new Date() },
      };
    } catch (cause) {
      if (deadline.reason) return { error: deadline.error(attempt, 'the attempt in flight was aborted', cause) };
      if (controller.signal.aborted) return { error: new TimeoutError(url, this.options.timeoutMs, attempt) };
      const message =
        cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
      return {
        error: new HttpError(`GET ${url} failed (${message}) after ${attempt} attempt(s).`, url, undefined, attempt, {
          cause,
        }),
      };
    } finally {
      clearTimeout(timer);
      deadline.signal.removeEventListener('abort', stop);
    }
  }

  private retryAfter(res: Response): number | undefined {
    const ms = retryAfterMs(res.headers.get('retry-after'));
    return ms === undefined ? undefined : Math.min(ms, this.options.maxRetryAfterMs);
  }
}

function isHtml(res: Response, body: Uint8Array): boolean {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('html')) return true;
  if (type) return false;
  const head = Buffer.from(body.subarray(0, 200)).toString('latin1').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}
