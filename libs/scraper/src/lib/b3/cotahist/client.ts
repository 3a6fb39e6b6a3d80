import { HttpClient, type HttpClientOptions, type HttpStreamResponse } from '../../http/http-client';
import type { RequestOptions } from '../../http/deadline';
import { HttpError, ScraperError } from '../../errors';

/** Where B3 publishes the zipped COTAHIST files (`COTAHIST_A2021.ZIP`…). */
export const COTAHIST_URL = 'https://bvmf.bmfbovespa.com.br/InstDados/SerHist/';

/** The first year with an annual COTAHIST file. */
export const COTAHIST_FIRST_YEAR = 1986;

/** Which file: a year, a month of a year, or one trading day (ISO date). */
export type CotahistFileRequest = { year: number } | { year: number; month: number } | { date: string };

export type CotahistFileKind = 'annual' | 'monthly' | 'daily';

/** A COTAHIST file name, read: annual files have a year, monthly ones a month too, daily ones a date too. */
export type CotahistFileInfo =
  | (CotahistFileBase & { kind: 'annual'; month?: undefined; date?: undefined })
  | (CotahistFileBase & { kind: 'monthly'; /** 1-12. */ month: number; date?: undefined })
  | (CotahistFileBase & { kind: 'daily'; /** 1-12. */ month: number; /** ISO date. */ date: string });

interface CotahistFileBase {
  kind: CotahistFileKind;
  year: number;
  /** As the name ends: B3 serves `.ZIP`, each holding the `.TXT` of the same name. */
  extension: 'ZIP' | 'TXT';
}

/** A COTAHIST file name or request that cannot name a file B3 publishes (checked before any request). */
export class CotahistFileNameError extends ScraperError {
  readonly code = 'COTAHIST_FILE_NAME';
  constructor(
    /** The name or request as given. */
    readonly input: string,
    reason: string,
  ) {
    super(
      `Not a COTAHIST file: ${input} (${reason}). Expected COTAHIST_A<YYYY>.ZIP, COTAHIST_M<MMYYYY>.ZIP or ` +
        `COTAHIST_D<DDMMYYYY>.ZIP (or .TXT), from ${COTAHIST_FIRST_YEAR}.`,
    );
  }
}

/**
 * B3 has no such file (yet): HTTP 404, or the HTML page or small non-zip body B3 answers for a
 * file it has not published. Not retryable now: a day's file appears in the evening after its
 * session, and a day without a session (weekend, holiday) never has one.
 */
export class CotahistNotPublishedError extends ScraperError {
  readonly code = 'COTAHIST_NOT_PUBLISHED';
  constructor(
    readonly fileName: string,
    readonly url: string,
    /** What came instead, e.g. "HTTP 404" or "an HTML page (HTTP 200)". */
    readonly received: string,
    options?: { cause?: unknown },
  ) {
    super(
      `B3 has not published ${fileName} (${url} answered ${received}). B3 publishes a day's file in the evening ` +
        'after the session (days without a session have none); a monthly or annual file holds the sessions ' +
        'published so far.',
      options,
    );
  }
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function checkYear(year: number, input: string): void {
  if (!Number.isInteger(year) || year < COTAHIST_FIRST_YEAR || year > 9999)
    throw new CotahistFileNameError(input, `year ${year} is not a whole year from ${COTAHIST_FIRST_YEAR} to 9999`);
}

/**
 * The name B3 gives a file: `{ year: 2021 }` → `COTAHIST_A2021.ZIP`, `{ year: 2021, month: 3 }` →
 * `COTAHIST_M032021.ZIP`, `{ date: '2021-03-26' }` → `COTAHIST_D26032021.ZIP`; `extension: 'TXT'`
 * names the text file inside. Throws CotahistFileNameError for a year before 1986, a month
 * outside 1-12 or a date that does not exist.
 */
export function cotahistFileName(request: CotahistFileRequest, extension: 'ZIP' | 'TXT' = 'ZIP'): string {
  const input = JSON.stringify(request);
  if ('date' in request && request.date !== undefined) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(request.date);
    if (!match) throw new CotahistFileNameError(input, 'the date is not YYYY-MM-DD');
    const [, yyyy, mm, dd] = match;
    checkYear(Number(yyyy), input);
    if (!isoDate(Number(yyyy), Number(mm), Number(dd)))
      throw new CotahistFileNameError(input, `${request.date} is not a date`);
    return `COTAHIST_D${dd}${mm}${yyyy}.${extension}`;
  }
  if (!('year' in request)) throw new CotahistFileNameError(input, 'give a year, a year and a month, or a date');
  checkYear(request.year, input);
  if ('month' in request && request.month !== undefined) {
    if (!Number.isInteger(request.month) || request.month < 1 || request.month > 12)
      throw new CotahistFileNameError(input, `month ${request.month} is not 1 to 12`);
    return `COTAHIST_M${String(request.month).padStart(2, '0')}${request.year}.${extension}`;
  }
  return `COTAHIST_A${request.year}.${extension}`;
}

