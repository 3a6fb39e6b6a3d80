import { HttpClient, type HttpClientOptions, type HttpResponse } from '../http/http-client';
import type { RequestOptions } from '../http/deadline';
import { parseDetailPage, type DetailPage } from './detail-parser';
import { parseListingPage, type AcoesListing, type FiisListing } from './listing-parser';
import { LayoutChangedError } from '../errors';
import { assertTicker } from './ticker';

export const FUNDAMENTUS_URL = 'https://www.fundamentus.com.br';

export interface FundamentusClientOptions {
  /** Base URL of the site or of a mirror / replay server (default https://www.fundamentus.com.br). */
  baseUrl?: string;
  /** A shared client (to share rate limits with other sites) or options for a new one. */
  http?: HttpClient | HttpClientOptions;
}

/** A fetched page: the exact bytes (for archiving), where and when they came from. */
export type FetchedPage = HttpResponse;

/** Fetches and parses fundamentus.com.br pages through one polite HttpClient. */
export class FundamentusClient {
  readonly baseUrl: string;
  readonly http: HttpClient;

  constructor(options: FundamentusClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? FUNDAMENTUS_URL).replace(/\/+$/, '');
    this.http = options.http instanceof HttpClient ? options.http : new HttpClient(options.http);
  }

  detailUrl(ticker: string): string {
    return `${this.baseUrl}/detalhes.php?papel=${encodeURIComponent(assertTicker(ticker))}`;
  }

  listingUrl(kind: 'acoes' | 'fiis'): string {
    return `${this.baseUrl}/${kind === 'acoes' ? 'resultado.php' : 'fii_resultado.php'}`;
  }

  /** The exact bytes of one detail page; `options` bound the request (deadline, abort signal). */
  async fetchDetailPage(ticker: string, options?: RequestOptions): Promise<FetchedPage> {
    return this.http.get(this.detailUrl(ticker), options);
  }

  async fetchListingPage(kind: 'acoes' | 'fiis'): Promise<FetchedPage> {
    return this.http.get(this.listingUrl(kind));
  }

  /** Fetches and parses one asset; throws the typed errors of parseDetailPage. */
  async getDetail(ticker: string): Promise<DetailPage> {
    const page = await this.fetchDetailPage(ticker);
    return parseDetailPage(page.body, { ticker });
  }

  async listAcoes(): Promise<AcoesListing> {
    const listing = parseListingPage((await this.fetchListingPage('acoes')).body);
    if (listing.kind !== 'acoes') throw new LayoutChangedError('resultado.php', [], 'served the FII listing');
    return listing;
  }

  async listFiis(): Promise<FiisListing> {
    const listing = parseListingPage((await this.fetchListingPage('fiis')).body);
    if (listing.kind !== 'fiis') throw new LayoutChangedError('fii_resultado.php', [], 'served the stock listing');
    return listing;
  }
}
