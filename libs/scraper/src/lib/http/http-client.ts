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
 * A response whose body is read as it arrives (`HttpClient.stream`). Read the body to its end,
 * leave it with `break`, or call `cancel()`: until then it holds its connection.
 */
export interface HttpStreamResponse extends Omit<HttpResponse, 'body'> {
  /**
   * The body's bytes as they arrive, iterable once. A failure while reading is a retryable
   * HttpError (TimeoutError when no byte came for `timeoutMs`, DeadlineExceededError at the
   * request's deadline or signal): the bytes already read are then not the whole body.
   */
  body: AsyncIterable<Uint8Array>;
  /** Stops reading and releases the connection; harmless once the body has ended. */
  cancel(): Promise<void>;
}

type Outcome<T> =
  { response: T; error?: never; retryAfterMs?: never } | { response?: never; error: HttpError; retryAfterMs?: number };

/** How much of an HTML answer `stream` reads to tell a block page from data. */
const HTML_PEEK_BYTES = 1 << 20;

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
    const deadline = new RequestDeadline(url, request);
    try {
      return await this.withRetries(url, deadline, (attempt, progress) =>
        this.attempt(url, attempt, deadline, progress),
      );
    } finally {
      deadline.dispose();
    }
  }

  /**
   * GETs a URL and returns as soon as its first bytes arrive, the body to be read as it comes:
   * for files too large to hold (a COTAHIST year is ~90 MB zipped). Same politeness, User-Agent,
   * retries and typed errors as `get` up to the first bytes (a block page is still read whole and
   * refused); `timeoutMs` then bounds each wait for more bytes rather than the whole body, and
   * the deadline or signal still ends the read. The connection slot (`concurrency`) is released
   * once the first bytes are in, so a caller holding several unread bodies cannot starve itself.
   */
  async stream(url: string, request: RequestOptions = {}): Promise<HttpStreamResponse> {
    const deadline = new RequestDeadline(url, request);
    try {
      return await this.withRetries(url, deadline, (attempt, progress) =>
        this.streamAttempt(url, attempt, deadline, progress),
      );
    } catch (error) {
      deadline.dispose();
      throw error;
    }
  }

  /** Runs attempts until one succeeds, a failure is final, or the deadline ends the request. */
  private async withRetries<T>(
    url: string,
    deadline: RequestDeadline,
    attemptOnce: (attempt: number, progress: { started: number }) => Promise<Outcome<T>>,
  ): Promise<T> {
    const { maxAttempts } = this.options;
    const progress = { started: 0 };
    const started = () => progress.started;
    for (let attempt = 1; ; attempt++) {
      const waiting = () =>
        progress.started === attempt ? 'the attempt in flight was aborted' : 'waiting for a connection slot';
      const outcome = await deadline.race(
        this.limit(() => attemptOnce(attempt, progress)),
        started,
        waiting,
      );
      const error = outcome.error;
      if (!error) return outcome.response as T;
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
  ): Promise<Outcome<HttpResponse>> {
    const refused = await this.startAttempt(url, attempt, deadline, progress);
    if (refused) return refused;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const stop = () => controller.abort();
    deadline.signal.addEventListener('abort', stop, { once: true });
    try {
      const res = await this.fetch(url, controller.signal);
      const body = new Uint8Array(await res.arrayBuffer());
      const failure = this.failure(url, res, body, attempt);
      if (failure) return failure;
      return {
        response: { url, status: res.status, headers: res.headers, body, attempts: attempt, fetchedAt: new Date() },
      };
    } catch (cause) {
      return { error: this.attemptError(url, attempt, deadline, controller, cause) };
    } finally {
      clearTimeout(timer);
      deadline.signal.removeEventListener('abort', stop);
    }
  }

  /**
   * One attempt of `stream`: succeeds once the first bytes are in (an error status, an empty body
   * or a block page is read whole and classified as in `get`), then hands the open body over.
   */
  private async streamAttempt(
    url: string,
    attempt: number,
    deadline: RequestDeadline,
    progress: { started: number },
  ): Promise<Outcome<HttpStreamResponse>> {
    const refused = await this.startAttempt(url, attempt, deadline, progress);
    if (refused) return refused;
    const { timeoutMs } = this.options;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => controller.abort(), timeoutMs);
    const stop = () => {
      clearTimeout(timer);
      controller.abort();
    };
    deadline.signal.addEventListener('abort', stop, { once: true });
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let handedOver = false;
    try {
      const res = await this.fetch(url, controller.signal);
      if (!res.ok || !res.body) {
        const failure = this.failure(url, res, new Uint8Array(await res.arrayBuffer()), attempt);
        if (failure) return failure;
      }
      reader = res.body?.getReader();
      const head: Uint8Array[] = [];
      let ended = !reader;
      let size = 0;
      // The first bytes, and an HTML answer in full (up to a cap) to tell a block page from data.
      while (reader && !ended && (size === 0 || (size < HTML_PEEK_BYTES && isHtml(res, head[0])))) {
        const read = await reader.read();
        if (read.done) ended = true;
        else if (read.value.length) {
          head.push(read.value);
          size += read.value.length;
        }
      }
      if (head.length && isHtml(res, head[0])) {
        const failure = this.failure(url, res, concatBytes(head), attempt);
        if (failure) return failure;
      }
      clearTimeout(timer);
      timer = undefined;
      const fetchedAt = new Date();
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        clearTimeout(timer);
        deadline.signal.removeEventListener('abort', stop);
        deadline.dispose();
        if (reader && !ended) await reader.cancel().catch(() => undefined);
      };
      const readBody = async (): Promise<ReadableStreamReadResult<Uint8Array>> => {
        // The timeout runs only while waiting for the network, not while the caller works.
        if (!reader) return { done: true, value: undefined };
        timer = setTimeout(() => controller.abort(), timeoutMs);
        try {
          return await reader.read();
        } catch (cause) {
          throw this.attemptError(url, attempt, deadline, controller, cause, 'while reading the body');
        } finally {
          clearTimeout(timer);
        }
      };
      async function* chunks(): AsyncGenerator<Uint8Array> {
        try {
          yield* head.splice(0);
          while (!ended && !closed) {
            const read = await readBody();
            if (read.done) ended = true;
            else yield read.value;
          }
        } finally {
          await close();
        }
      }
      let iterated = false;
      const body: AsyncIterable<Uint8Array> = {
        [Symbol.asyncIterator]: () => {
          if (iterated) throw new Error(`The body of ${url} is read once.`);
          iterated = true;
          return chunks();
        },
      };
      handedOver = true;
      return {
        response: {
          url,
          status: res.status,
          headers: res.headers,
          body,
          cancel: close,
          attempts: attempt,
          fetchedAt,
        },
      };
    } catch (cause) {
      return { error: this.attemptError(url, attempt, deadline, controller, cause) };
    } finally {
      if (!handedOver) {
        clearTimeout(timer);
        deadline.signal.removeEventListener('abort', stop);
        await reader?.cancel().catch(() => undefined);
      }
    }
  }

  /** Waits for the host gate; an error outcome when the deadline passed while queued. */
  private async startAttempt(
    url: string,
    attempt: number,
    deadline: RequestDeadline,
    progress: { started: number },
  ): Promise<{ error: HttpError } | undefined> {
    // Queued behind the concurrency limit or the host gate, the deadline may have passed meanwhile.
    if (deadline.reason) return { error: deadline.error(attempt - 1, 'before the attempt started') };
    await this.gate.wait(new URL(url).host);
    if (deadline.reason) return { error: deadline.error(attempt - 1, 'before the attempt started') };
    progress.started = attempt;
    return undefined;
  }

  private fetch(url: string, signal: AbortSignal): Promise<Response> {
    return this.options.fetch(url, {
      signal,
      redirect: 'follow',
      headers: {
        'User-Agent': this.options.userAgent,
        Accept: 'text/html,application/json,text/csv;q=0.9,*/*;q=0.8',
        'Accept-Language': 'pt-BR,pt;q=0.9,en;q=0.8',
        ...this.options.headers,
      },
    });
  }

  /** The typed error of a response that is not data (error status or block page), else undefined. */
  private failure(url: string, res: Response, body: Uint8Array, attempt: number): Outcome<never> | undefined {
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
    return undefined;
  }

  /** A thrown fetch or read failure as a typed error: deadline, timeout, or a network error (retryable). */
  private attemptError(
    url: string,
    attempt: number,
    deadline: RequestDeadline,
    controller: AbortController,
    cause: unknown,
    when?: string,
  ): HttpError {
    if (deadline.reason)
      return deadline.error(attempt, when ? `aborted ${when}` : 'the attempt in flight was aborted', cause);
    if (controller.signal.aborted) return new TimeoutError(url, this.options.timeoutMs, attempt);
    const message =
      cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
    const where = when ? ` ${when}` : '';
    return new HttpError(
      `GET ${url} failed${where} (${message}) after ${attempt} attempt(s).`,
      url,
      undefined,
      attempt,
      {
        cause,
      },
    );
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

function concatBytes(chunks: Uint8Array[]): Uint8Array {
  return chunks.length === 1 ? chunks[0] : new Uint8Array(Buffer.concat(chunks));
}
