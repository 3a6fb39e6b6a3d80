import { HttpClient, type HttpClientOptions, type HttpResponse } from '../http/http-client';
import type { RequestOptions } from '../http/deadline';
import { parseDetailPage, type DetailPage } from './detail-parser';
import { parseListingPage, type AcoesListing, type FiisListing } from './listing-parser';
import { parseProventosPage, type ProventosPage } from './proventos-parser';
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

  /**
   * The dividend page of one asset: `proventos.php?papel=X` for a stock (`acoes`),
   * `fii_proventos.php?papel=X&tipo=2` for a FII (`fiis`).
   */
  proventosUrl(ticker: string, kind: 'acoes' | 'fiis'): string {
    const papel = encodeURIComponent(assertTicker(ticker));
    return kind === 'acoes'
      ? `${this.baseUrl}/proventos.php?papel=${papel}`
      : `${this.baseUrl}/fii_proventos.php?papel=${papel}&tipo=2`;
  }

  /** The exact bytes of one detail page; `options` bound the request (deadline, abort signal). */
  async fetchDetailPage(ticker: string, options?: RequestOptions): Promise<FetchedPage> {
    return this.http.get(this.detailUrl(ticker), options);
  }

  async fetchListingPage(kind: 'acoes' | 'fiis'): Promise<FetchedPage> {
    return this.http.get(this.listingUrl(kind));
  }

  /** The exact bytes of one asset's dividend page (see proventosUrl); `options` bound the request. */
  async fetchProventosPage(ticker: string, kind: 'acoes' | 'fiis', options?: RequestOptions): Promise<FetchedPage> {
    return this.http.get(this.proventosUrl(ticker, kind), options);
  }

  /**
   * Fetches and parses one asset's distributions; throws the typed errors of parseProventosPage,
   * and LayoutChangedError when the page served is the other kind's (a FII table for a stock).
   */
  async getProventos(ticker: string, kind: 'acoes' | 'fiis'): Promise<ProventosPage> {
    const page = parseProventosPage((await this.fetchProventosPage(ticker, kind)).body, { ticker });
    if (page.kind !== (kind === 'acoes' ? 'acao' : 'fii')) {
      const requested = kind === 'acoes' ? 'proventos.php' : 'fii_proventos.php';
      const served = page.kind === 'fii' ? 'the FII distributions table' : 'the stock dividends table';
      throw new LayoutChangedError(`${requested} ${ticker}`, [], `served ${served}`);
    }
    return page;
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