/**
 * Reads a COTAHIST file name (case-insensitive, `.ZIP` or `.TXT`, no folder): its kind, year,
 * month and date. Throws CotahistFileNameError for anything else.
 */
export function parseCotahistFileName(name: string): CotahistFileInfo {
  const match = /^COTAHIST_(?:A(\d{4})|M(\d{2})(\d{4})|D(\d{2})(\d{2})(\d{4}))\.(ZIP|TXT)$/i.exec(name);
  if (!match) throw new CotahistFileNameError(JSON.stringify(name), 'the name does not follow B3’s pattern');
  const [, annual, mm, monthYear, dd, dayMonth, dayYear, ext] = match;
  const extension = ext.toUpperCase() as 'ZIP' | 'TXT';
  const input = JSON.stringify(name);
  if (annual) {
    checkYear(Number(annual), input);
    return { kind: 'annual', year: Number(annual), extension };
  }
  if (monthYear) {
    const [year, month] = [Number(monthYear), Number(mm)];
    checkYear(year, input);
    if (month < 1 || month > 12) throw new CotahistFileNameError(input, `month ${mm} is not 01 to 12`);
    return { kind: 'monthly', year, month, extension };
  }
  const [year, month] = [Number(dayYear), Number(dayMonth)];
  checkYear(year, input);
  const date = isoDate(year, month, Number(dd));
  if (!date) throw new CotahistFileNameError(input, `${dd}/${dayMonth}/${dayYear} is not a date`);
  return { kind: 'daily', year, month, date, extension };
}

export interface CotahistClientOptions {
  /** The folder of the files on B3 or on a mirror / replay server (default COTAHIST_URL). */
  baseUrl?: string;
  /** A shared client (to share rate limits with other sites) or options for a new one. */
  http?: HttpClient | HttpClientOptions;
}

/** A COTAHIST zip being downloaded: read `body` once (e.g. with a CotahistReader), to its end or `cancel()`. */
export interface CotahistDownload {
  url: string;
  /** The file's name as requested from B3, e.g. `COTAHIST_A2021.ZIP`. */
  name: string;
  file: CotahistFileInfo;
  /** The zip's bytes as they arrive; they start with `PK\x03\x04` (checked). */
  body: AsyncIterable<Uint8Array>;
  /** Content-Length, when the server sends it: progress against `CotahistReader.sourceBytes`. */
  size?: number;
  /** Last-Modified, when the server sends it. */
  lastModified?: Date;
  status: number;
  headers: Headers;
  attempts: number;
  fetchedAt: Date;
  /** Stops the download and releases the connection. */
  cancel(): Promise<void>;
}

/**
 * Downloads B3's COTAHIST files through the shared HttpClient (same politeness, User-Agent,
 * timeouts, retries and typed errors as the other clients). HttpClient.get returns whole bodies,
 * and an annual zip is ~90 MB, so this uses HttpClient.stream: the retries cover everything up
 * to the first bytes, and the body is then handed over as it arrives, never held whole. A
 * failure while reading the body is a retryable HttpError thrown from the iteration: download
 * again (the reader has not seen a complete file).
 */
