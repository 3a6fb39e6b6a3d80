import { HttpClient, type HttpClientOptions } from '../http/http-client';
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

/** A fetched page: the exact bytes (for archiving) and where they came from. */
export interface FetchedPage {
  url: string;
  body: Uint8Array;
  fetchedAt: Date;
}

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

  async fetchDetailPage(ticker: string): Promise<FetchedPage> {
    return this.fetch(this.detailUrl(ticker));
  }

  async fetchListingPage(kind: 'acoes' | 'fiis'): Promise<FetchedPage> {
    return this.fetch(this.listingUrl(kind));
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

  private async fetch(url: string): Promise<FetchedPage> {
    const response = await this.http.get(url);
    return { url, body: response.body, fetchedAt: new Date() };
  }
}
