import { HttpClient, type HttpClientOptions, type HttpResponse } from '../http/http-client';
import type { NumberLocale } from '../parse/numbers';
import { UnknownFormatError } from '../errors';
import { parsePortfolioCsv } from './portfolio-csv';
import { parsePortfolioJson } from './portfolio-json';
import type { Portfolio } from './types';

export const B3_URL = 'https://sistemaswebb3-listados.b3.com.br';

export interface B3ClientOptions {
  /** Base URL of B3's listing services or of a mirror / replay server. */
  baseUrl?: string;
  http?: HttpClient | HttpClientOptions;
}

export interface PortfolioRequest {
  /** Index code: IBOV (default), IBXX, IBXL, SMLL, IDIV, IFIX… */
  index?: string;
  /** Number and date format of the answer (default pt-br). */
  language?: NumberLocale;
  /** 1 = by company name (default), 2 = grouped by sector with sector names. */
  segment?: 1 | 2;
}

export type FetchedB3 = HttpResponse;

/** Client for B3's index portfolio endpoints (`indexProxy/indexCall/<Method>/<base64 JSON>`). */
export class B3Client {
  readonly baseUrl: string;
  readonly http: HttpClient;

  constructor(options: B3ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? B3_URL).replace(/\/+$/, '');
    this.http = options.http instanceof HttpClient ? options.http : new HttpClient(options.http);
  }

  /** The site's own URL shape: standard Base64 (with `=` padding) of compact JSON. */
  url(
    method: 'GetPortfolioDay' | 'GetTheoricalPortfolio' | 'GetDownloadPortfolioDay',
    payload: Record<string, unknown>,
  ): string {
    const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
    return `${this.baseUrl}/indexProxy/indexCall/${method}/${encoded}`;
  }

  portfolioDayUrl({ index = 'IBOV', language = 'pt-br', segment = 1 }: PortfolioRequest = {}): string {
    return this.url('GetPortfolioDay', { language, pageNumber: 1, pageSize: 9999, index, segment: String(segment) });
  }

  theoreticalPortfolioUrl({ index = 'IBOV', language = 'pt-br' }: PortfolioRequest = {}): string {
    return this.url('GetTheoricalPortfolio', { pageNumber: 1, pageSize: 9999, language, index });
  }

  portfolioCsvUrl({ index = 'IBOV', language = 'pt-br' }: PortfolioRequest = {}): string {
    return this.url('GetDownloadPortfolioDay', { index, language });
  }

  async fetchPortfolioDay(request: PortfolioRequest = {}): Promise<FetchedB3> {
    return this.http.get(this.portfolioDayUrl(request));
  }

  /** The day portfolio (date, rows, total quantity, reductor). */
  async getPortfolioDay(request: PortfolioRequest = {}): Promise<Portfolio> {
    const { body } = await this.fetchPortfolioDay(request);
    return parsePortfolioJson(body, { language: request.language ?? 'pt-br', index: request.index ?? 'IBOV' });
  }

  /** The quadrimestral theoretical portfolio (no date). */
  async getTheoreticalPortfolio(request: PortfolioRequest = {}): Promise<Portfolio> {
    const { body } = await this.http.get(this.theoreticalPortfolioUrl(request));
    return parsePortfolioJson(body, { language: request.language ?? 'pt-br', index: request.index ?? 'IBOV' });
  }

  /** The CSV download: the response body is Base64 text of the Windows-1252 CSV. */
  async getPortfolioCsv(request: PortfolioRequest = {}): Promise<Portfolio> {
    const { body } = await this.http.get(this.portfolioCsvUrl(request));
    return parsePortfolioCsv(decodeBase64Csv(body));
  }
}

/** Accepts the Base64 text B3 sends (optionally JSON-quoted) and returns the CSV bytes; plain CSV passes through. */
export function decodeBase64Csv(body: Uint8Array): Uint8Array {
  const text = Buffer.from(body).toString('latin1').trim().replace(/^"|"$/g, '');
  if (/Carteira do Dia/i.test(text.slice(0, 200))) return body;
  if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) throw new UnknownFormatError('B3 CSV download is neither Base64 nor CSV.');
  return new Uint8Array(Buffer.from(text, 'base64'));
}