export class CotahistClient {
  readonly baseUrl: string;
  readonly http: HttpClient;

  constructor(options: CotahistClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? COTAHIST_URL).replace(/\/+$/, '');
    this.http = options.http instanceof HttpClient ? options.http : new HttpClient(options.http);
  }

  /** The zip's URL; a name is checked and written as B3 writes it (upper case). */
  url(file: string | CotahistFileRequest): string {
    return `${this.baseUrl}/${this.zipName(file)}`;
  }

  /**
   * Starts downloading a zip and returns once its first bytes are in and look like a zip.
   * Throws CotahistFileNameError before any request, CotahistNotPublishedError for a missing
   * file (404, an HTML page, a body that is not a zip), or the HttpClient's errors.
   */
  async download(file: string | CotahistFileRequest, options?: RequestOptions): Promise<CotahistDownload> {
    const name = this.zipName(file);
    const url = `${this.baseUrl}/${name}`;
    let response: HttpStreamResponse;
    try {
      response = await this.http.stream(url, options);
    } catch (error) {
      if (error instanceof HttpError && (error.status === 404 || error.status === 410))
        throw new CotahistNotPublishedError(name, url, `HTTP ${error.status}`, { cause: error });
      throw error;
    }
    const { head, rest } = await peek(response.body, ZIP_MAGIC.length).catch(async (error: unknown) => {
      await response.cancel();
      throw error;
    });
    if (!ZIP_MAGIC.every((byte, i) => head[i] === byte)) {
      await response.cancel();
      throw new CotahistNotPublishedError(name, url, describeNonZip(response, head));
    }
    const length = Number(response.headers.get('content-length') ?? NaN);
    const modified = Date.parse(response.headers.get('last-modified') ?? '');
    return {
      url,
      name,
      file: parseCotahistFileName(name),
      body: rest,
      size: Number.isSafeInteger(length) && length >= 0 ? length : undefined,
      lastModified: Number.isNaN(modified) ? undefined : new Date(modified),
      status: response.status,
      headers: response.headers,
      attempts: response.attempts,
      fetchedAt: response.fetchedAt,
      cancel: () => response.cancel(),
    };
  }

  private zipName(file: string | CotahistFileRequest): string {
    const info = typeof file === 'string' ? parseCotahistFileName(file) : undefined;
    if (info?.extension === 'TXT')
      throw new CotahistFileNameError(JSON.stringify(file), 'B3 serves the files zipped: ask for the .ZIP');
    return cotahistFileName(info ?? (file as CotahistFileRequest));
  }
}

/**
 * The first `count` bytes of a stream (fewer if it ends first) and the whole stream again, those
 * bytes included, reading no further than the chunk that holds them.
 */
async function peek(
  source: AsyncIterable<Uint8Array>,
  count: number,
): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < count) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    size += next.value.length;
  }
  const head = new Uint8Array(Buffer.concat(taken).subarray(0, count));
  async function* rest(): AsyncGenerator<Uint8Array> {
    try {
      yield* taken.splice(0);
      while (!done) {
        const next = await iterator.next();
        if (next.done) done = true;
        else yield next.value;
      }
    } finally {
      if (!done) await iterator.return?.();
    }
  }
  return { head, rest: { [Symbol.asyncIterator]: rest } };
}

function describeNonZip(response: HttpStreamResponse, head: Uint8Array): string {
  const status = `HTTP ${response.status}`;
  if (head.length === 0) return `an empty body (${status})`;
  const type = response.headers.get('content-type') ?? '';
  const text = Buffer.from(head).toString('latin1').trimStart();
  if (type.includes('html') || text.startsWith('<')) return `an HTML page, not a zip (${status})`;
  return `a body that is not a zip (${status}${type ? `, ${type}` : ''})`;
}
